"""`python -m bot ...` is the same as the `chorus` command."""

from bot.cli import main

raise SystemExit(main())

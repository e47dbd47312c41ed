"""What a start doesn't import: modules only a rare command needs are imported when it runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_START = """
import importlib, json, sys
from bot.chorus_bot import COGS
for name in COGS:
    importlib.import_module(name)
at_start = sorted(m for m in ("icalendar", "matplotlib") if m in sys.modules)
from bot.core.calendar import build_calendar
ics = build_calendar(1, "Circle", "Europe/Berlin", [], 0.0, "en")
print(json.dumps({"at_start": at_start, "ics": ics.startswith(b"BEGIN:VCALENDAR"),
                  "after": "icalendar" in sys.modules}))
"""


def test_icalendar_is_imported_by_the_calendar_file_not_by_a_start() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _START], capture_output=True, text=True, check=True, cwd=ROOT
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {"at_start": [], "ics": True, "after": True}


_RUN_WITHOUT_TOKEN = """
import json, os, sys
os.environ.pop("DISCORD_TOKEN", None)
from bot.cli import main
status = main(["run"])
print(json.dumps({"status": status,
                  "imported": sorted(m for m in ("discord", "bot.app", "bot.run_bot")
                                     if m in sys.modules)}))
"""


def test_run_without_a_token_says_what_to_do_before_importing_discord(tmp_path: Path) -> None:
    """`make run` without DISCORD_TOKEN answers from the settings alone: `bot.run_bot` (which
    imports `bot.app`, discord.py and every cog at its top, about 1.3 s and 75 MB) is imported by
    `cli.cmd_run` only once there is a token, so its top-level imports cost the guidance nothing."""
    # The test session's own settings (CHORUS_*) stay out, as tests/test_cli.py's `run_cli`.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHORUS_", "DISCORD_"))}
    env["CHORUS_DATABASE_PATH"] = str(tmp_path / "c.db")
    done = subprocess.run(
        [sys.executable, "-c", _RUN_WITHOUT_TOKEN],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {"status": 2, "imported": []}
    assert "export DISCORD_TOKEN=" in done.stderr

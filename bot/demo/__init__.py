"""`chorus demo`: the real bot against simcord's simulated Discord, with a local browser preview.

Needs the optional `demo` extra (`pip install -e '.[demo]'`, i.e. `simcord[preview]`); nothing
else in the bot imports this package, so Chorus runs without it.

- world.py    the simulated server ("Chorus demo", #circle, "Listening room", a facilitator and
              four members; named in the demo's language from the catalogue) around a real
              `create_bot(settings)` on a real SQLite file
- crowd.py    the simulated members of the channel, acting on the newest messages (seeded)
- behaviours.py  what a member does, one small function per custom id area; turn.py what such a
              function is given (`Turn`) and what the crowd shares
- controls.py reading.py  what a member sees of a message; the cards' sentences as patterns in
              the server's language
- words.py words.yaml  what the members write, per demo language
- script.py   the scripted session behind `make screenshots` and the demo test; its stages
              facilitator.py (what the facilitator does and reads: open, Next, review),
              closed_session.py (a closed group of 3 places), own_chorus.py (the server's
              own support text, upload and builder); shots.py its screenshot plan
- serve.py    the live preview behind `make demo`; screenshots.py the screenshots (headless
              Chromium on the same preview)
"""

from __future__ import annotations

# What the `demo` extra brings (simcord[preview]); a missing one means the extra isn't installed.
DEMO_MODULES = frozenset({"simcord", "aiohttp", "PIL", "markdown_it", "linkify_it", "regex"})
DEMO_HINT = "the demo needs the optional extra: pip install -e '.[demo]' (or run: make demo)"

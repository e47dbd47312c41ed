"""What a start doesn't import: modules only a rare command needs are imported when it runs."""

from __future__ import annotations

import json
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

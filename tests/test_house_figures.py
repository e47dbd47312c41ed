"""scripts/house_figures.py keeps working: it runs on this tree and prints each figure of issue
#17 in its place (the figures themselves are the tree's, checked only for sanity)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_figures_script_prints_every_figure() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "house_figures.py")],
        cwd=ROOT / "tests",  # any folder: the script finds the repository itself
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    lines = done.stdout.splitlines()
    assert lines[:4] == [
        "files to add a step kind: 2 + the regenerated schema",
        "  tests/steps_example/core/hum.py",
        "  tests/steps_example/ui/hum.py",
        "  activities/activity.schema.json",
    ]
    assert lines[4] == "largest files in bot/ (lines):"
    largest = [re.fullmatch(r" +(\d+) (bot/\S+\.py)", line) for line in lines[5:15]]
    assert all(largest), lines[5:15]
    sizes = [int(match.group(1)) for match in largest if match]
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] > 0
    # The tree holds no cycle (tests/test_import_cycles.py), so the script must find none.
    assert lines[15] == "import cycles among bot modules: 0"
    assert lines[16].startswith("bot/cogs: 0 imports of bot.store, 0 calls")
    assert lines[17].startswith("bot/ui: 0 imports of bot.store, ")
    if shutil.which("duplicates") is None:
        assert lines[18] == "duplicates pairs in bot/: not available (no `duplicates` on PATH)"
    else:
        assert re.match(r"duplicates pairs in bot/ \(.*\): (\d+ pairs|no duplicates)", lines[18])

"""scripts/house_figures.py keeps working: it runs on this tree and prints each figure of issue
#17 in its place (the figures themselves are the tree's, checked only for sanity), and the
first figure stays true: adding the trial kind (tests/steps_trial) to bot/ changes its two
files, the schema and the catalogue (template and languages) and nothing else, and the guard
tests pass on the result."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "bot" / "locales"


def test_the_figures_script_prints_every_figure() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "house_figures.py")],
        cwd=ROOT / "tests",  # any folder: the script finds the repository itself
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    lines = done.stdout.splitlines()
    languages = sorted(p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/chorus.po"))
    assert languages, "the catalogue has languages"
    assert lines[0] == "files to add a step kind to bot/ (trial kind `pause`): " + str(
        4 + len(languages)
    )
    assert lines[1 : 5 + len(languages)] == [
        f"  {name}"
        for name in sorted(
            [
                "activities/activity.schema.json",
                "bot/core/steps/pause.py",
                "bot/ui/steps/pause.py",
                "bot/locales/chorus.pot",
                *(f"bot/locales/{language}/LC_MESSAGES/chorus.po" for language in languages),
            ]
        )
    ]
    guard = lines[5 + len(languages)]
    assert re.fullmatch(r"  guard tests on the trial copy: pass \(\d+ passed in .*\)", guard), guard
    assert int(guard.split("(")[1].split()[0]) > 100, "the guard tests really ran"
    assert lines[6 + len(languages)] == "  ruff and lint-imports on the trial copy: pass"
    rest = lines[7 + len(languages) :]
    assert rest[0] == "largest files in bot/ (lines):"
    largest = [re.fullmatch(r" +(\d+) (bot/\S+\.py)", line) for line in rest[1:11]]
    assert all(largest), rest[1:11]
    sizes = [int(match.group(1)) for match in largest if match]
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] > 0
    # The tree holds no cycle (tests/test_import_cycles.py), so the script must find none.
    assert rest[11] == "import cycles among bot modules: 0"
    assert rest[12].startswith("bot/cogs: 0 imports of bot.store, 0 calls")
    assert rest[13].startswith("bot/ui: 0 imports of bot.store, 0 calls")
    if shutil.which("duplicates") is None:
        assert rest[14] == "duplicates pairs in bot/: not available (no `duplicates` on PATH)"
    else:
        assert re.match(r"duplicates pairs in bot/ \(.*\): (\d+ pairs|no duplicates)", rest[14])

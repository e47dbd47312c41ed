"""The session check of tests/child_processes.py: a process a test leaves running fails the run
(and is ended), even when every test passed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.child_processes import MARK
from tests.conftest import ROOT

LEAKY = """
import subprocess

def test_that_leaves_a_process_running() -> None:
    subprocess.Popen(["sleep", "300"])
"""


def test_a_process_a_test_left_running_fails_the_run_and_is_ended(tmp_path: Path) -> None:
    (tmp_path / "test_leaky.py").write_text(LEAKY)
    outer = {name: value for name, value in os.environ.items() if name != MARK}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "tests.child_processes",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
            str(tmp_path / "test_leaky.py"),
        ],
        cwd=ROOT,
        env=outer,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "1 passed" in done.stdout, done.stdout
    assert done.returncode == 1, done.stdout
    found = re.search(r"^\s+(\d+): sleep 300$", done.stdout, re.MULTILINE)
    assert "outlived the suite" in done.stdout and found, done.stdout
    stat = Path(f"/proc/{found.group(1)}/stat")
    ended = not stat.exists() or stat.read_text().rpartition(")")[2].split()[0] == "Z"
    assert ended, "the process left running was not ended"

"""`make demo` after `make test` starts the demo without installing anything again: the dev
install (a superset of the demo's) marks the main and demo installs as done too."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.requires_program("make")
def test_make_demo_after_make_test_does_not_reinstall(tmp_path: Path) -> None:
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "requirements", tmp_path / "requirements")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    os.symlink(sys.executable, tmp_path / ".venv" / "bin" / "python")

    def make(*args: str) -> str:
        done = subprocess.run(
            ["make", "--no-print-directory", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout

    stamp = re.search(r"^DEV_STAMP := (\S+)$", make("-pn", "lint"), re.M)
    assert stamp is not None
    # `make test`'s install, with the installers replaced by a no-op (nothing is downloaded).
    make("INSTALL_LOCK=:", "INSTALL_SELF=:", stamp[1])
    planned = [line.strip() for line in make("-n", "demo").splitlines()]
    assert planned == [".venv/bin/python -m bot demo"], planned

"""`python -m bench.paced` when its run fails: it says so and exits non-zero, instead of hanging.

The child is the real benchmark script with its set-up replaced by one that opens a real store
(SQLite file) and then fails as a full disk would: the store is never handed back, so its
connection thread (aiosqlite's, not a daemon) is still running when the failure reaches the top.
Before the fix that child never exited.
"""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

FAILING_CHILD = """
from pathlib import Path
from bench import paced
from bench.world import open_store

async def broken_set_up(path: Path, **_: object) -> object:
    await open_store(path)  # opened, never handed back
    raise OSError(28, "No space left on device")

paced._prepare = broken_set_up
paced.main()
"""

HANG_GUARD = 120.0  # seconds; the failing child exits in about 2 s (imports and one store)


def test_a_failing_paced_run_reports_its_failure_and_exits_non_zero() -> None:
    done = subprocess.run(
        [sys.executable, "-c", FAILING_CHILD],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
    )
    tail = done.stderr.strip().splitlines()[-3:]
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert tail[-2:] == [
        "OSError: [Errno 28] No space left on device",
        "bench.paced failed (exit 1)",
    ], tail
    assert "paced " not in done.stdout  # no figures from a run that broke

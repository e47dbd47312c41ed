"""No process a test started outlives the suite (a pytest plugin, loaded by tests/conftest.py).

Every process the tests start, directly or not (a bot process in a reliability test, its chart
process, multiprocessing's resource tracker beside it), inherits the environment variable
``CHORUS_TEST_SESSION`` set here to this pytest's process id. When the session finishes, the
chart process of this process is stopped (what a bot's close does), and any other process still
carrying the mark after a short grace is reported, killed, and fails the run. One exception:
this process's own resource tracker, which ends when pytest exits (it waits on a pipe only
pytest holds).

Processes are found in /proc (Linux, where CI runs); elsewhere the check does nothing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

import pytest

from bot.ui import chart_worker

MARK = "CHORUS_TEST_SESSION"
GRACE_SECONDS = 10.0
"""How long a process that is ending anyway (an orphan noticing its parent died) gets."""


def pytest_configure(config: pytest.Config) -> None:
    """Mark this session's environment, so every process started from here on carries it."""
    os.environ.setdefault(MARK, str(os.getpid()))


def _marked() -> dict[int, str]:
    """Running processes (not this one, not zombies) whose environment carries this session's
    mark: pid -> command line."""
    wanted = f"{MARK}={os.environ.get(MARK, '')}".encode()
    found: dict[int, str] = {}
    for folder in Path("/proc").glob("[0-9]*"):
        pid = int(folder.name)
        if pid == os.getpid():
            continue
        try:
            if wanted not in (folder / "environ").read_bytes().split(b"\0"):
                continue
            state = (folder / "stat").read_text().rpartition(")")[2].split()
            if state[0] == "Z":
                continue
            if (
                int(state[1]) == os.getpid()
                and b"multiprocessing.resource_tracker" in (folder / "cmdline").read_bytes()
            ):
                continue  # ours: it ends with pytest
            command = (
                (folder / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            )
        except (OSError, IndexError, ValueError):
            continue  # ended meanwhile, or not ours to read
        found[pid] = command.strip()[:200]
    return found


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when a process a test started is still running (see the module's text)."""
    if not Path("/proc/self/environ").exists() or os.environ.get(MARK) != str(os.getpid()):
        return  # not Linux, or a pytest run inside a test (the outer session checks)
    chart_worker.stop()
    deadline = time.monotonic() + GRACE_SECONDS
    left = _marked()
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = _marked()
    if not left:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"{len(left)} process(es) started by the tests outlived the suite (killed now):"]
    lines += [f"  {pid}: {command}" for pid, command in sorted(left.items())]
    if reporter is not None:
        reporter.write_line("\n".join(lines), red=True)
    for pid in left:
        with contextlib.suppress(OSError):  # ended meanwhile
            os.kill(pid, signal.SIGKILL)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED

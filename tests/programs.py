"""Tests that need a program pip doesn't install (FFmpeg) say so with a marker.

``@pytest.mark.requires_program("ffmpeg", "ffprobe")`` (or ``requires_library("opus")`` for a
shared library) skips the test with a reason that says what
to install when a program is missing, so ``make test`` passes on a fresh machine and its summary
(``-rs``) lists every skipped test by name with that reason. Where the programs must be there
(CI sets ``CHORUS_REQUIRE_PROGRAMS=1`` after installing them), a missing program fails the test
instead: CI never skips them silently.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil

import pytest

INSTALL_HINTS = {
    "ffmpeg": "apt-get install ffmpeg",
    "ffprobe": "apt-get install ffmpeg",
    "openssl": "apt-get install openssl",
    "lib opus": "apt-get install libopus0",
    "docker-compose": "apt-get install docker-compose",
}
REQUIRE_ENV = "CHORUS_REQUIRE_PROGRAMS"


def missing_programs(*names: str) -> list[str]:
    """Which of ``names`` are not on PATH."""
    return [name for name in names if shutil.which(name) is None]


def missing_libraries(*names: str) -> list[str]:
    """Which shared libraries (``opus`` for libopus) the system can't find, as "lib <name>"."""
    return [f"lib {name}" for name in names if ctypes.util.find_library(name) is None]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "requires_program(*names): the test needs these programs on PATH; skipped with a reason "
        f"where they are missing, failed instead when {REQUIRE_ENV}=1",
    )
    config.addinivalue_line(
        "markers",
        "requires_library(*names): the test needs these shared libraries (e.g. opus); "
        f"skipped with a reason where they are missing, failed instead when {REQUIRE_ENV}=1",
    )


def _missing_reason(item: pytest.Item) -> str | None:
    programs: list[str] = []
    for marker in item.iter_markers("requires_program"):
        programs.extend(marker.args)
    libraries: list[str] = []
    for marker in item.iter_markers("requires_library"):
        libraries.extend(marker.args)
    missing = missing_programs(*programs) + missing_libraries(*libraries)
    if not missing:
        return None
    hints = sorted({INSTALL_HINTS.get(name, f"install {name}") for name in missing})
    return f"needs {', '.join(missing)}, not installed here ({'; '.join(hints)})"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A skip marker on each test that can't run here, so the summary names the test itself."""
    if os.environ.get(REQUIRE_ENV) == "1":
        return
    for item in items:
        reason = _missing_reason(item)
        if reason is not None:
            item.add_marker(pytest.mark.skip(reason=f"{item.nodeid}: {reason}"))


def pytest_runtest_setup(item: pytest.Item) -> None:
    reason = _missing_reason(item)
    if reason is not None and os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason}; {REQUIRE_ENV}=1 says this machine must have it", pytrace=False)

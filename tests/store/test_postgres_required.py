"""The skip rule itself: without a PostgreSQL URL a PostgreSQL test skips on a developer's
machine, and errors (fails, never skips) under CHORUS_REQUIRE_POSTGRES=1, as in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

TINY = """
from tests.engines import postgres_url_or_skip


def test_needs_postgres() -> None:
    assert postgres_url_or_skip().startswith("postgresql://")
"""


def _pytest(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_tiny.py").write_text(TINY, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    base = {k: v for k, v in os.environ.items() if not k.startswith("CHORUS_")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c",
         str(tmp_path / "pytest.ini"), str(tmp_path / "test_tiny.py")],
        cwd=tmp_path,
        env={**base, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip


def test_required_postgres_fails_instead_of_skipping(tmp_path: Path) -> None:
    result = _pytest(tmp_path, CHORUS_REQUIRE_POSTGRES="1")
    assert result.returncode == 1, result.stdout
    assert "1 failed" in result.stdout and "skipped" not in result.stdout
    assert "CHORUS_REQUIRE_POSTGRES=1 says this machine must have it" in result.stdout


def test_without_the_requirement_it_skips_with_the_reason(tmp_path: Path) -> None:
    result = _pytest(tmp_path)
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout


def test_with_a_url_it_runs(tmp_path: Path) -> None:
    result = _pytest(
        tmp_path,
        CHORUS_REQUIRE_POSTGRES="1",
        CHORUS_TEST_POSTGRES_URL="postgresql://chorus@127.0.0.1:1/x",
    )
    assert result.returncode == 0 and "1 passed" in result.stdout, result.stdout

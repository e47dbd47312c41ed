"""A database that can't be used is one line on stderr saying what is wrong and how to fix it,
a non-zero exit and no traceback: a missing database or role, a server that isn't there (also
for `chorus run`, which checks the database before it logs in to Discord), and a PostgreSQL URL
without asyncpg installed. Passwords never appear."""

from __future__ import annotations

import socket
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from bot.cli_database import database_problem
from tests.engines import postgres_url_or_skip
from tests.test_cli import ROOT, run_cli


def _free_port() -> int:
    with socket.socket() as probe:  # free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def _with(url: str, *, user: str | None = None, database: str | None = None) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc if user is None else f"{user}@{parts.netloc.rsplit('@', 1)[-1]}"
    path = parts.path if database is None else f"/{database}"
    return urlunsplit(parts._replace(netloc=netloc, path=path, query=""))


def _env(url: str, **more: str) -> dict[str, str]:
    return {"CHORUS_DATABASE_URL": url, "CHORUS_CONFIG": "/nonexistent", **more}


def test_a_database_problem_is_one_line_and_anything_else_keeps_its_exception() -> None:
    line = database_problem(ConnectionRefusedError(111, "Connection refused"))
    assert line.startswith("cannot connect to the database server") and "\n" not in line
    bug = KeyError("not a database problem")
    with pytest.raises(KeyError) as raised:
        database_problem(bug)
    assert raised.value is bug


def test_a_database_that_does_not_exist() -> None:
    url = _with(postgres_url_or_skip(), database=f"nope_{uuid.uuid4().hex[:8]}")
    line = _one_line(run_cli("db", "status", env=_env(url)))
    assert "does not exist" in line and "CREATE DATABASE" in line and "database_url" in line


def test_a_role_that_does_not_exist() -> None:
    url = _with(postgres_url_or_skip(), user=f"nobody_{uuid.uuid4().hex[:8]}")
    line = _one_line(run_cli("db", "migrate", env=_env(url)))
    assert "role" in line and "does not exist" in line and "create the role" in line


def test_an_unreachable_server_under_db_copy(tmp_path: Path) -> None:
    source = tmp_path / "chorus.db"
    assert run_cli("db", "migrate", env={"CHORUS_DATABASE_PATH": str(source)}).returncode == 0
    url = f"postgresql://chorus:hunter2@127.0.0.1:{_free_port()}/chorus?password=hunter3"
    line = _one_line(run_cli("db", "copy", f"sqlite:///{source}", url))
    assert "cannot connect" in line and "is the database server running" in line
    assert "hunter2" not in line and "hunter3" not in line and "chorus:***@" in line


def test_run_checks_the_database_before_logging_in_to_discord(tmp_path: Path) -> None:
    """Neither Discord nor the database is reachable: the database is what it reports."""
    result = run_cli(
        "run",
        env=_env(
            f"postgresql://chorus:hunter2@127.0.0.1:{_free_port()}/chorus",
            DISCORD_TOKEN="abc",
            CHORUS_DISCORD_API_BASE=f"http://127.0.0.1:{_free_port()}/api/v10",
        ),
        cwd=tmp_path,
    )
    line = _one_line(result)
    assert line.startswith("chorus: database postgresql://chorus:***@127.0.0.1")
    assert "cannot connect" in line and "Discord" not in line and "hunter2" not in line


def test_run_stops_on_a_missing_database_before_login() -> None:
    url = _with(postgres_url_or_skip(), database=f"nope_{uuid.uuid4().hex[:8]}")
    line = _one_line(run_cli("run", env=_env(url, DISCORD_TOKEN="abc")))
    assert "does not exist" in line


def test_health_on_a_missing_database_is_one_line(tmp_path: Path) -> None:
    url = _with(postgres_url_or_skip(), database=f"nope_{uuid.uuid4().hex[:8]}")
    beat = tmp_path / "heartbeat"
    beat.write_text('{"at": 9999999999, "latency": 0.05}')
    result = run_cli("health", env=_env(url, CHORUS_HEALTH_FILE=str(beat)))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "does not exist" in result.stdout


def test_a_postgres_url_without_asyncpg() -> None:
    """asyncpg absent (an import of it fails, as in an install without the extra)."""
    program = (
        "import sys; sys.modules['asyncpg'] = None\n"
        "from bot.cli import main\n"
        "raise SystemExit(main(sys.argv[1:]))\n"
    )
    base = {k: v for k, v in __import__("os").environ.items() if not k.startswith("CHORUS_")}
    for command in (["db", "status"], ["run"]):
        result = subprocess.run(
            [sys.executable, "-c", program, *command],
            cwd=ROOT,
            env={**base, **_env("postgresql://chorus@127.0.0.1:1/chorus", DISCORD_TOKEN="abc")},
            capture_output=True,
            text=True,
            timeout=60,
        )
        line = _one_line(result)
        assert "asyncpg is not installed" in line and "chorus-bot[postgres]" in line


def test_db_status_and_health_never_print_the_password(tmp_path: Path) -> None:
    url = f"postgresql://chorus:hunter2@127.0.0.1:{_free_port()}/chorus?passfile=/s/hunter3"
    line = _one_line(run_cli("db", "status", env=_env(url)))
    assert "chorus:***@" in line and "passfile=***" in line
    beat = tmp_path / "heartbeat"
    beat.write_text('{"at": 9999999999, "latency": 0.05}')
    health = run_cli("health", env=_env(url, CHORUS_HEALTH_FILE=str(beat)))
    assert health.returncode == 1 and "unhealthy: database" in health.stdout
    for shown in (line, health.stdout, health.stderr):
        assert "hunter2" not in shown and "hunter3" not in shown

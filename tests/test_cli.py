"""The command line as a newcomer meets it: `make run` without a token, validate, db, schema."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CHORUS_", "DISCORD_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_run_without_token_explains_and_exits_2(tmp_path: Path) -> None:
    result = run_cli("run", env={"CHORUS_DATABASE_PATH": str(tmp_path / "c.db")})
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "DISCORD_TOKEN" in lines[0] and "export DISCORD_TOKEN=" in lines[0]
    assert "Traceback" not in result.stderr


def test_run_with_bad_setting_names_key_and_exits_2(tmp_path: Path) -> None:
    result = run_cli("run", env={"CHORUS_LOG_LEVEL": "LOUD", "DISCORD_TOKEN": "x"})
    assert result.returncode == 2
    assert "CHORUS_LOG_LEVEL: log_level" in result.stderr


def test_validate_reports_located_errors_and_exit_code(tmp_path: Path) -> None:
    ok = run_cli("validate", "activities")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.strip().endswith("activities valid, 0 files with errors")
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "id: broken\ntitle: Broken\nsummary: s\nversion: 1\nduration_minutes: 5\n"
        "steps:\n  - type: write\n    title: W\n    theme: t\n    turns: roundrobin\n"
    )
    bad = run_cli("validate", str(broken))
    assert bad.returncode == 1
    assert f"{broken}:10:" in bad.stdout and "turns" in bad.stdout and "roundrobin" in bad.stdout
    assert "0 activities valid, 1 file with errors" in bad.stdout


def test_schema_matches_checked_in_file() -> None:
    result = run_cli("schema")
    assert result.returncode == 0
    assert result.stdout == (ROOT / "activities" / "activity.schema.json").read_text()


def test_db_migrate_status_and_backup(tmp_path: Path) -> None:
    env = {"CHORUS_DATABASE_PATH": str(tmp_path / "c.db")}
    migrated = run_cli("db", "migrate", env=env)
    assert migrated.returncode == 0 and "0001_initial.sql" in migrated.stdout
    status = run_cli("db", "status", env=env)
    assert "pending" not in status.stdout
    backup = run_cli("db", "backup", str(tmp_path / "b.db"), env=env)
    assert backup.returncode == 0 and (tmp_path / "b.db").exists()


def test_invalid_token_reports_login_failure_without_traceback(tmp_path: Path) -> None:
    """A local stand-in for Discord's API rejects the token, as Discord would (401)."""
    import http.server
    import threading

    class Reject(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b'{"message": "401: Unauthorized", "code": 0}'
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    server = http.server.HTTPServer(("127.0.0.1", 0), Reject)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = run_cli(
            "run",
            env={
                "DISCORD_TOKEN": "not-a-real-token",
                "CHORUS_DATABASE_PATH": str(tmp_path / "c.db"),
                "CHORUS_DISCORD_API_BASE": f"http://127.0.0.1:{server.server_port}/api/v10",
            },
        )
    finally:
        server.shutdown()
    assert result.returncode == 1
    assert "login failed" in result.stderr
    assert "Traceback" not in result.stderr
    assert "not-a-real-token" not in result.stderr + result.stdout


def test_db_status_and_backup_never_create_a_database(tmp_path: Path) -> None:
    """Run from another folder at a database that isn't there: a clear error naming the path
    and the fixes, exit 1, and no file made (before, an empty database was backed up)."""
    elsewhere = tmp_path / "home"
    elsewhere.mkdir()
    missing = tmp_path / "nowhere" / "chorus.db"
    env = {"CHORUS_DATABASE_PATH": str(missing)}
    for args in (("db", "status"), ("db", "backup", "b.db")):
        result = run_cli(*args, env=env, cwd=elsewhere)
        assert result.returncode == 1, result.stdout + result.stderr
        assert f"no database at {missing}" in result.stderr
        assert "CHORUS_DATABASE_PATH" in result.stderr and "chorus db migrate" in result.stderr
        assert "Traceback" not in result.stderr
    assert not missing.exists() and not missing.parent.exists()
    assert list(elsewhere.iterdir()) == []


def test_relative_paths_resolve_from_the_project_when_run_elsewhere(tmp_path: Path) -> None:
    """From another folder, the default activities and a relative database path are the
    project's; a path that isn't there says where it was looked for."""
    elsewhere = tmp_path / "home"
    elsewhere.mkdir()
    ok = run_cli("validate", cwd=elsewhere)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.strip().endswith("activities valid, 0 files with errors")
    name = f"data/never-{os.getpid()}.db"
    status = run_cli("db", "status", env={"CHORUS_DATABASE_PATH": name}, cwd=elsewhere)
    assert status.returncode == 1
    assert f"no database at {ROOT / name}" in status.stderr
    assert not (ROOT / name).exists() and not (elsewhere / "data").exists()
    missing = run_cli("validate", "activities", cwd=elsewhere)
    assert missing.returncode == 1
    assert f"looked in {elsewhere / 'activities'}" in missing.stdout


def test_run_without_network_says_so_in_one_line(tmp_path: Path) -> None:
    """Discord unreachable (here: nothing listens on the API's port): one line naming the
    cause, exit 1, no traceback."""
    import socket

    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_cli(
        "run",
        env={
            "DISCORD_TOKEN": "abc",
            "CHORUS_DATABASE_PATH": str(tmp_path / "c.db"),
            "CHORUS_DISCORD_API_BASE": f"http://127.0.0.1:{port}/api/v10",
        },
        cwd=tmp_path,
    )
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1, result.stderr
    assert "Can't reach Discord" in errors[0] and "connection" in errors[0]
    assert "Traceback" not in result.stderr

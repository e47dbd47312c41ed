"""Area 8: the token never reaches a log line, the database is owner-only, and `chorus db
backup` makes a consistent copy while writes go on."""

from __future__ import annotations

import http.server
import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.logging_setup import JsonFormatter
from bot.settings import Settings
from tests.cogs.test_session_flow import board, open_session
from tests.conftest import World, find_message

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.FAKE01.chorus-reliability-fake-token-do-not-use"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The shared test settings, with a known fake token set."""
    return Settings(
        database_path=tmp_path / "data" / "chorus.db",
        activities_dirs=(ROOT / "activities", ROOT / "tests" / "cogs"),
        media_dir=tmp_path / "media",
        board_edit_interval=0,
        token=SecretStr(TOKEN),
    )


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.human = logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
        self.json = JsonFormatter()

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.human.format(record))
        self.lines.append(self.json.format(record))


async def test_token_in_no_log_line_during_a_whole_session(
    world: World, settings: Settings
) -> None:
    capture = Capture()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    try:
        ana = world.members[0]
        await open_session(world)
        await ana.click(board(world), label="Join")
        await world.facilitator.slash(world.channel, "activity start", activity="test-flow")
        await world.facilitator.click(board(world), label="Next")
        form = await ana.click(find_message(world.channel, "One word"), label="Reflect")
        await ana.submit_modal(form, {"answer": "calm"})
        await world.env.advance_time(61)
        await world.facilitator.slash(world.channel, "session end")
        logging.getLogger("chorus").debug("settings in use: %r", settings)
    finally:
        root.removeHandler(capture)
        root.setLevel(old_level)
    assert len(capture.lines) > 20
    leaked = [line for line in capture.lines if TOKEN in line or TOKEN[:24] in line]
    assert not leaked, leaked[:3]
    assert TOKEN not in repr(settings) and TOKEN not in settings.model_dump_json()
    mode = settings.database_path.stat().st_mode & 0o777
    assert mode == 0o600, oct(mode)
    for extra in ("-wal", "-shm"):
        side = settings.database_path.with_name(settings.database_path.name + extra)
        if side.exists():
            assert side.stat().st_mode & 0o077 == 0, f"{side.name} readable by others"
    print(
        f"secrets: {len(capture.lines) // 2} DEBUG log records (human and JSON) during a session, "
        f"0 with the token; database mode {oct(mode)}"
    )


def fake_discord() -> tuple[http.server.HTTPServer, list[str]]:
    """Discord's REST API as far as start-up needs it; the gateway URL leads nowhere."""
    seen: list[str] = []

    class Api(http.server.BaseHTTPRequestHandler):
        def reply(self, body: Any, status: int = 200) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def route(self) -> None:
            seen.append(f"{self.command} {self.path}")
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            user = {"id": "42", "username": "chorus", "discriminator": "0", "avatar": None}
            if self.path.endswith("/users/@me"):
                self.reply({**user, "bot": True, "flags": 0, "mfa_enabled": False})
            elif self.path.endswith("/oauth2/applications/@me"):
                self.reply(
                    {
                        "id": "42",
                        "name": "Chorus",
                        "icon": None,
                        "description": "",
                        "bot_public": True,
                        "bot_require_code_grant": False,
                        "verify_key": "0" * 64,
                        "owner": user,
                        "flags": 0,
                    }
                )
            elif "/gateway" in self.path:
                self.reply(
                    {
                        "url": "ws://127.0.0.1:9",
                        "shards": 1,
                        "session_start_limit": {
                            "total": 1000,
                            "remaining": 1000,
                            "reset_after": 0,
                            "max_concurrency": 1,
                        },
                    }
                )
            elif self.path.endswith("/commands"):
                self.reply([])
            else:
                self.reply({"message": "Unknown", "code": 0}, 404)

        do_GET = do_PUT = do_POST = do_PATCH = route

        def log_message(self, *args: object) -> None:
            return

    server = http.server.HTTPServer(("127.0.0.1", 0), Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


def test_bot_run_start_up_logs_json_without_the_token(tmp_path: Path) -> None:
    server, seen = fake_discord()
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CHORUS_", "DISCORD_"))}
    db = tmp_path / "c.db"
    child = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env={
            **base,
            "DISCORD_TOKEN": TOKEN,
            "CHORUS_DATABASE_PATH": str(db),
            "CHORUS_LOG_FORMAT": "json",
            "CHORUS_LOG_LEVEL": "DEBUG",
            "CHORUS_DISCORD_API_BASE": f"http://127.0.0.1:{server.server_port}/api/v10",
            "CHORUS_DISCORD_GATEWAY_URL": "ws://127.0.0.1:9",
            "PYTHONFAULTHANDLER": "1",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            lines.append(line)
            if "ready" in line and "activities loaded" in line:
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert ready.wait(120), "".join(lines[-20:])  # generous: a loaded machine is slow
        time.sleep(0.5)  # let it try the (unreachable) gateway and log that too
        child.send_signal(signal.SIGINT)
        try:
            child.wait(120)  # a clean shutdown on a loaded machine can take a while
        except subprocess.TimeoutExpired:
            # Say where it is stuck: faulthandler prints every thread's stack on SIGABRT.
            child.send_signal(signal.SIGABRT)
            child.wait(10)
            reader.join(5)
            raise AssertionError(
                "`chorus run` did not stop within 120 s of SIGINT; its threads:\n"
                + "".join(lines[-80:])
            ) from None
        reader.join(5)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
        server.shutdown()
    # Every line is one JSON object, to the last (the gateway is unreachable here, and
    # discord.py's failing reconnect is logged too, not printed as a raw traceback).
    assert child.returncode in (0, 1, -signal.SIGINT), child.returncode
    not_json = [line for line in lines if line.strip() and not line.startswith("{")]
    assert not not_json, "".join(not_json[:60])
    records = [json.loads(line) for line in lines if line.strip()]
    assert any(r["level"] == "DEBUG" for r in records)
    leaked = [line for line in lines if TOKEN in line or TOKEN[:24] in line]
    assert not leaked, leaked[:3]
    assert any(s.endswith("/users/@me") for s in seen) and any("commands" in s for s in seen)
    mode = db.stat().st_mode & 0o777
    assert mode == 0o600, oct(mode)
    print(
        f"secrets: `python -m bot run` start-up: {len(records)} JSON log lines at DEBUG, "
        f"0 with the token; {len(seen)} API calls served; database mode {oct(mode)}"
    )


def test_db_backup_is_consistent_while_writes_go_on(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    target = tmp_path / "backups" / "copy.db"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CHORUS_", "DISCORD_"))}
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.kill9_child", str(db), "0"],
        cwd=ROOT,
        env=base,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    acked: list[str] = []
    reader = threading.Thread(
        target=lambda: acked.extend(writer.stdout or []), daemon=True
    )  # reads until the writer is killed
    reader.start()
    try:
        deadline = time.monotonic() + 120
        while len(acked) < 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        before = [line.split() for line in list(acked) if line.startswith("C ")]
        backup = subprocess.run(
            [sys.executable, "-m", "bot", "db", "backup", str(target)],
            cwd=ROOT,
            env={**base, "CHORUS_DATABASE_PATH": str(db)},
            capture_output=True,
            text=True,
            timeout=60,
        )
        during = len(acked)
        time.sleep(0.2)
        assert writer.poll() is None, "the writers must still be running after the backup"
    finally:
        writer.kill()
        writer.wait(10)
        reader.join(5)
    assert backup.returncode == 0, backup.stderr
    assert target.stat().st_mode & 0o777 == 0o600
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] in ("wal", "delete")
        checkins = {r[0] for r in conn.execute("SELECT id FROM checkins")}
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    assert {int(c[1]) for c in before} <= checkins
    assert version > 0
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Backups and restore", 1)[1].split("\n## ", 1)[0]
    assert "chorus db backup" in section and "restore" in section.lower()
    print(
        f"secrets: backup taken with {during} writes acknowledged and writers still running; "
        f"copy integrity ok, {len(checkins)} check-ins, every one acknowledged before it "
        f"({len(before)}) present; mode 0o600; README explains restore"
    )

"""`chorus health`, the Docker HEALTHCHECK: a fresh gateway heartbeat from the running bot and
one database read; anything else is unhealthy, in one line, exit 1."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import simcord

from bot.chorus_bot import ChorusBot
from bot.health import MAX_AGE, HealthFile, Unhealthy, read_heartbeat
from tests.test_cli import run_cli


def test_the_file_says_when_the_gateway_was_last_up(tmp_path: Path) -> None:
    path = tmp_path / "health" / "health.json"
    HealthFile(path).write(0.085, now=1000.0)
    assert json.loads(path.read_text()) == {"at": 1000.0, "latency": 0.085}
    beat = read_heartbeat(path, now=1000.0 + MAX_AGE)
    assert (beat.at, beat.latency) == (1000.0, 0.085)
    with pytest.raises(Unhealthy, match=r"heartbeat is 121 s old \(more than 120 s\)"):
        read_heartbeat(path, now=1000.0 + MAX_AGE + 1)
    with pytest.raises(Unhealthy, match="no heartbeat file"):
        read_heartbeat(tmp_path / "absent.json")
    path.write_text("{")
    with pytest.raises(Unhealthy, match="can't be read"):
        read_heartbeat(path)


WRITER = """
import sys
from pathlib import Path
from bot.health import HealthFile
health = HealthFile(Path(sys.argv[1]))
for beat in range(400):
    health.write(0.05, now=float(beat))
"""


def test_processes_sharing_a_folder_never_replace_each_others_partial_file(
    tmp_path: Path,
) -> None:
    # Shard processes started side by side share data/health.json: each writes its own partial
    # file, so none finds its half-written file gone (a FileNotFoundError ended the heartbeat).
    path = tmp_path / "health.json"
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    errors = [w.communicate(timeout=120)[1].decode() for w in writers]
    assert [w.returncode for w in writers] == [0, 0, 0], errors
    assert read_heartbeat(path, now=399.0).latency == 0.05
    assert sorted(p.name for p in tmp_path.iterdir()) == ["health.json"]


async def test_the_running_bot_keeps_the_file_fresh_while_connected(
    bot: ChorusBot, tmp_path: Path
) -> None:
    """The real discord.py client (against simcord) connects: the file is written; after a
    disconnect it is not written again."""
    path = tmp_path / "health.json"
    health = HealthFile(path, every=30.0)
    health.watch(bot)
    env = simcord.Env(bot, check_errors=False)
    await env.start()
    try:
        bot.dispatch("connect")
        await env.advance_time(1)
        connected = health.connected  # a copy: mypy would keep `health.connected` narrowed
        assert connected
        first = read_heartbeat(path)
        assert first.at == pytest.approx(time.time(), abs=30)
        bot.dispatch("disconnect")
        await env.advance_time(1)
        assert not health.connected
        await env.advance_time(65)
        assert read_heartbeat(path).at == first.at, "written while disconnected"
    finally:
        await env.shutdown()
        await bot.store.close()


def test_health_from_another_folder(tmp_path: Path) -> None:
    elsewhere = tmp_path / "home"
    elsewhere.mkdir()
    db, beat = tmp_path / "chorus.db", tmp_path / "health.json"
    env = {"CHORUS_DATABASE_PATH": str(db), "CHORUS_HEALTH_FILE": str(beat)}

    no_beat = run_cli("health", env=env, cwd=elsewhere)
    assert no_beat.returncode == 1
    assert no_beat.stdout.startswith("unhealthy: no heartbeat file at") and not no_beat.stderr

    HealthFile(beat).write(0.042)
    no_db = run_cli("health", env=env, cwd=elsewhere)
    assert no_db.returncode == 1
    assert f"unhealthy: database: no database at {db}" in no_db.stdout
    assert not db.exists(), "a health check never creates a database"

    assert run_cli("db", "migrate", env=env, cwd=elsewhere).returncode == 0
    healthy = run_cli("health", env=env, cwd=elsewhere)
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    assert healthy.stdout.startswith("healthy: gateway heartbeat ")
    assert "round trip 42 ms" in healthy.stdout and "at version" in healthy.stdout
    assert len(healthy.stdout.splitlines()) == 1

    HealthFile(beat).write(0.042, now=time.time() - 600)
    stale = run_cli("health", env=env, cwd=elsewhere)
    assert stale.returncode == 1
    assert re.search(r"gateway heartbeat is 6\d\d s old \(more than 120 s\)", stale.stdout)


def test_dockerfile_health_check_runs_chorus_health() -> None:
    dockerfile = (Path(__file__).resolve().parent.parent / "Dockerfile").read_text()
    check = next(line for line in dockerfile.splitlines() if "CMD" in line and "health" in line)
    assert '"chorus", "health"' in check
    assert "os.kill" not in dockerfile

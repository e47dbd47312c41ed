"""End to end without Discord: real `python -m bot run` processes sharing shards on one PostgreSQL.

Two processes run 4 shards between them (shards 0, 2 and 1, 3) against a fake gateway and REST
(tests/fakes/gateway.py). Sessions in guilds on every shard run an activity whose first step
ends on its own (a stored deadline); the process holding shards 1 and 3 is killed with SIGKILL
before those deadlines and restarted later. Every deadline's transition must commit exactly
once (the run is at step 2, the step posted once) whichever process fired it; the restarted
process takes its shards back, and a button pressed in any guild afterwards is answered once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bot.core.activities import Activity
from bot.core.runner import Runner
from bot.core.steps import step_handlers
from bot.store.store import Store
from tests.engines import TestDatabase
from tests.fakes.gateway import FakeGateway, channel_of

ROOT = Path(__file__).resolve().parent.parent.parent
SHARDS = 4
PER_SHARD = 5
SECOND = "Second, after the deadline"
ACTIVITY = {
    "id": "shards-e2e",
    "title": "Shards end to end",
    "summary": "s",
    "version": 1,
    "duration_minutes": 5,
    "steps": [
        {
            "type": "reflect",
            "title": "First",
            "question": "q?",
            "time_limit": 10,
            "advance": "auto",
        },
        {"type": "reflect", "title": SECOND, "question": "q?"},
    ],
}


def guilds() -> list[int]:
    found = []
    for shard in range(SHARDS):
        for n in range(PER_SHARD):
            found.append(((n * SHARDS + shard) << 22) | 4321)
    return found


def start_process(index: int, gateway: FakeGateway, url: str, tmp: Path) -> subprocess.Popen[bytes]:
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CHORUS_") and key != "DISCORD_TOKEN"
    }
    environ.update(
        {
            "DISCORD_TOKEN": "fake.token.e2e",
            "CHORUS_DATABASE_URL": url,
            "CHORUS_DISCORD_API_BASE": gateway.api_base,
            "CHORUS_DISCORD_GATEWAY_URL": gateway.gateway_url,
            "CHORUS_DISCORD_SHARD_COUNT": str(SHARDS),
            "CHORUS_DISCORD_PROCESS_COUNT": "2",
            "CHORUS_DISCORD_PROCESS_INDEX": str(index),
            "CHORUS_DISCORD_MAX_CONCURRENCY": str(SHARDS),
            "CHORUS_MEDIA_DIR": str(tmp / "media"),
            "CHORUS_LOG_LEVEL": "INFO",
        }
    )
    log = (tmp / f"process-{index}-{time.time():.0f}.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=environ,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


async def steps_of(store: Store) -> dict[int, int]:
    rows = await store.db.fetch_all("SELECT id, step_index FROM activity_runs")
    return {int(r[0]): int(r[1]) for r in rows}


def posted_second_step(gateway: FakeGateway) -> Counter[int]:
    """Step messages of the second step posted, per channel (the board names it too)."""
    return Counter(
        channel
        for channel, body in gateway.posts
        if any(embed.get("title") == SECOND for embed in body.get("embeds") or [])
    )


def failed_processes(folder: Path) -> list[str]:
    """Logs with an error or a traceback (printed, for the test's output)."""
    failed = []
    for log in sorted(folder.glob("process-*.log")):
        text = log.read_text(errors="replace")
        if "Traceback" in text or "ERROR" in text:
            print(f"--- {log.name}\n{text[-4000:]}")
            failed.append(log.name)
    return failed


async def test_deadlines_fire_once_across_processes_through_a_kill_and_a_restart(
    postgres: TestDatabase, tmp_path: Path
) -> None:
    gateway = FakeGateway(guilds(), SHARDS)
    await gateway.start()
    store = Store(postgres.url)
    await store.open()  # migrated once, before the processes start
    processes: list[subprocess.Popen[bytes]] = []
    try:
        processes = [start_process(i, gateway, postgres.url, tmp_path) for i in range(2)]
        await gateway.wait_for_shards(set(range(SHARDS)))
        runner = Runner(store, time_clock, step_handlers())
        activity = Activity.model_validate({**ACTIVITY, "version_hash": "e2e"})
        run_guild: dict[int, int] = {}
        for guild in guilds():
            session = await store.sessions.create(
                guild_id=guild,
                channel_id=channel_of(guild),
                voice_channel_id=None,
                title="Circle",
                facilitator_id=5,
                now=time.time(),
            )
            run_guild[(await runner.start(session.id, activity)).run.id] = guild
        # The second process (shards 1, 3) dies before any deadline (10 s from now).
        await asyncio.sleep(3)
        processes[1].send_signal(signal.SIGKILL)
        processes[1].wait()
        killed_at = time.time()

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if set((await steps_of(store)).values()) == {1}:
                break
            await asyncio.sleep(0.5)
        fired_by = time.time() - killed_at
        assert set((await steps_of(store)).values()) == {1}, await steps_of(store)
        # Restarted: it takes its shards back; nothing fires a second time.
        processes[1] = start_process(1, gateway, postgres.url, tmp_path)
        await asyncio.sleep(2)
        await gateway.wait_for_shards(set(range(SHARDS)))
        await asyncio.sleep(5)

        assert set((await steps_of(store)).values()) == {1}
        # Every button pressed afterwards is answered once, by the process running its shard.
        sessions = {
            int(r[1]): int(r[0])
            for r in await store.db.fetch_all("SELECT id, guild_id FROM sessions")
        }
        clicks = [
            await gateway.click(guild, f"chorus:board:join:{sessions[guild]}", 700 + n)
            for n, guild in enumerate(guilds())
        ]
        for _ in range(100):
            if all(gateway.callbacks.get(i) for i in clicks):
                break
            await asyncio.sleep(0.1)
        assert {i: len(gateway.callbacks.get(i, [])) for i in clicks} == dict.fromkeys(clicks, 1)
        assert all(gateway.callbacks[i][0].get("type") in (4, 5, 6, 7, 9) for i in clicks)
        posted = posted_second_step(gateway)
        assert posted == Counter({channel_of(g): 1 for g in run_guild.values()}), posted
        leases = {lease.shard_id: lease for lease in await store.leases.all()}
        assert leases[1].owner == leases[1].home and leases[3].owner == leases[3].home
        assert leases[1].owner != leases[0].owner
        print(f"every deadline fired once; all fired {fired_by:.1f} s after the kill")
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        await store.close()
        await gateway.close()
        failed = failed_processes(tmp_path)
    assert failed == []


def time_clock() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)

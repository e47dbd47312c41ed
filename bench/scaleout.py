"""8. Scale-out: several Chorus processes on one PostgreSQL.

- Durable check-ins/s for 1, 2 and 3 processes in one run: each process (a real OS process)
  opens its own store on one shared schema, prepares 250 sessions of 20 members in its own
  guilds, and on a common signal all of them answer at once through CheckinService.answer_step
  (acknowledged after COMMIT). The figure is every check-in stored over the wall time from the
  first start to the last finish. Target: 3 processes >= 10,000/s together and >= 2x one.
- Failover: a process holding 3 of 6 shard leases (real heartbeats, `bot.shards.LeaseKeeper`)
  is killed with SIGKILL; 60 runs in its guilds have step deadlines about 1 s to 6 s after the
  kill. The survivor (its keeper and one DeadlineTimer, as the bot wires them) adopts the
  shards; reported: seconds from the kill to the adoption (target < 15 s) and the latest a
  deadline's transition committed after the deadline.

Needs PostgreSQL (CHORUS_BENCH_POSTGRES_URL or CHORUS_TEST_POSTGRES_URL); without it the rows
are skipped and the reason printed. Reports only; it fails only if a check-in is lost or a
deadline fires twice or never.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from typing import Any

from bench.common import ROOT, Row
from bench.engines import _in_schema, _postgres_url
from bench.world import clock, open_store, populate, shipped_catalog
from bot.records.sessions import NewSession

SESSIONS = 250
MEMBERS = 20
SHARDS = 6
FAILOVER_RUNS = 60


# ------------------------------------------------------------------ throughput worker


async def _worker(url: str, index: int) -> None:
    """One process: prepare its sessions, say ready, wait for go, answer, report."""
    from bench.checkins import _burst, _post_steps
    from bot.core.checkin_service import CheckinService
    from bot.gc_tuning import tune_garbage_collector
    from bot.settings import CheckinSettings

    tune_garbage_collector()
    store, runner = await open_store(url)
    try:
        activity = shipped_catalog().activities["opening-checkin"]
        opened = await populate(
            store, runner, activity, SESSIONS, MEMBERS, first=10_000 * (index + 1)
        )
        await _post_steps(store, opened)
        service = CheckinService(store, clock, runner, CheckinSettings())
        work = [(o.run.id, uid) for o in opened if o.run is not None for uid in o.members]
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        started = time.time()
        seconds, _ = await _burst(service, work)
        print(json.dumps({"start": started, "end": started + seconds, "count": len(work)}))
    finally:
        await store.close()


def _spawn(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bench.scaleout", *args],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _together(url: str, processes: int) -> tuple[float, int]:
    """(check-ins/s of `processes` processes together, check-ins stored)."""
    children = [_spawn(["--worker", url, str(i)]) for i in range(processes)]
    try:
        for child in children:
            assert child.stdout is not None
            line = child.stdout.readline().strip()
            assert line == "ready", f"worker said {line!r}"
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        reports = []
        for child in children:
            out, _ = child.communicate(timeout=600)
            reports.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
    count = sum(int(r["count"]) for r in reports)
    wall = max(r["end"] for r in reports) - min(r["start"] for r in reports)
    return count / wall, count


async def _stored(url: str) -> int:
    import asyncpg

    conn: Any = await asyncpg.connect(url)
    try:
        return int(await conn.fetchval("SELECT COUNT(*) FROM checkins"))
    finally:
        await conn.close()


# ------------------------------------------------------------------ failover


async def _holder(url: str) -> None:
    """The process that will be killed: it holds shards 1, 3, 5 with real heartbeats."""
    from bot.shards import LeaseKeeper
    from bot.store.store import Store

    store = Store(url)
    await store.open()
    keeper = LeaseKeeper(store, clock, (1, 3, 5), SHARDS, _nothing, owner="victim")
    await keeper.start()
    print("ready", flush=True)
    await asyncio.sleep(3600)


async def _nothing() -> None:
    return None


async def _failover(url: str) -> tuple[float, float, int]:
    """(seconds to adopt, latest transition after its deadline in s, runs moved)."""
    from bot.core.activities import Activity
    from bot.core.deadline_timer import DeadlineTimer
    from bot.core.runner import Runner
    from bot.core.steps import step_handlers
    from bot.shards import LeaseKeeper, shard_of
    from bot.store.store import Store

    store = Store(url)
    await store.open()
    runner = Runner(store, clock, step_handlers())
    fired: dict[int, float] = {}

    async def wake() -> None:
        for update in await runner.wake_due():
            if update.entered_step is not None or update.ended is not None:
                assert update.run.id not in fired, "a deadline fired twice"
                fired[update.run.id] = time.time()

    timer = DeadlineTimer(clock, runner.next_wake, wake)
    keeper = LeaseKeeper(store, clock, (0, 2, 4), SHARDS, timer.rearm, owner="survivor")
    runner.fire_for(keeper.scope)
    victim = _spawn(["--holder", url])
    try:
        assert victim.stdout is not None and victim.stdout.readline().strip() == "ready"
        await keeper.start()
        step = {"type": "reflect", "title": "Say", "question": "q?", "advance": "auto"}
        deadlines: dict[int, float] = {}
        killed_at = time.time() + 9.0
        for n in range(FAILOVER_RUNS):
            guild = ((n * SHARDS + 1 + 2 * (n % 3)) << 22) | 7
            assert shard_of(guild, SHARDS) in (1, 3, 5)
            limit = 10 + n % 6  # whole seconds, 10 s at least: due 1 to 6 s after the kill
            activity = Activity.model_validate(
                {
                    "id": "failover",
                    "title": "Failover",
                    "summary": "s",
                    "version": 1,
                    "duration_minutes": 5,
                    "steps": [{**step, "time_limit": limit}, {**step, "title": "Next"}],
                    "version_hash": "x",
                }
            )
            session = await store.sessions.create(
                NewSession(
                    guild_id=guild,
                    channel_id=8_000_000 + n,
                    voice_channel_id=None,
                    title="t",
                    facilitator_id=9,
                ),
                time.time(),
            )
            started = await runner.start(session.id, activity)
            assert started.run.step_deadline is not None
            deadlines[started.run.id] = started.run.step_deadline
        await asyncio.sleep(max(0.0, killed_at - time.time()))
        killed_at = time.time()
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        adopted_at = None
        while time.time() - killed_at < 60 and len(fired) < len(deadlines):
            if adopted_at is None and {1, 3, 5} <= keeper.held:
                adopted_at = time.time()
            await asyncio.sleep(0.05)
        assert adopted_at is not None, "the survivor never adopted the dead process's shards"
        assert set(fired) == set(deadlines), f"{len(fired)} of {len(deadlines)} deadlines fired"
        late = max(fired[r] - deadlines[r] for r in deadlines)
        return adopted_at - killed_at, late, len(fired)
    finally:
        if victim.poll() is None:
            victim.kill()
        timer.close()
        await keeper.close()
        await store.close()


# ------------------------------------------------------------------ the benchmark


async def _schema(url: str, action: str, schema: str) -> None:
    import asyncpg

    conn: Any = await asyncpg.connect(url)
    try:
        if action == "create":
            await conn.execute(f'CREATE SCHEMA "{schema}"')
        else:
            await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await conn.close()


async def _migrated(url: str) -> None:
    from bot.store.store import Store

    store = Store(url)
    await store.open()
    await store.close()


def run() -> list[Row]:
    name = "9 scale-out"
    base = _postgres_url()
    if base is None:
        print(
            "scaleout: skipped: set CHORUS_BENCH_POSTGRES_URL (or CHORUS_TEST_POSTGRES_URL)",
            file=sys.stderr,
        )
        return []
    rates: dict[int, float] = {}
    for processes in (1, 2, 3):
        schema = f"chorus_scale_{uuid.uuid4().hex[:10]}"
        asyncio.run(_schema(base, "create", schema))
        try:
            url = _in_schema(base, schema)
            asyncio.run(_migrated(url))  # once, before the workers race to it
            rates[processes], count = _together(url, processes)
            stored = asyncio.run(_stored(url))
            assert stored == count, f"{stored} check-ins stored, {count} acknowledged"
        finally:
            asyncio.run(_schema(base, "drop", schema))
    schema = f"chorus_failover_{uuid.uuid4().hex[:10]}"
    asyncio.run(_schema(base, "create", schema))
    try:
        url = _in_schema(base, schema)
        asyncio.run(_migrated(url))
        adopt, late, moved = asyncio.run(_failover(url))
    finally:
        asyncio.run(_schema(base, "drop", schema))
    per = f"{SESSIONS * MEMBERS:,} per process"
    rows = [
        Row(name, f"1 process, {per}: durable check-ins/s", rates[1], "/s"),
        Row(
            name,
            "2 processes together: durable check-ins/s",
            rates[2],
            "/s",
            "1 process",
            rates[1],
        ),
        Row(
            name,
            "3 processes together: durable check-ins/s",
            rates[3],
            "/s",
            "1 process",
            rates[1],
            target=">= 10,000/s and >= 2x one process",
            met=rates[3] >= 10_000 and rates[3] >= 2 * rates[1],
            notes=f"cores: {os.cpu_count()} (PostgreSQL shares them)",
        ),
        Row(
            name,
            "survivor adopts a killed process's shards",
            adopt,
            "s",
            higher_is_better=False,
            target="< 15 s",
            met=adopt < 15,
            notes="heartbeat 2 s, lease 6 s",
        ),
        Row(
            name,
            f"latest deadline after the kill ({moved} runs, due 1-6 s after)",
            late,
            "s late",
            higher_is_better=False,
            notes="each fired exactly once",
        ),
    ]
    return rows


def main(argv: list[str]) -> int:
    if argv[:1] == ["--worker"]:
        asyncio.run(_worker(argv[1], int(argv[2])))
        return 0
    if argv[:1] == ["--holder"]:
        asyncio.run(_holder(argv[1]))
        return 0
    for row in run():
        print(row.as_json())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

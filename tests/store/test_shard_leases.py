"""Several processes on one database: shard leases, due-run claims, the IDENTIFY gate.

Each "process" is its own Store (its own connections, writer and cache) on the same database:
a SQLite file, or one PostgreSQL schema. The claim and lease tests run on both engines (the
SQL is the same; only PostgreSQL adds `FOR UPDATE SKIP LOCKED`); the IDENTIFY gate needs
PostgreSQL's advisory locks.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.activities import Activity
from bot.core.runner import Runner
from bot.core.step_timers import CLAIM_HOLD
from bot.core.steps import step_handlers
from bot.shards import LeaseKeeper, shard_of
from bot.store.identify import IdentifyGate
from bot.store.runs import ShardScope
from bot.store.store import Store
from tests.engines import TestDatabase

SHARDS = 6
ACTIVITY = {
    "id": "lease-test",
    "title": "Lease test",
    "summary": "s",
    "version": 1,
    "duration_minutes": 5,
    "steps": [
        {"type": "reflect", "title": "Say", "question": "q?", "time_limit": 30, "advance": "auto"},
        {"type": "reflect", "title": "Again", "question": "q?", "time_limit": 30},
    ],
}


def guild_on(shard: int, n: int = 0) -> int:
    """A guild id Discord puts on `shard` (of SHARDS)."""
    guild = ((n * SHARDS + shard) << 22) | 12345
    assert shard_of(guild, SHARDS) == shard
    return guild


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
async def two(engine: TestDatabase) -> AsyncIterator[tuple[Store, Store]]:
    first, second = Store(engine.url), Store(engine.url)
    await first.open()
    await second.open()
    yield first, second
    await second.close()
    await first.close()


async def due_run(store: Store, guild_id: int, wake_at: float) -> int:
    session = await store.sessions.create(
        guild_id=guild_id,
        channel_id=guild_id + 1,
        voice_channel_id=None,
        title="t",
        facilitator_id=9,
        now=0.0,
    )
    run = await store.runs.create(
        session_id=session.id,
        activity_id="a",
        version_hash="h",
        definition="{}",
        now=0.0,
        step_deadline=wake_at,
    )
    return run.id


async def test_two_claimers_split_the_due_runs_and_never_share_one(
    two: tuple[Store, Store],
) -> None:
    first, second = two
    everyone = ShardScope(frozenset(range(SHARDS)), SHARDS)
    ids = {await due_run(first, guild_on(i % SHARDS, i), 100.0) for i in range(60)}
    later = await due_run(first, guild_on(0, 99), 500.0)

    got_a, got_b = await asyncio.gather(
        first.runs.claim_due(200.0, everyone, CLAIM_HOLD),
        second.runs.claim_due(200.0, everyone, CLAIM_HOLD),
    )
    a, b = {r.id for r in got_a}, {r.id for r in got_b}
    assert not a & b
    assert a | b == ids
    assert later not in a | b
    # Claimed: nobody gets them again until the claim lapses (its process died mid-wake).
    assert await second.runs.claim_due(201.0, everyone, CLAIM_HOLD) == []
    assert await second.runs.next_wake(everyone) == 200.0 + CLAIM_HOLD
    again = await second.runs.claim_due(200.0 + CLAIM_HOLD, everyone, CLAIM_HOLD)
    assert {r.id for r in again} == ids
    # A wake's own update (a new wake_at) ends the claim at once.
    run = next(iter(again))
    await second.runs.update(run.id, run.step_index, wake_at=150.0)
    assert [r.id for r in await first.runs.claim_due(202.0 + CLAIM_HOLD, everyone, 5.0)] == [run.id]


async def test_a_claim_takes_only_the_scopes_shards(two: tuple[Store, Store]) -> None:
    first, _ = two
    mine = {await due_run(first, guild_on(s, 1), 100.0) for s in (0, 2, 4)}
    theirs = {await due_run(first, guild_on(s, 1), 50.0) for s in (1, 3, 5)}
    scope = ShardScope(frozenset({0, 2, 4}), SHARDS)
    assert await first.runs.next_wake(scope) == 100.0
    assert await first.runs.next_wake(ShardScope(frozenset(), SHARDS)) is None
    assert {r.id for r in await first.runs.claim_due(200.0, scope, CLAIM_HOLD)} == mine
    other = ShardScope(frozenset({1, 3, 5}), SHARDS)
    assert {r.id for r in await first.runs.claim_due(200.0, other, CLAIM_HOLD)} == theirs


async def test_a_survivor_adopts_dead_leases_and_hands_them_back(
    two: tuple[Store, Store],
) -> None:
    first, second = two
    a = await first.leases.beat("a", (0, 2, 4), SHARDS, now=0.0, ttl=6.0)
    b = await second.leases.beat("b", (1, 3, 5), SHARDS, now=0.0, ttl=6.0)
    assert (a, b) == ({0, 2, 4}, {1, 3, 5})
    # "a" dies (no more beats); before its leases lapse nobody takes them.
    assert await second.leases.beat("b", (1, 3, 5), SHARDS, now=5.0, ttl=6.0) == {1, 3, 5}
    assert await second.leases.beat("b", (1, 3, 5), SHARDS, now=7.0, ttl=6.0) == set(range(6))
    # "a" restarts under a new name: it takes its home shards back ...
    assert await first.leases.beat("a2", (0, 2, 4), SHARDS, now=9.0, ttl=6.0) == {0, 2, 4}
    # ... and the survivor sees at its next beat that they are no longer its own.
    assert await second.leases.beat("b", (1, 3, 5), SHARDS, now=9.5, ttl=6.0) == {1, 3, 5}
    # A clean stop lets them lapse at once: the next beat of a survivor adopts them.
    await first.leases.release("a2")
    assert await second.leases.beat("b", (1, 3, 5), SHARDS, now=10.0, ttl=6.0) == set(range(6))
    homes = {lease.shard_id: lease.home for lease in await first.leases.all()}
    assert homes == {0: "a2", 1: "b", 2: "a2", 3: "b", 4: "a2", 5: "b"}


async def test_two_runners_advance_every_due_run_exactly_once(
    two: tuple[Store, Store],
) -> None:
    first, second = two
    clock = Clock()
    runners = []
    for store, home in ((first, (0, 2, 4)), (second, (1, 3, 5))):
        runner = Runner(store, clock, step_handlers())
        keeper = LeaseKeeper(store, clock, home, SHARDS, on_beat=_nothing, owner=str(home))
        runner.fire_for(keeper.scope)
        await keeper.beat()
        runners.append((runner, keeper))
    activity = Activity.model_validate({**ACTIVITY, "version_hash": "abc"})
    run_ids = []
    for i in range(24):
        session = await first.sessions.create(
            guild_id=guild_on(i % SHARDS, i),
            channel_id=1000 + i,
            voice_channel_id=None,
            title="t",
            facilitator_id=9,
            now=0.0,
        )
        run_ids.append((await runners[0][0].start(session.id, activity)).run.id)
    # The second process dies: its leases lapse, the first adopts them and fires their timers.
    clock.tick(31)
    first_updates = await runners[0][0].wake_due()
    assert {u.run.id for u in first_updates} == set(run_ids[0::2])
    clock.tick(7)
    assert await runners[0][1].beat() == set(range(SHARDS))
    # Both wake together (the second came back): each run moves on once, by one of them.
    both = await asyncio.gather(runners[0][0].wake_due(), runners[1][0].wake_due())
    moved = [u.run.id for updates in both for u in updates] + [u.run.id for u in first_updates]
    assert sorted(moved) == sorted(run_ids)
    rows = await first.db.fetch_all("SELECT step_index FROM activity_runs")
    assert [int(r[0]) for r in rows] == [1] * len(run_ids)


async def _nothing() -> None:
    return None


async def test_identify_gate_spaces_one_bucket_across_processes(
    postgres: TestDatabase,
) -> None:
    spacing = 1.0
    gates = [IdentifyGate(postgres.url, max_concurrency=2, spacing=spacing) for _ in range(2)]
    times: dict[int, list[float]] = {0: [], 1: []}

    async def identify(gate: IdentifyGate, shard: int) -> None:
        await gate.before_identify(shard)
        times[shard % 2].append(time.monotonic())

    try:
        # Two processes, shards 0..5: bucket 0 holds shards 0, 2, 4; bucket 1 shards 1, 3, 5.
        await asyncio.gather(
            *(identify(gates[shard % 2 if shard < 4 else 1], shard) for shard in range(6))
        )
    finally:
        for gate in gates:
            await gate.close()
    for bucket, stamps in times.items():
        stamps.sort()
        gaps = [later - earlier for earlier, later in itertools.pairwise(stamps)]
        assert len(stamps) == 3
        assert min(gaps) >= spacing * 0.95, (bucket, gaps)
    # The two buckets identify side by side, not one after the other.
    assert abs(times[0][0] - times[1][0]) < spacing


async def test_only_shards_taken_from_a_dead_holder_have_their_unposted_steps_recovered(
    two: tuple[Store, Store],
) -> None:
    """A step is posted after its move committed by the process that moved it: the taker of
    a live holder's shard must not post it too; the taker of a dead holder's shard must."""
    first, second = two
    clock = Clock()
    a = LeaseKeeper(first, clock, (0, 2, 4), SHARDS, on_beat=_nothing, owner="a", ttl=6.0)
    b = LeaseKeeper(second, clock, (1, 3, 5), SHARDS, on_beat=_nothing, owner="b", ttl=6.0)
    await a.beat()
    await b.beat()
    assert (a.recovering(), b.recovering()) == ({0, 2, 4}, {1, 3, 5})  # nobody held them
    assert a.recovering() == frozenset()  # each told once
    clock.tick(7)  # "b" died
    assert await a.beat() == set(range(SHARDS))
    assert a.recovering() == {1, 3, 5}
    # "b" returns while "a" (alive) holds its shards: "a" may be posting their steps.
    b2 = LeaseKeeper(second, clock, (1, 3, 5), SHARDS, on_beat=_nothing, owner="b2", ttl=6.0)
    assert await b2.beat() == {1, 3, 5}
    assert b2.recovering() == frozenset()
    clock.tick(1)
    assert await a.beat() == {0, 2, 4}
    # Both die, nobody adopts: a returning process recovers its own shards (and adopts the
    # other's, dead too).
    clock.tick(20)
    b3 = LeaseKeeper(second, clock, (1, 3, 5), SHARDS, on_beat=_nothing, owner="b3", ttl=6.0)
    assert await b3.beat() == set(range(SHARDS))
    assert b3.recovering() == set(range(SHARDS))
    recovers = b3.recovers(frozenset({3}))
    assert recovers(guild_on(3, 4)) and not recovers(guild_on(1, 4))

"""Several processes on one database: due-run claims split by shard leases.

Each "process" is its own Store (its own connections, writer and cache) on the same database
(the `two` fixture): a SQLite file, or one PostgreSQL schema. The claims run on both engines
(the SQL is the same; only PostgreSQL adds `FOR UPDATE SKIP LOCKED`). The leases themselves are
tested in tests/store/test_leases.py, the IDENTIFY gate in tests/store/test_identify.py and the
lease keeper in tests/test_shards.py.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.core.activities import Activity
from bot.core.runner import Runner
from bot.core.step_timers import CLAIM_HOLD
from bot.core.steps import step_handlers
from bot.records.sessions import NewRun, NewSession
from bot.shards import LeaseKeeper, shard_of
from bot.store.runs import ShardScope
from bot.store.store import Store

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


async def due_run(store: Store, guild_id: int, wake_at: float) -> int:
    session = await store.sessions.create(
        NewSession(
            guild_id=guild_id,
            channel_id=guild_id + 1,
            voice_channel_id=None,
            title="t",
            facilitator_id=9,
        ),
        0.0,
    )
    run = await store.runs.create(
        NewRun(
            session_id=session.id,
            activity_id="a",
            version_hash="h",
            definition="{}",
            step_deadline=wake_at,
        ),
        0.0,
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


async def test_two_runners_advance_every_due_run_exactly_once(
    two: tuple[Store, Store],
) -> None:
    first, second = two
    clock = Clock()
    runners = []
    for store, home in ((first, (0, 2, 4)), (second, (1, 3, 5))):
        runner = Runner(store, clock, step_handlers())
        keeper = LeaseKeeper(store, clock, home, SHARDS, on_beat=nothing, owner=str(home))
        runner.fire_for(keeper.scope)
        await keeper.beat()
        runners.append((runner, keeper))
    activity = Activity.model_validate({**ACTIVITY, "version_hash": "abc"})
    run_ids = []
    for i in range(24):
        session = await first.sessions.create(
            NewSession(
                guild_id=guild_on(i % SHARDS, i),
                channel_id=1000 + i,
                voice_channel_id=None,
                title="t",
                facilitator_id=9,
            ),
            0.0,
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


async def nothing() -> None:
    return None

"""Lyric turn timers with several processes on one database: fired by the shard's lease holder,
from the deadline stored in the run, once, through a death, an adoption and a return.

A write step's turn deadline is the run's stored `turn_deadline` (its `wake_at`), so it is
claimed and moved like every deadline (`Runner.wake_due` with a `LeaseKeeper`'s scope); the
song sheet keeps no timer of its own and pings only in the process that committed the turn
(bot/cogs/lyric_sheet.py). Two "processes" are two Stores, like tests/store/test_shard_leases.py.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter

from bot.core.activities import Activity
from bot.core.run_updates import RunUpdate
from bot.core.runner import Runner
from bot.core.steps import step_handlers
from bot.records.sessions import NewSession
from bot.shards import LeaseKeeper
from bot.store.store import Store
from tests.engines import TestDatabase
from tests.store.test_shard_leases import SHARDS, Clock, guild_on

TURN = 30
WRITERS = (71, 72, 73)
SONG = {
    "id": "turns-test",
    "title": "Turns test",
    "summary": "s",
    "version": 1,
    "duration_minutes": 15,
    "steps": [
        {
            "type": "write",
            "title": "Write",
            "theme": "home",
            "structure": [{"name": "verse", "lines": 8}],
            "turns": "round_robin",
            "turn_seconds": TURN,
        },
    ],
}


async def _nothing() -> None:
    return None


async def turns(store: Store) -> dict[int, tuple[int, int]]:
    """run -> (turn_no, timeouts recorded), as committed."""
    rows = await store.db.fetch_all("SELECT id, step_state FROM activity_runs")
    found = {}
    for row in rows:
        state = json.loads(str(row[1]))
        found[int(row[0])] = (int(state["turn_no"]), len(state["timeouts"]))
    return found


def moved(*batches: list[RunUpdate]) -> Counter[int]:
    return Counter(update.run.id for batch in batches for update in batch)


async def test_turn_deadlines_fire_once_in_the_lease_holder_through_death_and_return(
    postgres: TestDatabase,
) -> None:
    first, second = Store(postgres.url), Store(postgres.url)
    await first.open()
    await second.open()
    try:
        clock = Clock()
        processes: list[tuple[Runner, LeaseKeeper]] = []
        for store, home in ((first, (0, 2, 4)), (second, (1, 3, 5))):
            runner = Runner(store, clock, step_handlers())
            keeper = LeaseKeeper(store, clock, home, SHARDS, on_beat=_nothing, owner=str(home))
            runner.fire_for(keeper.scope)
            await keeper.beat()
            processes.append((runner, keeper))
        (runner_a, keeper_a), (runner_b, _) = processes
        song = Activity.model_validate({**SONG, "version_hash": "abc"})
        runs = []
        for i in range(12):
            session = await first.sessions.create(
                NewSession(
                    guild_id=guild_on(i % SHARDS, i),
                    channel_id=2000 + i,
                    voice_channel_id=None,
                    title="t",
                    facilitator_id=9,
                ),
                0.0,
            )
            for writer in WRITERS:
                await first.sessions.join(session.id, writer, 0.0)
            runs.append((await runner_a.start(session.id, song)).run.id)
        assert set((await turns(first)).values()) == {(1, 0)}

        # Turn 1 runs out: both processes wake at once; each fires only its own shards' runs.
        clock.tick(TURN + 1)
        a, b = await asyncio.gather(runner_a.wake_due(), runner_b.wake_due())
        assert moved(a) == Counter(runs[0::2]) and moved(b) == Counter(runs[1::2])
        assert set((await turns(first)).values()) == {(2, 1)}

        # The second process dies (no more beats); nobody fires its turns until its leases
        # lapse, then the first adopts them and fires them from the stored deadlines.
        clock.tick(TURN)
        assert moved(await runner_a.wake_due()) == Counter(runs[0::2])
        clock.tick(7)
        assert await keeper_a.beat() == set(range(SHARDS))
        assert moved(await runner_a.wake_due()) == Counter(runs[1::2])
        assert set((await turns(first)).values()) == {(3, 2)}

        # It comes back under a new name and takes its shards home; for one heartbeat both
        # may think they hold them: the claim and the compare-and-set keep each turn to one.
        keeper_b2 = LeaseKeeper(
            second, clock, (1, 3, 5), SHARDS, on_beat=_nothing, owner="(1, 3, 5) again"
        )
        runner_b.fire_for(keeper_b2.scope)
        assert await keeper_b2.beat() == {1, 3, 5}
        clock.tick(TURN)
        a, b = await asyncio.gather(runner_a.wake_due(), runner_b.wake_due())
        assert moved(a, b) == Counter(runs)
        assert set((await turns(first)).values()) == {(4, 3)}
    finally:
        await second.close()
        await first.close()

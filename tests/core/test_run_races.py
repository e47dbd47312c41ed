"""Two processes (shards on one database) changing the same run's step state at once.

A run's changes are serialised per process (RunLocks); two processes can still touch one run:
while a dead process's shards are adopted and handed back (bot/shards.py), the returning home
process answers its guilds' members while the adopter may still fire that run's timers. The
race is made certain here by a third connection holding the run for writing while both
processes read it, then letting go.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.core.activities import Activity
from bot.core.errors import Conflict
from bot.core.runner import Runner
from bot.core.steps import step_handlers
from bot.store.store import Store
from tests.core.runner_setup import ACTIVITY, Clock, activity, session
from tests.engines import TestDatabase

HELD_SECONDS = 0.5
"""How long the third connection holds the run: both processes read it meanwhile (the
outcome asserted is the same whatever the interleaving; this makes the racy one likely)."""


@asynccontextmanager
async def run_held_for_writing(engine: TestDatabase, run_id: int) -> AsyncIterator[None]:
    """Another connection holding the run's row (PostgreSQL) or the write lock (SQLite): reads
    go on, writes wait until the block ends."""
    if engine.is_postgres:
        import asyncpg

        conn = await asyncpg.connect(engine.url)
        transaction = conn.transaction()
        await transaction.start()
        await conn.execute("SELECT id FROM activity_runs WHERE id = $1 FOR UPDATE", run_id)
        try:
            yield
        finally:
            await transaction.rollback()
            await conn.close()
    else:
        assert engine.path is not None
        other = sqlite3.connect(engine.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()


async def test_a_note_is_claimed_once_across_two_processes(
    engine: TestDatabase, two: tuple[Store, Store], clock: Clock
) -> None:
    first, second = two
    here, there = Runner(first, clock, step_handlers()), Runner(second, clock, step_handlers())
    s = await session(first, 1)
    run = (await here.start(s.id, activity())).run
    await first.runs.update(run.id, 0, step_state=json.dumps({"note": {"user": 1}}))
    assert await there.live_run(s.id) is not None  # the other process knows the run too
    async with run_held_for_writing(engine, run.id):
        claims = asyncio.gather(
            here.claim_note(run.id, 0, "note"), there.claim_note(run.id, 0, "note")
        )
        await asyncio.sleep(HELD_SECONDS)
    assert sorted(await claims) == [False, True]  # told once, by one of them
    stored = await second.runs.get(run.id)
    assert stored is not None and json.loads(stored.step_state)["note"] == {
        "user": 1,
        "told": True,
    }


POOLED = Activity.model_validate(
    {
        **ACTIVITY,
        "id": "core-pooled",
        "version_hash": "pooled",
        "steps": [
            {
                "type": "reflect",
                "title": "Look back",
                "question": {"pool": ["What stayed?", "What surprised you?", "What moved?"]},
            }
        ],
    }
)


async def test_another_question_is_drawn_once_per_step_across_two_processes(
    engine: TestDatabase, two: tuple[Store, Store], clock: Clock
) -> None:
    first, second = two
    here, there = Runner(first, clock, step_handlers()), Runner(second, clock, step_handlers())
    s = await session(first, 1)
    run = (await here.start(s.id, POOLED)).run
    assert await there.live_run(s.id) is not None
    async with run_held_for_writing(engine, run.id):
        drawn = asyncio.gather(
            here.draw_again(run.id, 0), there.draw_again(run.id, 0), return_exceptions=True
        )
        await asyncio.sleep(HELD_SECONDS)
    outcomes = await drawn
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(refused) == 1, outcomes  # one draws again; the other is told it was done
    assert "already drawn another question" in refused[0].message

"""That a member was shown the consent explanation at a step is marked once per member and
step (`ConsentAskRepository`): across processes on one database, gone with /forget and with
its run's session. Both engines."""

from __future__ import annotations

import asyncio

from bot.records.sessions import NewRun
from bot.store.engine import Conn
from bot.store.store import Store
from tests.core.runner_setup import session
from tests.engines import TestDatabase, rows_outside

GUILD, ANA, BEN = 1, 11, 12


async def _run(store: Store, channel_id: int = 10) -> tuple[int, int]:
    """A session with a run: (session id, run id)."""
    created = await session(store, guild_id=GUILD, channel_id=channel_id)
    run = await store.runs.create(NewRun(created.id, "act", "h", "{}", None), 2.0)
    return created.id, run.id


async def marks(engine: TestDatabase) -> list[tuple[object, ...]]:
    return await rows_outside(
        engine,
        "SELECT run_id, step_index, user_id, asked_at FROM consent_asks"
        " ORDER BY run_id, step_index, user_id",
    )


async def test_a_member_is_marked_asked_once_per_step(store: Store, engine: TestDatabase) -> None:
    asks = store.consent_asks
    _sid, run = await _run(store)
    assert await asks.mark(run, 0, GUILD, ANA, 10.0)
    assert not await asks.mark(run, 0, GUILD, ANA, 11.0)  # asked there before
    assert await asks.mark(run, 1, GUILD, ANA, 12.0)  # another step asks afresh
    assert await asks.mark(run, 0, GUILD, BEN, 13.0)  # each member their own
    assert await marks(engine) == [(run, 0, ANA, 10.0), (run, 0, BEN, 13.0), (run, 1, ANA, 12.0)]


async def test_two_processes_mark_a_step_once(store: Store, engine: TestDatabase) -> None:
    _sid, run = await _run(store)
    other = Store(engine.url)
    await other.open()
    try:
        first = await asyncio.gather(
            store.consent_asks.mark(run, 0, GUILD, ANA, 10.0),
            other.consent_asks.mark(run, 0, GUILD, ANA, 10.0),
        )
        assert sorted(first) == [False, True]
    finally:
        await other.close()
    assert [row[:3] for row in await marks(engine)] == [(run, 0, ANA)]


async def test_the_mark_goes_with_forget_and_with_its_session(
    store: Store, engine: TestDatabase
) -> None:
    asks = store.consent_asks
    (_kept_session, kept), (ended_session, ended) = await _run(store), await _run(store, 20)
    for run in (kept, ended):
        for member in (ANA, BEN):
            assert await asks.mark(run, 0, GUILD, member, 10.0)
    await store.privacy.forget(GUILD, ANA, now=50.0)
    assert [row[:3] for row in await marks(engine)] == [(kept, 0, BEN), (ended, 0, BEN)]

    # No session is deleted by Chorus today; the rows still go with it (ON DELETE CASCADE).
    async def delete_session(conn: Conn) -> int:
        return await conn.execute("DELETE FROM sessions WHERE id = ?", (ended_session,))

    assert await store.db.write(delete_session, invalidate=()) == 1
    assert [row[:3] for row in await marks(engine)] == [(kept, 0, BEN)]
    assert await asks.mark(kept, 0, GUILD, ANA, 60.0)  # forgotten: the explanation again

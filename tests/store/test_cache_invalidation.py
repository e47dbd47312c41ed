"""Each write forgets only the cached reads it changes (issue 17 item 5, issue 28 target 3).

During a burst of session starts every start used to forget every cached read, so each one
re-read the other sessions' present lists and records. On both engines: a start or an opened
session keeps the other sessions' cached reads; a join drops its own session's present list
and no other.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.records.sessions import NewRun, NewSession, SessionRecord
from bot.store.runs import RunAlreadyLive
from bot.store.store import Store

MISSING = object()


async def open_session(store: Store, channel_id: int) -> SessionRecord:
    return await store.sessions.create(
        NewSession(
            guild_id=1,
            channel_id=channel_id,
            voice_channel_id=None,
            title="circle",
            facilitator_id=5,
        ),
        1.0,
    )


def cached(store: Store, key: tuple[object, ...]) -> object:
    return store.db.peek(key, MISSING)


async def test_a_start_keeps_other_sessions_cached_reads_and_caches_its_own_run(
    store: Store,
) -> None:
    a, b = await open_session(store, 10), await open_session(store, 11)
    for session, member in ((a, 7), (b, 8)):
        assert await store.sessions.join(session.id, member, 2.0)
    before_b = await store.sessions.present(b.id)
    await store.sessions.present(a.id)
    await store.sessions.get(b.id)
    held_b = cached(store, ("present", b.id))
    assert await store.runs.get(1) is None  # the id the first run will have, looked up first

    run = await store.runs.create(
        NewRun(
            session_id=a.id,
            activity_id="opening-checkin",
            version_hash="h",
            definition="{}",
            step_deadline=None,
        ),
        3.0,
    )

    assert run.id == 1
    assert cached(store, ("present", b.id)) is held_b  # not re-read: the same tuple
    assert cached(store, ("present", a.id)) is not MISSING
    assert cached(store, ("session", b.id)) is not MISSING
    assert cached(store, ("run", run.id)) == run  # kept as committed, not the earlier None
    assert await store.runs.get(run.id) == run
    assert await store.runs.for_session(a.id) == [run]  # what the database holds
    assert await store.sessions.present(b.id) == before_b


async def test_a_join_drops_its_own_sessions_present_list_only(store: Store) -> None:
    a, b = await open_session(store, 10), await open_session(store, 11)
    assert await store.sessions.join(b.id, 8, 2.0)
    assert await store.sessions.present(a.id) == []
    assert [p.user_id for p in await store.sessions.present(b.id)] == [8]
    held_b = cached(store, ("present", b.id))
    assert held_b is not MISSING

    assert await store.sessions.join(a.id, 7, 3.0)

    assert cached(store, ("present", a.id)) is MISSING
    assert cached(store, ("present", b.id)) is held_b
    assert [p.user_id for p in await store.sessions.present(a.id)] == [7]
    assert [p.user_id for p in await store.sessions.present(b.id)] == [8]


async def test_opening_a_session_keeps_the_others_cached_reads(store: Store) -> None:
    a = await open_session(store, 10)
    assert await store.sessions.join(a.id, 7, 2.0)
    await store.sessions.present(a.id)
    held = cached(store, ("present", a.id)), cached(store, ("session", a.id))
    assert MISSING not in held

    c = await open_session(store, 12)

    assert (cached(store, ("present", a.id)), cached(store, ("session", a.id))) == held
    assert cached(store, ("present", a.id)) is held[0]
    assert await store.sessions.get(c.id) == c
    assert await store.sessions.present(c.id) == []


async def test_a_start_refused_for_a_live_run_changes_no_cached_read(store: Store) -> None:
    a = await open_session(store, 10)
    first = await store.runs.create(
        NewRun(
            session_id=a.id, activity_id="x", version_hash="h", definition="{}", step_deadline=None
        ),
        3.0,
    )
    with pytest.raises(RunAlreadyLive):
        await store.runs.create(
            NewRun(
                session_id=a.id,
                activity_id="x",
                version_hash="h",
                definition="{}",
                step_deadline=None,
            ),
            4.0,
        )
    assert cached(store, ("run", first.id)) == first
    assert await store.runs.for_session(a.id) == [first]


async def _hears_the_end(store: Store, session_id: int) -> None:
    """PostgreSQL: wait until `store`'s process heard the other end the session. SQLite
    publishes nothing (one process per file), so the notification PostgreSQL would deliver
    is handed to the same subscribers directly."""
    if store.changes.shared:
        for _ in range(500):  # a bound on waiting, not a timing assertion
            if store.changes.heard:
                break
            await asyncio.sleep(0.01)
        assert store.changes.heard, "the other process's end of the session was not heard"
    else:
        store.changes._dispatch("session", (session_id,))
    await store.changes.settled()


async def test_a_session_another_process_ends_leaves_none_of_its_reads_cached(
    two: tuple[Store, Store],
) -> None:
    first, second = two
    session = await open_session(first, 10)
    assert await second.sessions.join(session.id, 7, 2.0)
    assert await second.sessions.present(session.id)
    await second.sessions.get(session.id)
    await second.session_access.limits(session.id)
    for name in ("session", "present", "session_limits"):
        assert cached(second, (name, session.id)) is not MISSING

    assert await first.sessions.end(session.id, 3.0)
    await _hears_the_end(second, session.id)

    for name in ("session", "present", "session_limits"):
        assert cached(second, (name, session.id)) is MISSING, name
    ended = await second.sessions.get(session.id)
    assert ended is not None and ended.status == "ended"
    assert await second.sessions.present(session.id) == []

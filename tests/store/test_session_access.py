"""Closed sessions in the store: one admission job, the waitlist and who moves up (both engines)."""

from __future__ import annotations

import asyncio

import pytest

from bot.records.schedule import NewSeries, OccurrenceRecord, SeriesRecord
from bot.records.session_access import SessionLimits
from bot.records.sessions import NewSession
from bot.store.store import Store
from tests.engines import TestDatabase

# One series (a single occurrence in 2030); each test gives it its own limits.
CIRCLE = NewSeries(
    guild_id=1,
    channel_id=10,
    voice_channel_id=None,
    facilitator_id=5,
    title="circle",
    plan=None,
    duration_minutes=60,
    repeat="none",
    timezone="UTC",
    anchor_local="2030-01-01T18:00:00",
    starts_at=2e9,
    ends_at=2e9 + 3600,
)


async def _closed(store: Store, limits: SessionLimits) -> int:
    session = await store.sessions.create(
        NewSession(
            guild_id=1, channel_id=10, voice_channel_id=None, title="circle", facilitator_id=5
        ),
        1.0,
        limits=limits,
    )
    return session.id


async def test_twenty_simultaneous_joins_fill_exactly_six_places(
    store: Store, engine: TestDatabase
) -> None:
    sid = await _closed(store, SessionLimits(capacity=6))
    # A second Store on the same database: on PostgreSQL a second writer connection, as a
    # second process would have, so the row lock (not only the one writer) is what's tested.
    other = Store(engine.url)
    await other.open()
    try:
        stores = [store, other]
        results = await asyncio.gather(
            *(
                stores[n % 2].session_access.request(sid, 100 + n, (), 2.0 + n / 1000)
                for n in range(20)
            )
        )
    finally:
        await other.close()
    outcomes = [r.outcome for r in results]
    assert outcomes.count("joined") == 6
    assert outcomes.count("waiting") == 14
    assert sorted(r.place for r in results if r.outcome == "waiting") == list(range(1, 15))
    present = await store.sessions.present(sid)
    assert len(present) == 6
    assert [w.state for w in await store.session_access.waitlist(sid)] == ["waiting"] * 14


async def test_leave_moves_the_head_of_the_line_up(store: Store) -> None:
    sid = await _closed(store, SessionLimits(capacity=2))
    assert (await store.session_access.request(sid, 7, (), 2.0)).outcome == "joined"
    assert (await store.session_access.request(sid, 8, (), 3.0)).outcome == "joined"
    third = await store.session_access.request(sid, 9, (), 4.0)
    fourth = await store.session_access.request(sid, 11, (), 5.0)
    assert (third.outcome, third.place, fourth.place) == ("waiting", 1, 2)
    again = await store.session_access.request(sid, 11, (), 6.0)
    assert (again.outcome, again.place) == ("waiting", 2)
    departure = await store.session_access.leave(sid, 7, 7.0)
    assert departure.left and departure.moved_up == (9,)
    assert [a.user_id for a in await store.sessions.present(sid)] == [8, 9]
    waiting = await store.session_access.waitlist(sid)
    assert [(w.user_id, w.state) for w in waiting] == [(11, "waiting")]
    # Leaving the line is not leaving the session: nobody moves up.
    off = await store.session_access.leave(sid, 11, 8.0)
    assert (off.left, off.left_waitlist, off.moved_up) == (False, True, ())
    assert await store.session_access.waitlist(sid) == []


async def test_role_invitation_and_removal(store: Store) -> None:
    sid = await _closed(store, SessionLimits(role_id=42, invite_only=True))
    assert (await store.session_access.request(sid, 7, (1, 2), 2.0)).outcome == "no_role"
    assert (await store.session_access.request(sid, 7, (42,), 3.0)).outcome == "asking"
    assert [(w.user_id, w.state) for w in await store.session_access.waitlist(sid)] == [
        (7, "asking")
    ]
    assert await store.session_access.admit(sid, 7, 4.0)
    assert (await store.session_access.request(sid, 7, (42,), 5.0)).outcome == "already"
    removed = await store.session_access.leave(sid, 7, 6.0, removed=True)
    assert removed.left
    assert (await store.session_access.request(sid, 7, (42,), 7.0)).outcome == "removed"
    assert await store.session_access.waitlist(sid) == []
    assert await store.session_access.admit(sid, 7, 8.0)
    assert [a.user_id for a in await store.sessions.present(sid)] == [7]


async def test_series_limits_round_trip(store: Store) -> None:
    assert await store.session_access.limits(12345) is None
    sid = await _closed(store, SessionLimits(capacity=3, role_id=9))
    assert await store.session_access.limits(sid) == SessionLimits(3, 9, False)


async def test_series_limit_edits_at_once_from_two_processes_both_count(
    store: Store, engine: TestDatabase
) -> None:
    from bot.records.session_access import LimitChanges

    _, occurrence = await store.schedule.create_series(
        CIRCLE,
        1.0,
        limits=SessionLimits(capacity=1),
    )
    other = Store(engine.url)
    await other.open()
    try:
        edits = [
            LimitChanges(capacity=5),
            LimitChanges(role_id=77),
            LimitChanges(invite_only=True),
        ]
        results = await asyncio.gather(
            *(
                [store, other][n % 2].session_access.edit_series_limits(
                    occurrence.id, change, lambda limits: limits
                )
                for n, change in enumerate(edits * 4)
            )
        )
    finally:
        await other.close()
    assert all(done for done, _ in results)
    assert await store.session_access.series_limits(occurrence.series_id) == SessionLimits(
        capacity=5, role_id=77, invite_only=True
    )
    # Open to anyone again: the row goes; a cancelled occurrence can't be edited.
    done, kept = await store.session_access.edit_series_limits(
        occurrence.id, LimitChanges(capacity=0, role_id=0, invite_only=False), lambda x: None
    )
    assert done and kept is None
    assert await store.session_access.series_limits(occurrence.series_id) is None
    assert await store.schedule.cancel(occurrence.id, 2.0, stop_series=True)
    assert await store.session_access.edit_series_limits(
        occurrence.id, LimitChanges(capacity=3), lambda limits: limits
    ) == (False, None)


async def test_a_closed_series_is_created_with_its_limits_in_one_job(store: Store) -> None:
    async def create(limits: SessionLimits) -> tuple[SeriesRecord, OccurrenceRecord]:
        return await store.schedule.create_series(
            CIRCLE,
            1.0,
            limits=limits,
        )

    series, _ = await create(SessionLimits(capacity=4, invite_only=True))
    assert await store.session_access.series_limits(series.id) == SessionLimits(4, None, True)
    # Limits the database refuses (a cap of 0) take the whole series with them: one job.
    with pytest.raises(Exception):  # noqa: B017 - either engine's integrity error
        await create(SessionLimits(capacity=0))
    rows = await store.db.fetch_all("SELECT id FROM schedule_series", ())
    assert [int(r[0]) for r in rows] == [series.id]

"""bot/store/schedule.py, the schedule store: series and occurrences, guarded transitions."""

from __future__ import annotations

import pytest

from bot.records.schedule import NewSeries, OccurrenceRecord, SeriesRecord
from bot.store.schedule import ScheduleRepository
from bot.store.store import Store
from tests.core.runner_setup import session


async def make(
    repo: ScheduleRepository, starts_at: float = 1000.0
) -> tuple[SeriesRecord, OccurrenceRecord]:
    new = NewSeries(
        guild_id=1,
        channel_id=2,
        voice_channel_id=None,
        facilitator_id=3,
        title="Circle",
        plan=None,
        duration_minutes=60,
        repeat="weekly",
        timezone="Europe/Berlin",
        anchor_local="2026-01-02T18:00:00",
        starts_at=starts_at,
        ends_at=starts_at + 3600,
    )
    return await repo.create_series(new, 10.0)


async def stored_series(repo: ScheduleRepository, series_id: int) -> SeriesRecord:
    series = await repo.series(series_id)
    assert series is not None, series_id
    return series


async def test_series_occurrences_and_guarded_transitions(store: Store) -> None:
    repo = store.schedule
    series, first = await make(repo)
    assert (first.seq, first.status, first.reminders_until) == (0, "scheduled", 10.0)
    assert await repo.add_occurrence(series, 0, 1.0, 2.0, 20.0) is None  # already there
    second = await repo.add_occurrence(series, 1, 5000.0, 8600.0, 20.0)
    assert second is not None and second.seq == 1
    assert [o.id for o in await repo.upcoming(1, 10)] == [first.id, second.id]

    assert await repo.set_opened(first.id, None, 1000.0)
    assert not await repo.set_opened(first.id, None, 1001.0)  # only once
    assert await repo.transition(first.id, ["open"], "started")
    assert not await repo.transition(first.id, ["open"], "missed")
    assert await repo.set_ended(first.id, 4600.0)
    assert not await repo.set_ended(first.id, 4700.0)
    assert [o.id for o in await repo.pending()] == [second.id]
    assert [o.id for o in await repo.upcoming(1, 10)] == [second.id]

    assert await repo.mark_reminders(second.id, 300.0)
    assert not await repo.mark_reminders(second.id, 200.0)  # never moves back
    found = await repo.occurrence(second.id)
    assert found is not None and found.reminders_until == 300.0

    edited = await repo.edit(second.id, {"title": "New", "anchor_seq": 1}, 6000.0, 9600.0)
    assert edited is not None
    changed, moved = edited
    assert (changed.title, changed.anchor_seq) == ("New", 1)
    assert (moved.starts_at, moved.ends_at) == (6000.0, 9600.0)
    assert await repo.edit(first.id, {"title": "Late"}, 1.0, 2.0) is None  # no longer scheduled
    assert (await stored_series(repo, series.id)).title == "New"
    with pytest.raises(ValueError):
        await repo.edit(second.id, {"guild_id": 9}, 6000.0, 9600.0)


async def test_cancel_and_withdraw_are_one_job_each(store: Store) -> None:
    repo = store.schedule
    series, first = await make(repo)
    second = await repo.add_occurrence(series, 1, 5000.0, 8600.0, 20.0)
    assert second is not None
    assert await repo.cancel(first.id, 30.0, stop_series=False)
    assert not await repo.cancel(first.id, 31.0, stop_series=True)  # already cancelled
    cancelled = await repo.occurrence(first.id)
    assert cancelled is not None and (cancelled.status, cancelled.ended_at) == ("cancelled", 30.0)
    assert (await stored_series(repo, series.id)).active
    assert await repo.cancel(second.id, 40.0, stop_series=True)
    assert not (await stored_series(repo, series.id)).active

    other, only = await make(repo)
    await repo.withdraw(other.id, only.id)
    withdrawn = await repo.occurrence(only.id)
    assert withdrawn is not None and withdrawn.status == "cancelled"
    assert not (await stored_series(repo, other.id)).active


async def test_upcoming_with_series_joins_each_occurrence_to_its_series(store: Store) -> None:
    repo = store.schedule
    series, first = await make(repo)
    second = await repo.add_occurrence(series, 1, 5000.0, 8600.0, 20.0)
    assert second is not None
    found = await repo.upcoming_with_series(1, 10)
    assert found == [(series, first), (series, second)]
    assert await repo.upcoming_with_series(2, 10) == []


async def test_the_occurrence_behind_a_server_event(store: Store) -> None:
    repo = store.schedule
    _, first = await make(repo)
    await repo.set_event(first.id, 77)
    found = await repo.occurrence_by_event(1, 77)
    assert found is not None and found.id == first.id
    assert await repo.occurrence_by_event(2, 77) is None  # another server's event id


async def test_the_last_occurrence_and_the_ids_kept_with_one(store: Store) -> None:
    repo = store.schedule
    series, first = await make(repo)
    assert await repo.last_occurrence(series.id) == first
    second = await repo.add_occurrence(series, 1, 5000.0, 8600.0, 20.0)
    assert second is not None
    assert await repo.last_occurrence(series.id) == second
    assert await repo.transition(second.id, ["scheduled"], "missed")
    assert await repo.last_occurrence(series.id) == await repo.occurrence(second.id)
    assert await repo.last_occurrence(series.id + 100) is None

    await repo.set_start_message(first.id, 55)
    opened = await session(store)
    await repo.set_opened_session(first.id, opened.id)
    found = await repo.occurrence(first.id)
    assert found is not None and (found.start_message_id, found.session_id) == (55, opened.id)
    await repo.set_start_message(first.id, None)
    cleared = await repo.occurrence(first.id)
    assert cleared is not None and cleared.start_message_id is None

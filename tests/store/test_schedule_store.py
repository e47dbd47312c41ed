"""The schedule store: series and occurrences, guarded transitions, opt-ins, sent reminders."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.store.schedule import ScheduleRepository
from bot.store.store import Store
from tests.engines import TestDatabase


@pytest.fixture
async def store(engine: TestDatabase) -> AsyncIterator[Store]:
    opened = Store(engine.url)
    await opened.open()
    yield opened
    await opened.close()


async def make(repo: ScheduleRepository, starts_at: float = 1000.0):  # type: ignore[no-untyped-def]
    return await repo.create_series(
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
        now=10.0,
    )


async def test_timezone_per_server(store: Store) -> None:
    repo = store.schedule
    assert await repo.guild_timezone(1) is None
    await repo.set_guild_timezone(1, "Europe/Berlin", 5.0)
    await repo.set_guild_timezone(1, "Asia/Tokyo", 6.0)
    assert await repo.guild_timezone(1) == "Asia/Tokyo"


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

    await repo.update_series(series.id, title="New", anchor_seq=1)
    changed = await repo.series(series.id)
    assert changed is not None and (changed.title, changed.anchor_seq) == ("New", 1)
    with pytest.raises(ValueError):
        await repo.update_series(series.id, guild_id=9)


async def test_optins_and_reminders_once(store: Store) -> None:
    repo = store.schedule
    _, occurrence = await make(repo)
    await repo.set_optin(1, 7, 15, 1.0)
    await repo.set_optin(1, 8, 60, 1.0)
    await repo.set_optin(1, 7, 30, 2.0)
    await repo.set_optin(2, 7, 15, 1.0)
    assert await repo.optins(1) == {7: 30, 8: 60}
    assert await repo.optin_minutes() == {1: {30, 60}, 2: {15}}
    assert await repo.remove_optin(1, 8) and not await repo.remove_optin(1, 8)

    await repo.record_reminded(occurrence.id, [7], "dm", 5.0)
    await repo.record_reminded(occurrence.id, [7, 8], "channel", 6.0)
    assert await repo.reminded(occurrence.id) == {7, 8}

"""ScheduleService without Discord: a real store on both engines, the real session service and
runner, and a recording outlet in Discord's place (it does what the events cog would, and says
what it was asked to do)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.core.activities import Catalog
from bot.core.errors import Conflict, InvalidInput, NotFound, UserFacingError
from bot.core.guild_library import GuildLibrary
from bot.core.guild_settings import GuildSettingsService
from bot.core.occurrence_timing import MISSED_AFTER, plan_wake
from bot.core.recurrence import Repeat
from bot.core.runner import Runner
from bot.core.schedule_changes import Changes
from bot.core.schedule_outlet import EventRefused, ReminderDm
from bot.core.schedule_service import ScheduleService
from bot.core.session import SessionService
from bot.core.steps import step_handlers
from bot.records.schedule import OccurrenceRecord, SeriesRecord
from bot.records.sessions import SessionRecord
from bot.settings import Settings
from bot.store.store import Store

ROOT = Path(__file__).resolve().parents[2]
GUILD, CHANNEL, FACILITATOR = 1, 2, 3
ANA, BEN, CAI = 11, 12, 13
PLAN = "rhythm-and-breath"


@dataclass
class RecordingOutlet:
    """Discord's side, recorded: events get ids 900, 901, ...; messages get ids 700, 701, ..."""

    refuse: EventRefused | None = None
    interested_ids: list[int] = field(default_factory=list)
    closed_dms: set[int] = field(default_factory=set)
    board_ok: bool = True
    calls: list[tuple[str, object]] = field(default_factory=list)
    _next_id: int = 900

    async def create_event(self, series: SeriesRecord, occurrence: OccurrenceRecord) -> int:
        if self.refuse is not None:
            raise self.refuse
        self._next_id += 1
        self.calls.append(("create_event", occurrence.id))
        return self._next_id

    async def update_event(self, series: SeriesRecord, occurrence: OccurrenceRecord) -> int | None:
        self.calls.append(("update_event", (series.title, occurrence.starts_at)))
        return None

    async def interest_counts(self, guild_id: int) -> dict[int, int]:
        return {}

    async def delete_event(self, occurrence: OccurrenceRecord) -> None:
        self.calls.append(("delete_event", occurrence.event_id))

    async def set_event_status(self, occurrence: OccurrenceRecord, wanted: str) -> None:
        self.calls.append(("event_status", wanted))

    async def interested(self, occurrence: OccurrenceRecord) -> list[int] | None:
        return list(self.interested_ids)

    async def dm_reminder(self, reminder: ReminderDm) -> bool:
        if reminder.user_id in self.closed_dms:
            return False
        self.calls.append(("dm_reminder", (reminder.user_id, reminder.minutes)))
        return True

    async def post_reminders(
        self, series: SeriesRecord, occurrence: OccurrenceRecord, user_ids: Sequence[int]
    ) -> bool:
        self.calls.append(("post_reminders", tuple(user_ids)))
        return True

    async def post_board(self, session: SessionRecord) -> bool:
        self.calls.append(("post_board", session.id))
        return self.board_ok

    async def post_start_message(
        self, series: SeriesRecord, occurrence: OccurrenceRecord, session: SessionRecord
    ) -> int | None:
        self.calls.append(("post_start_message", occurrence.id))
        return 700

    async def close_start_message(
        self, series: SeriesRecord, occurrence: OccurrenceRecord, outcome: str
    ) -> None:
        self.calls.append(("close_start_message", outcome))

    async def refresh_board(self, session_id: int) -> None:
        self.calls.append(("refresh_board", session_id))

    async def dm(self, guild_id: int, user_id: int, text: str, **fields: Any) -> None:
        self.calls.append(("dm", (user_id, text.format(**fields))))

    def named(self, name: str) -> list[Any]:
        return [args for called, args in self.calls if called == name]


class Clock:
    """A clock the test moves by hand (UTC)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday

    def __call__(self) -> datetime:
        return self.now


@dataclass
class World:
    store: Store
    clock: Clock
    outlet: RecordingOutlet
    sessions: SessionService
    service: ScheduleService


@pytest.fixture
async def world(store: Store, tmp_path: Path) -> AsyncIterator[World]:
    settings = Settings(
        database_path=tmp_path / "unused.db",
        activities_dirs=(ROOT / "activities",),
        media_dir=tmp_path / "media",
    )
    clock = Clock()
    catalog = Catalog.load(list(settings.activities_dirs), settings.media_dir)
    library = GuildLibrary(store, clock, catalog, settings.servers)
    servers = GuildSettingsService(store, clock, settings)
    await servers.load()
    await library.load()
    sessions = SessionService(store, clock)
    runner = Runner(store, clock, step_handlers())
    service = ScheduleService(store, clock, sessions, runner, library, servers)
    outlet = RecordingOutlet()
    service.attach(outlet)
    yield World(store, clock, outlet, sessions, service)
    service.timer.close()


async def schedule(
    world: World, when: str = "tomorrow 18:00", repeat: Repeat = "none", plan: str | None = None
) -> tuple[SeriesRecord, OccurrenceRecord]:
    draft = world.service.draft(GUILD, "Circle", when, repeat, plan, 60)
    return await world.service.create(
        draft, channel_id=CHANNEL, voice_channel_id=None, facilitator_id=FACILITATOR
    )


async def wake_at(world: World, moment: float) -> None:
    world.clock.now = datetime.fromtimestamp(moment, UTC)
    await world.service.wake.on_due()


async def test_a_draft_is_checked_before_anything_is_stored(world: World) -> None:
    with pytest.raises(NotFound, match="no activity called"):
        world.service.draft(GUILD, "Circle", "tomorrow 18:00", "none", "no-such-plan", 60)
    with pytest.raises(InvalidInput, match="already passed"):
        world.service.draft(GUILD, "Circle", "today 08:00", "none", None, 60)
    draft = world.service.draft(GUILD, "  Tuesday\n circle ", "tomorrow 18:00", "weekly", PLAN, 90)
    assert (draft.title, draft.plan, draft.timezone) == ("Tuesday circle", PLAN, "UTC")
    assert draft.end - draft.start == timedelta(minutes=90)
    assert await world.service.upcoming(GUILD, 10) == []


async def test_create_stores_the_series_and_its_event_and_arms_the_timer(world: World) -> None:
    series, occurrence = await schedule(world)
    assert occurrence.event_id == 901 and occurrence.status == "scheduled"
    assert world.outlet.named("create_event") == [occurrence.id]
    assert world.service.timer.armed_for == occurrence.starts_at
    [ahead] = await world.service.upcoming(GUILD, 10)
    assert (ahead.series, ahead.occurrence) == (series, occurrence)


@pytest.mark.parametrize(("forbidden", "says"), [(True, "Manage Events"), (False, "try again")])
async def test_an_event_discord_refuses_leaves_nothing_scheduled(
    world: World, forbidden: bool, says: str
) -> None:
    world.outlet.refuse = EventRefused(forbidden=forbidden)
    with pytest.raises(UserFacingError, match=says):
        await schedule(world)
    assert await world.service.upcoming(GUILD, 10) == []
    assert await world.store.schedule.pending() == []


async def test_edit_moves_the_time_and_refuses_what_cannot_change(world: World) -> None:
    _, occurrence = await schedule(world)
    with pytest.raises(InvalidInput, match="what to change"):
        await world.service.edit(GUILD, occurrence.id, Changes())
    with pytest.raises(NotFound):
        await world.service.edit(GUILD + 1, occurrence.id, Changes(title="Elsewhere"))
    edited_series, edited = await world.service.edit(
        GUILD, occurrence.id, Changes(title="Evening circle", when="tomorrow 19:00")
    )
    assert edited_series.title == "Evening circle"
    assert edited.starts_at == occurrence.starts_at + 3600
    assert edited.ends_at == edited.starts_at + 3600
    assert world.outlet.named("update_event") == [("Evening circle", edited.starts_at)]
    await world.service.cancel(GUILD, occurrence.id, whole_series=False)
    with pytest.raises(Conflict, match="been cancelled"):
        await world.service.edit(GUILD, occurrence.id, Changes(title="Too late"))


async def test_cancelling_one_of_a_series_schedules_the_next_and_whole_series_stops_it(
    world: World,
) -> None:
    series, first = await schedule(world, repeat="weekly")
    _, cancelled, following = await world.service.cancel(GUILD, first.id, whole_series=False)
    assert cancelled.id == first.id and following is not None
    assert following.starts_at == first.starts_at + 7 * 86400
    assert following.event_id is not None
    assert world.outlet.named("delete_event") == [first.event_id]
    _, _, none_after = await world.service.cancel(GUILD, following.id, whole_series=True)
    assert none_after is None
    stopped = await world.store.schedule.series(series.id)
    assert stopped is not None and not stopped.active
    assert await world.service.upcoming(GUILD, 10) == []


async def test_reminders_go_by_dm_or_else_in_the_channel_once_each(world: World) -> None:
    _, occurrence = await schedule(world)
    await world.service.remind(GUILD, ANA, 15, None)
    await world.service.remind(GUILD, BEN, 15, None)
    await world.service.remind(GUILD, CAI, 60, None)  # another lead time: not due at 15 min
    with pytest.raises(InvalidInput):
        await world.service.remind(GUILD, CAI, 0, None)
    world.outlet.interested_ids = [ANA, BEN, CAI]
    world.outlet.closed_dms = {BEN}
    assert world.service.timer.armed_for == occurrence.starts_at - 60 * 60
    await wake_at(world, occurrence.starts_at - 15 * 60)
    assert world.outlet.named("dm_reminder") == [(ANA, 15)]
    assert world.outlet.named("post_reminders") == [(BEN,)]
    assert await world.store.reminders.reminded(occurrence.id) == {ANA, BEN}
    await wake_at(world, occurrence.starts_at - 14 * 60)  # nothing is sent twice
    assert len(world.outlet.named("dm_reminder")) == 1
    assert await world.service.stop_reminding(GUILD, ANA)
    assert not await world.service.stop_reminding(GUILD, ANA)


async def test_a_session_opens_at_its_time_and_its_facilitator_starts_the_plan(
    world: World,
) -> None:
    _, occurrence = await schedule(world, plan=PLAN)
    await wake_at(world, occurrence.starts_at)
    opened = await world.store.schedule.occurrence(occurrence.id)
    assert opened is not None and opened.status == "open" and opened.session_id is not None
    assert opened.start_message_id == 700
    assert world.outlet.named("event_status") == ["active"]
    started = await world.service.start(occurrence.id, FACILITATOR, "Fay")
    assert started.update is not None and started.update.run.activity_id == PLAN
    present = await world.sessions.present(started.session)
    assert FACILITATOR in [a.user_id for a in present]
    with pytest.raises(Conflict, match="already begun"):
        await world.service.start(occurrence.id, FACILITATOR, "Fay")
    # Past MISSED_AFTER it stays started (an activity ran); at the end the event closes.
    await wake_at(world, occurrence.starts_at + MISSED_AFTER + 1)
    await wake_at(world, occurrence.ends_at)
    ended = await world.store.schedule.occurrence(occurrence.id)
    assert ended is not None and ended.status == "started" and ended.ended_at is not None
    assert world.outlet.named("event_status") == ["active", "done"]


async def test_a_session_nobody_starts_is_missed_and_its_session_ends(world: World) -> None:
    _, occurrence = await schedule(world)
    await wake_at(world, occurrence.starts_at)
    await wake_at(world, occurrence.starts_at + MISSED_AFTER)
    missed = await world.store.schedule.occurrence(occurrence.id)
    assert missed is not None and missed.status == "missed"
    assert world.outlet.named("close_start_message") == ["missed"]
    session = await world.sessions.get(missed.session_id or 0)
    assert session.status == "ended"
    with pytest.raises(Conflict, match="been marked missed"):
        await world.service.start(occurrence.id, FACILITATOR, "Fay")


async def test_a_channel_already_in_session_skips_the_opening_and_tells_the_facilitator(
    world: World,
) -> None:
    _, occurrence = await schedule(world)
    await world.sessions.open(
        guild_id=GUILD, channel_id=CHANNEL, title="Drop-in", facilitator_id=ANA
    )
    await wake_at(world, occurrence.starts_at)
    skipped = await world.store.schedule.occurrence(occurrence.id)
    assert skipped is not None and skipped.status == "missed"
    [(to, text)] = world.outlet.named("dm")
    assert to == FACILITATOR and "another session is open there" in str(text)


async def test_the_wake_plan_is_the_one_the_timer_follows(world: World) -> None:
    _, occurrence = await schedule(world)
    at_start = plan_wake(occurrence, set(), occurrence.starts_at)
    assert at_start.open and not at_start.end
    assert await world.service.wake.next_due() == occurrence.starts_at


async def test_an_edit_racing_a_cancel_changes_nothing_once_it_is_cancelled(
    world: World,
) -> None:
    _, occurrence = await schedule(world)
    cancelled, edited = await asyncio.gather(
        world.service.cancel(GUILD, occurrence.id, whole_series=False),
        world.service.edit(GUILD, occurrence.id, Changes(when="tomorrow 20:00")),
        return_exceptions=True,
    )
    assert isinstance(cancelled, tuple)
    assert isinstance(edited, Conflict)  # its check and its write are one job
    stored = await world.store.schedule.occurrence(occurrence.id)
    assert stored is not None and stored.status == "cancelled"
    assert stored.starts_at == occurrence.starts_at
    assert world.outlet.named("update_event") == []  # no event brought back to life

"""Scheduled sessions: the rules for creating, editing and cancelling them, reminders, and the
timer that opens, closes and repeats them.

No Discord here. What the schedule does on Discord (server events, reminder DMs, the Start
message) goes through a `ScheduleOutlet` the bot attaches at start-up. State moves on in the
store before anything is sent, so a crash never repeats a reminder and a restart never sends one
late. Times are UTC timestamps in seconds unless a name says otherwise.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.core.activities import Activity, localize
from bot.core.clock import Clock
from bot.core.errors import Conflict, InvalidInput, NotFound, UserFacingError
from bot.core.guild_library import GuildLibrary
from bot.core.guild_settings import GuildSettingsService
from bot.core.reminders import check_minutes, recipients
from bot.core.runner import Runner, RunUpdate
from bot.core.schedule import (
    Recurrence,
    Repeat,
    WakePlan,
    next_deadline,
    parse_when,
    plan_wake,
    require_future,
    zone,
)
from bot.core.scheduler import DeadlineScheduler
from bot.core.session import SessionService, clean_title
from bot.store.records import NO_FACILITATOR, SessionRecord
from bot.store.schedule import OccurrenceRecord, SeriesRecord
from bot.store.store import Store

log = logging.getLogger("chorus.schedule")
ANCHOR_FORMAT = "%Y-%m-%dT%H:%M:%S"

EVENTS_REFUSED = (
    "I couldn't create the server event, so nothing was scheduled. Please give me the "
    "**Manage Events** permission and try again."
)

EVENTS_FAILED = (
    "Discord didn't accept the server event just now, so nothing was scheduled. Please try "
    "again in a minute."
)


class EventRefused(Exception):
    """Discord refused to create a server event (`forbidden`: for lack of permission)."""

    def __init__(self, forbidden: bool) -> None:
        super().__init__("forbidden" if forbidden else "refused")
        self.forbidden = forbidden


class ScheduleOutlet(Protocol):
    """What the schedule does on Discord; the bot's implementation is `ScheduleEventsCog`."""

    async def create_event(self, series: SeriesRecord, occurrence: OccurrenceRecord) -> int:
        """Create the occurrence's server event; its id. Raises EventRefused."""
        ...

    async def update_event(self, series: SeriesRecord, occurrence: OccurrenceRecord) -> int | None:
        """Bring the server event in line with the stored series and times; the id of a new
        event when the old one was gone. Raises EventRefused."""
        ...

    async def interest_counts(self, guild_id: int) -> dict[int, int]:
        """Members Interested in each of the server's events, by event id ({} if unknown)."""
        ...

    async def delete_event(self, occurrence: OccurrenceRecord) -> None:
        """Remove the occurrence's server event, if Discord lets us."""
        ...

    async def set_event_status(self, occurrence: OccurrenceRecord, wanted: str) -> None:
        """Move the server event to "active" or "done" as far as Discord allows."""
        ...

    async def interested(self, occurrence: OccurrenceRecord) -> list[int] | None:
        """Ids of members who marked the event Interested; None when it has no event."""
        ...

    async def dm_reminder(
        self, series: SeriesRecord, occurrence: OccurrenceRecord, user_id: int, minutes: int
    ) -> bool:
        """DM one member their reminder; False when they can't be reached."""
        ...

    async def post_reminders(
        self, series: SeriesRecord, occurrence: OccurrenceRecord, user_ids: Sequence[int]
    ) -> bool:
        """Remind members in the session's channel (DMs closed); False when that failed too."""
        ...

    async def post_board(self, session: SessionRecord) -> bool:
        """Post the board of a session the schedule opened; False when it couldn't be."""
        ...

    async def post_start_message(
        self, series: SeriesRecord, occurrence: OccurrenceRecord, session: SessionRecord
    ) -> int | None:
        """Post the Start button under the board; the message's id, None when it failed."""
        ...

    async def close_start_message(
        self, series: SeriesRecord, occurrence: OccurrenceRecord, outcome: str
    ) -> None:
        """Replace the Start button by the outcome ("started" or "missed")."""
        ...

    async def refresh_board(self, session_id: int) -> None:
        """Redraw the session's board now."""
        ...

    async def dm(self, user_id: int, text: str) -> None:
        """A private message to a facilitator; failures are logged, not raised."""
        ...


@dataclass(frozen=True, slots=True)
class Draft:
    """A session to schedule, checked but not stored: the facilitator confirms it first."""

    guild_id: int
    title: str
    plan: str | None
    repeat: Repeat
    timezone: str
    start: datetime  # aware, in `timezone`
    duration_minutes: int

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.duration_minutes)


@dataclass(frozen=True, slots=True)
class Changes:
    """What /session schedule edit changes; None leaves a field as it is."""

    title: str | None = None
    when: str | None = None
    repeat: Repeat | None = None
    plan: str | None = None
    voice_channel_id: int | None = None
    duration_minutes: int | None = None

    @property
    def empty(self) -> bool:
        return all(
            v is None
            for v in (
                self.title,
                self.when,
                self.repeat,
                self.plan,
                self.voice_channel_id,
                self.duration_minutes,
            )
        )


@dataclass(frozen=True, slots=True)
class Upcoming:
    """An occurrence still ahead (or happening), its series, and how many are Interested
    (None when not asked or unknown)."""

    series: SeriesRecord
    occurrence: OccurrenceRecord
    interested: int | None = None


@dataclass(frozen=True, slots=True)
class Started:
    """A scheduled session its facilitator started: the run's first update, if a plan ran."""

    series: SeriesRecord
    session: SessionRecord
    update: RunUpdate | None


def utc(ts: float) -> datetime:
    """A UTC timestamp (seconds) as an aware datetime."""
    return datetime.fromtimestamp(ts, UTC)


def rule_of(series: SeriesRecord) -> Recurrence:
    return Recurrence(
        repeat=series.repeat,  # type: ignore[arg-type]
        timezone=series.timezone,
        anchor_local=datetime.strptime(series.anchor_local, ANCHOR_FORMAT),
        anchor_seq=series.anchor_seq,
    )


def status_words(status: str) -> str:
    """How a member reads an occurrence's status after "has": "been cancelled", ..."""
    return {
        "open": "already opened",
        "started": "already begun",
        "missed": "been marked missed",
        "cancelled": "been cancelled",
    }.get(status, "moved on")


class ScheduleService:
    """Scheduled sessions in every server, and the one timer that moves them along."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        sessions: SessionService,
        runner: Runner,
        library: GuildLibrary,
        servers: GuildSettingsService,
    ) -> None:
        self._store = store
        self._clock = clock
        self._sessions = sessions
        self._runner = runner
        self._library = library
        self._servers = servers
        self._outlet: ScheduleOutlet | None = None
        self.timer = DeadlineScheduler(clock, self.next_due, self.on_due)

    def attach(self, outlet: ScheduleOutlet) -> None:
        """Where the schedule's Discord side goes (once the bot has it)."""
        self._outlet = outlet

    @property
    def outlet(self) -> ScheduleOutlet:
        if self._outlet is None:
            raise RuntimeError("ScheduleService has no outlet: load bot.cogs.schedule_events")
        return self._outlet

    def now(self) -> datetime:
        return self._clock()

    # ------------------------------------------------------------------ plans

    def plan_title(self, guild_id: int, plan: str | None) -> str | None:
        """The planned activity's title in this server (its id when it is gone)."""
        if not plan:
            return None
        activity = self._library.get(guild_id, plan)
        return localize(activity.title) if activity is not None else plan

    def check_plan(self, guild_id: int, plan: str | None) -> str | None:
        """The plan's activity id, None for no plan. Raises NotFound for an unknown one."""
        if plan is None or not plan.strip():
            return None
        if self._library.get(guild_id, plan) is None:
            raise NotFound(
                f"There's no activity called `{plan[:60]}`. Pick one of the suggestions "
                "(/activity list shows them all)."
            )
        return plan

    # ------------------------------------------------------------- reading

    async def upcoming(
        self, guild_id: int, limit: int, *, interest: bool = False
    ) -> list[Upcoming]:
        """Occurrences not over yet in this server, soonest first, with their series; with
        `interest`, how many members marked each one's server event Interested."""
        found = await self._store.schedule.upcoming_with_series(guild_id, limit)
        counts = await self.outlet.interest_counts(guild_id) if found and interest else {}
        return [
            Upcoming(
                series, occurrence, counts.get(occurrence.event_id) if occurrence.event_id else None
            )
            for series, occurrence in found
        ]

    # -------------------------------------------------------------- create

    def draft(
        self, guild_id: int, title: str, when: str, repeat: Repeat, plan: str | None, minutes: int
    ) -> Draft:
        """Check what a facilitator asked for. Raises InvalidInput (title, time) or NotFound
        (plan) with what to type instead."""
        timezone = self._servers.for_guild(guild_id).timezone
        start = parse_when(when, self.now(), zone(timezone))
        require_future(start, self.now())
        return Draft(
            guild_id=guild_id,
            title=clean_title(title),
            plan=self.check_plan(guild_id, plan),
            repeat=repeat,
            timezone=timezone,
            start=start,
            duration_minutes=minutes,
        )

    async def create(
        self,
        draft: Draft,
        *,
        channel_id: int,
        voice_channel_id: int | None,
        facilitator_id: int,
    ) -> tuple[SeriesRecord, OccurrenceRecord]:
        """Store the confirmed draft and create its server event.

        Raises InvalidInput when its time passed while it waited for confirmation, and
        UserFacingError when Discord refuses the event for lack of permission (nothing is left
        scheduled then)."""
        require_future(draft.start, self.now())
        series, occurrence = await self._store.schedule.create_series(
            guild_id=draft.guild_id,
            channel_id=channel_id,
            voice_channel_id=voice_channel_id,
            facilitator_id=facilitator_id,
            title=draft.title,
            plan=draft.plan,
            duration_minutes=draft.duration_minutes,
            repeat=draft.repeat,
            timezone=draft.timezone,
            anchor_local=draft.start.replace(tzinfo=None).strftime(ANCHOR_FORMAT),
            starts_at=draft.start.timestamp(),
            ends_at=draft.end.timestamp(),
            now=self.now().timestamp(),
        )
        try:
            event_id = await self.outlet.create_event(series, occurrence)
        except EventRefused as refused:
            await self._store.schedule.withdraw(series.id, occurrence.id)
            raise UserFacingError(EVENTS_REFUSED if refused.forbidden else EVENTS_FAILED) from None
        await self._store.schedule.set_event(occurrence.id, event_id)
        await self.timer.rearm()
        return series, await self._store.schedule.occurrence(occurrence.id) or occurrence

    # ---------------------------------------------------------------- edit

    async def editable(
        self, guild_id: int, occurrence_id: int
    ) -> tuple[SeriesRecord, OccurrenceRecord]:
        """An occurrence of this server that is still only scheduled.

        Raises NotFound (not here) or Conflict (it opened, began, was missed or cancelled)."""
        occurrence = await self._store.schedule.occurrence(occurrence_id)
        series = await self._store.schedule.series(occurrence.series_id) if occurrence else None
        if occurrence is None or series is None or occurrence.guild_id != guild_id:
            raise NotFound(f"There's no scheduled session #{occurrence_id} here.")
        if occurrence.status != "scheduled":
            raise Conflict(
                f"Session #{occurrence_id} has already {status_words(occurrence.status)}, "
                "so it can't be changed. Use /session upcoming to see what's ahead."
            )
        return series, occurrence

    async def edit(
        self, guild_id: int, occurrence_id: int, changes: Changes
    ) -> tuple[SeriesRecord, OccurrenceRecord]:
        """Change a scheduled occurrence (and its series from it on) and its server event.

        Raises InvalidInput (nothing to change, a bad time), NotFound or Conflict (see
        `editable`; also when it moved on meanwhile)."""
        series, occurrence = await self.editable(guild_id, occurrence_id)
        if changes.empty:
            raise InvalidInput("Tell me what to change: a title, a time, a plan, a channel…")
        fields: dict[str, object] = {}
        if changes.title is not None:
            fields["title"] = clean_title(changes.title)
        if changes.plan is not None:
            fields["plan"] = self.check_plan(series.guild_id, changes.plan)
        if changes.voice_channel_id is not None:
            fields["voice_channel_id"] = changes.voice_channel_id
        if changes.duration_minutes is not None:
            fields["duration_minutes"] = changes.duration_minutes
        if changes.repeat is not None:
            fields["repeat"] = changes.repeat
        starts_at = occurrence.starts_at
        if changes.when is not None or changes.repeat is not None:
            # A new time is read in the server's zone of today; a new rule keeps the old zone.
            timezone = (
                self._servers.for_guild(occurrence.guild_id).timezone
                if changes.when
                else series.timezone
            )
            tz = zone(timezone)
            if changes.when is not None:
                start = parse_when(changes.when, self.now(), tz)
                require_future(start, self.now())
            else:
                start = utc(occurrence.starts_at).astimezone(tz)
            starts_at = start.timestamp()
            fields.update(
                timezone=timezone,
                anchor_local=start.replace(tzinfo=None).strftime(ANCHOR_FORMAT),
                anchor_seq=occurrence.seq,
            )
        minutes = changes.duration_minutes or series.duration_minutes
        edited = await self._store.schedule.edit(
            occurrence.id, fields, starts_at, starts_at + 60 * minutes
        )
        if edited is None:
            raise Conflict(f"Session #{occurrence_id} has just changed; try again.")
        series, occurrence = edited
        event_id = await self.outlet.update_event(series, occurrence)
        if event_id is not None:
            await self._store.schedule.set_event(occurrence.id, event_id)
            occurrence = await self._store.schedule.occurrence(occurrence.id) or occurrence
        await self.timer.rearm()
        return series, occurrence

    # -------------------------------------------------------------- cancel

    async def cancel(
        self, guild_id: int, occurrence_id: int, whole_series: bool
    ) -> tuple[SeriesRecord, OccurrenceRecord, OccurrenceRecord | None]:
        """Cancel an occurrence and remove its server event; a repeating series carries on
        with its next occurrence (returned) unless `whole_series`.

        Raises NotFound or Conflict (see `editable`; also when it moved on meanwhile)."""
        series, occurrence = await self.editable(guild_id, occurrence_id)
        stop = whole_series and series.repeat != "none"
        if not await self._store.schedule.cancel(
            occurrence.id, self.now().timestamp(), stop_series=stop
        ):
            raise Conflict(f"Session #{occurrence_id} has just changed; try again.")
        await self.outlet.delete_event(occurrence)
        following = None
        if series.repeat != "none" and not whole_series:
            following = await self.schedule_next(series, occurrence)
        await self.timer.rearm()
        return series, occurrence, following

    # ----------------------------------------------------------- reminders

    async def remind(self, guild_id: int, user_id: int, minutes: int) -> None:
        """Remind the member `minutes` before sessions they are interested in.

        Raises InvalidInput outside 1 minute to a week."""
        await self._store.schedule.set_optin(
            guild_id, user_id, check_minutes(minutes), self.now().timestamp()
        )
        await self.timer.rearm()

    async def stop_reminding(self, guild_id: int, user_id: int) -> bool:
        """No more reminders for the member here; False when there were none."""
        removed = await self._store.schedule.remove_optin(guild_id, user_id)
        await self.timer.rearm()
        return removed

    # --------------------------------------------------------------- Start

    async def start(self, occurrence_id: int, user_id: int, display_name: str) -> Started:
        """The facilitator pressed Start: they join, and the planned activity (if any) begins.

        Raises NotFound (gone, or its plan left the library) or Conflict (already begun,
        missed, cancelled, or its session ended)."""
        store = self._store.schedule
        occurrence = await store.occurrence(occurrence_id)
        series = await store.series(occurrence.series_id) if occurrence else None
        if occurrence is None or series is None:
            raise NotFound("That scheduled session no longer exists.")
        if occurrence.status == "started":
            raise Conflict("This session has already begun.")
        if occurrence.status != "open" or occurrence.session_id is None:
            raise Conflict(f"This session has {status_words(occurrence.status)}.")
        session = await self._sessions.get(occurrence.session_id)
        if session.status != "open":
            raise Conflict("That session has ended.")
        activity: Activity | None = None
        if series.plan:
            activity = self._library.get(series.guild_id, series.plan)
            if activity is None:
                raise NotFound(
                    f"The planned activity `{series.plan[:60]}` is no longer in the library. "
                    "Start another with /activity start."
                )
        await self._sessions.join(session, user_id, display_name)
        update = await self._runner.start(session.id, activity) if activity else None
        if not await store.transition(occurrence.id, ["open"], "started"):
            raise Conflict("This session has already begun.")
        await self.timer.rearm()
        return Started(series=series, session=session, update=update)

    # --------------------------------------------------------------- timer

    async def next_due(self) -> float | None:
        """The next moment (UTC seconds) any occurrence needs the timer; None for never."""
        minutes = await self._store.schedule.optin_minutes()
        due = [
            next_deadline(o, minutes.get(o.guild_id, set()))
            for o in await self._store.schedule.pending()
        ]
        return min((d for d in due if d is not None), default=None)

    async def on_due(self) -> None:
        """Do whatever is due now for every occurrence; one failing doesn't stop the others."""
        now = self.now().timestamp()
        minutes = await self._store.schedule.optin_minutes()
        for occurrence in await self._store.schedule.pending():
            plan = plan_wake(occurrence, minutes.get(occurrence.guild_id, set()), now)
            if not plan.anything:
                continue
            try:
                await self.process(occurrence, plan, now)
            except Exception:
                log.exception("scheduled session %s: wake-up failed", occurrence.id)

    async def process(self, occurrence: OccurrenceRecord, plan: WakePlan, now: float) -> None:
        """Carry out one occurrence's wake plan at `now`."""
        store = self._store.schedule
        series = await store.series(occurrence.series_id)
        if series is None:
            return
        if plan.mark_reminders:
            # Marked first: a crash after this never sends the same reminder twice.
            await store.mark_reminders(occurrence.id, now)
            if plan.remind:
                await self.send_reminders(series, occurrence, plan.remind, now)
        if plan.open:
            await self.open_session(series, occurrence, now)
        if plan.missed_unopened:
            await store.set_opened(occurrence.id, None, now, status="missed")
        if plan.check_missed:
            await self.check_missed(series, occurrence)
        if plan.end:
            await self.finish(series, occurrence, now)

    async def send_reminders(
        self, series: SeriesRecord, occurrence: OccurrenceRecord, slots: tuple[int, ...], now: float
    ) -> None:
        """Remind the interested members whose lead time is one of `slots`, by DM or else in
        the channel; each is recorded as soon as it went out."""
        store = self._store.schedule
        optins = await store.optins(series.guild_id)
        interested = await self.outlet.interested(occurrence)
        if interested is None:
            return
        to_remind = recipients(optins, slots, interested, await store.reminded(occurrence.id))
        unreachable: list[int] = []
        for user_id in to_remind:
            if not await self.outlet.dm_reminder(series, occurrence, user_id, optins[user_id]):
                unreachable.append(user_id)
                continue
            await store.record_reminded(occurrence.id, [user_id], "dm", now)
        if unreachable and await self.outlet.post_reminders(series, occurrence, unreachable):
            await store.record_reminded(occurrence.id, unreachable, "channel", now)

    async def open_session(
        self, series: SeriesRecord, occurrence: OccurrenceRecord, now: float
    ) -> None:
        """The start time came: open the session, post its board and the Start button."""
        store = self._store.schedule
        if not await store.set_opened(occurrence.id, None, now):
            return
        try:
            session = await self._sessions.open(
                guild_id=series.guild_id,
                channel_id=series.channel_id,
                title=series.title,
                facilitator_id=series.facilitator_id,
                voice_channel_id=series.voice_channel_id,
            )
        except UserFacingError:
            await store.transition(occurrence.id, ["open"], "missed")
            await self.tell(
                series,
                f"**{series.title}** was due to open in <#{series.channel_id}>, but another "
                "session is open there, so it was skipped.",
            )
            return
        await store.set_opened_session(occurrence.id, session.id)
        if not await self.outlet.post_board(session):
            await self._sessions.end(session)
            await store.transition(occurrence.id, ["open"], "missed")
            return
        message_id = await self.outlet.post_start_message(series, occurrence, session)
        if message_id is not None:
            await store.set_start_message(occurrence.id, message_id)
        await self.outlet.set_event_status(occurrence, "active")

    async def check_missed(self, series: SeriesRecord, occurrence: OccurrenceRecord) -> None:
        """Nobody pressed Start within MISSED_AFTER: missed, unless an activity began anyway."""
        store = self._store.schedule
        session = (
            await self._store.sessions.get(occurrence.session_id) if occurrence.session_id else None
        )
        if session is not None and await self._store.runs.for_session(session.id):
            await store.transition(occurrence.id, ["open"], "started")
            await self.outlet.close_start_message(series, occurrence, "started")
            return
        if not await store.transition(occurrence.id, ["open"], "missed"):
            return
        await self.outlet.close_start_message(series, occurrence, "missed")
        if session is not None and session.status == "open":
            await self._sessions.end(session)
            await self.outlet.refresh_board(session.id)

    async def finish(self, series: SeriesRecord, occurrence: OccurrenceRecord, now: float) -> None:
        """The end time came: close the server event and schedule the series' next one."""
        if not await self._store.schedule.set_ended(occurrence.id, now):
            return
        await self.outlet.set_event_status(occurrence, "done")
        if series.active:
            await self.schedule_next(series, occurrence)

    async def schedule_next(
        self, series: SeriesRecord, occurrence: OccurrenceRecord
    ) -> OccurrenceRecord | None:
        """The series' next occurrence (the first one still ahead), with its server event."""
        rule = rule_of(series)
        seq = rule.next_seq(occurrence.seq, self.now())
        if seq is None:
            return None
        start = rule.start(seq)
        following = await self._store.schedule.add_occurrence(
            series,
            seq,
            start.timestamp(),
            start.timestamp() + 60 * series.duration_minutes,
            self.now().timestamp(),
        )
        if following is None:
            return None
        try:
            event_id = await self.outlet.create_event(series, following)
        except EventRefused:
            log.warning("could not create the event for occurrence %s", following.id)
            await self.tell(
                series,
                f"I scheduled the next **{series.title}** but couldn't add it to the server's "
                "Events list. Please check that I have the **Manage Events** permission.",
            )
            return following
        await self._store.schedule.set_event(following.id, event_id)
        return await self._store.schedule.occurrence(following.id)

    async def tell(self, series: SeriesRecord, text: str) -> None:
        """A private word to the series' facilitator, if it still has one."""
        if series.facilitator_id == NO_FACILITATOR:
            # Their facilitator left and was forgotten: nobody is contacted in their place.
            log.info("series %s has no facilitator to tell; nobody was contacted", series.id)
            return
        await self.outlet.dm(series.facilitator_id, text)

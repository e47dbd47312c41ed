"""The schedule's timer work: reminders, sessions that open themselves, missed starts, ends,
and the next occurrence of a repeating series.

One timer (`ScheduleService.timer`) wakes `ScheduleWake.on_due` at the next stored due time.
State moves on in the store before anything is sent, so a crash never repeats a reminder and a
restart never sends one late. Times are UTC timestamps in seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bot.core.clock import Clock
from bot.core.errors import UserFacingError
from bot.core.occurrence_timing import WakePlan, next_deadline, plan_wake
from bot.core.recurrence import Recurrence
from bot.core.reminders import SERIES_CHOICES, lead_time, own_lead, own_time, recipients
from bot.core.schedule_outlet import EventRefused, ReminderDm, ScheduleOutlet
from bot.core.session import SessionService
from bot.i18n import N_
from bot.records.schedule import OccurrenceRecord, SeriesRecord
from bot.records.sessions import NO_FACILITATOR
from bot.store.store import Store

log = logging.getLogger("chorus.schedule")
ANCHOR_FORMAT = "%Y-%m-%dT%H:%M:%S"
"""How a series' wall-clock anchor is stored (naive, in the series' zone)."""


def utc(ts: float) -> datetime:
    """A UTC timestamp (seconds) as an aware datetime."""
    return datetime.fromtimestamp(ts, UTC)


def rule_of(series: SeriesRecord) -> Recurrence:
    """The series' repeat rule, anchored at its stored wall-clock start."""
    return Recurrence(
        repeat=series.repeat,  # type: ignore[arg-type]
        timezone=series.timezone,
        anchor_local=datetime.strptime(series.anchor_local, ANCHOR_FORMAT),
        anchor_seq=series.anchor_seq,
    )


class ScheduleWake:
    """What is due for scheduled sessions, done when it is due."""

    def __init__(self, store: Store, clock: Clock, sessions: SessionService) -> None:
        self._store = store
        self._clock = clock
        self._sessions = sessions
        self._outlet: ScheduleOutlet | None = None
        self.fires_timers_of: Callable[[int], bool] = lambda guild_id: True
        """Whether this process fires a server's timers (with shards: it holds its lease)."""

    def attach(self, outlet: ScheduleOutlet) -> None:
        """Where the schedule's Discord side goes (set once the bot has it; see `outlet`)."""
        self._outlet = outlet

    @property
    def outlet(self) -> ScheduleOutlet:
        """Raises RuntimeError before the bot attached its outlet."""
        if self._outlet is None:
            raise RuntimeError("the schedule has no outlet: load bot.cogs.schedule_events")
        return self._outlet

    def now(self) -> datetime:
        """Now, an aware datetime from the bot's clock."""
        return self._clock()

    async def next_due(self) -> float | None:
        """The next moment (UTC seconds) any occurrence needs the timer; None for never."""
        slots = await self.lead_times()
        due = [
            next_deadline(o, slots(o))
            for o in await self._store.schedule.pending()
            if self.fires_timers_of(o.guild_id)
        ]
        return min((d for d in due if d is not None), default=None)

    async def lead_times(self) -> Callable[[OccurrenceRecord], set[int]]:
        """Each occurrence's reminder slots (minutes before): the /remind me times chosen in
        its server and the times members chose for its series."""
        by_guild = await self._store.reminders.optin_minutes()
        by_series = await self._store.reminders.series_minutes()

        def slots(o: OccurrenceRecord) -> set[int]:
            found = set(by_guild.get(o.guild_id, set()))
            for minutes, (first, last) in by_series.get(o.series_id, {}).items():
                due = o.starts_at - 60 * minutes
                if first < due:
                    found.add(minutes)
                if last >= due:
                    # Chosen once it was past for this session: a shorter time stands in
                    # (own_lead); the /remind me times are in `found` already.
                    found.update(c for c in SERIES_CHOICES if c < minutes)
            return found

        return slots

    async def on_due(self) -> None:
        """Do whatever is due now for every occurrence; one failing doesn't stop the others."""
        now = self.now().timestamp()
        slots = await self.lead_times()
        for occurrence in await self._store.schedule.pending():
            if not self.fires_timers_of(occurrence.guild_id):
                continue  # another process holds this server's shard
            plan = plan_wake(occurrence, slots(occurrence), now)
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
            # Marked first: a crash after this never sends the same reminder twice, and a
            # wake-up (in any process) that finds them marked already sends nothing.
            claimed = await store.mark_reminders(occurrence.id, now)
            if plan.remind and claimed:
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
        store = self._store.reminders
        optins = await store.optins(series.guild_id)
        languages = await store.reminder_languages(series.guild_id)
        chosen_at = await store.series_chosen_at(series.id)
        choices = await store.series_choices(series.id)
        chosen = {
            uid: own_lead(minutes, chosen_at.get(uid, 0.0), optins.get(uid), occurrence.starts_at)
            for uid, minutes in choices.items()
        }
        interested = await self.outlet.interested(occurrence)
        if interested is None:
            return
        already = await store.reminded(occurrence.id)
        to_remind = recipients(optins, slots, interested, already, chosen)
        unreachable: list[int] = []
        for user_id in to_remind:
            minutes = lead_time(user_id, optins, chosen)
            assert minutes is not None  # recipients() only returns members with a lead time
            own = choices.get(user_id)  # None: no own time (with one of None, no reminder)
            why = None if own is None else own_time(own, minutes, optins.get(user_id))
            sent = await self.outlet.dm_reminder(
                ReminderDm(series, occurrence, user_id, minutes, why, languages.get(user_id))
            )
            if not sent:
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
                limits=await self._store.session_access.series_limits(series.id),
            )
        except UserFacingError:
            await store.transition(occurrence.id, ["open"], "missed")
            await self.tell(
                series,
                N_(
                    "**{title}** was due to open in {channel}, but another session is open "
                    "there, so it was skipped."
                ),
                title=series.title,
                channel=f"<#{series.channel_id}>",
            )
            return
        await store.set_opened_session(occurrence.id, session.id)
        if not await self.outlet.post_board(session):
            await self._sessions.close(session)
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
            await self._sessions.close(session)
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
                N_(
                    "I scheduled the next **{title}** but couldn't add it to the server's "
                    "Events list. Please check that I have the **Manage Events** permission."
                ),
                title=series.title,
            )
            return following
        await self._store.schedule.set_event(following.id, event_id)
        return await self._store.schedule.occurrence(following.id)

    async def tell(self, series: SeriesRecord, text: str, **fields: Any) -> None:
        """A private word to the series' facilitator, if it still has one: ``text`` is a
        catalogue text filled from ``fields`` in the server's language by the outlet."""
        if series.facilitator_id == NO_FACILITATOR:
            # Their facilitator left and was forgotten: nobody is contacted in their place.
            log.info("series %s has no facilitator to tell; nobody was contacted", series.id)
            return
        await self.outlet.dm(series.guild_id, series.facilitator_id, text, **fields)

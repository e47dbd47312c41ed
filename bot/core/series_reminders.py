"""A member's own reminder time for one scheduled series (issue 26, item 5).

When a member presses Interested on a Chorus server event, they are offered a few reminder
times for that series (`SERIES_CHOICES`: a day, two hours, thirty minutes before, at the start,
or none). Their choice replaces their /remind me setting for that series only; without one,
/remind me decides (and without that, no reminder). Removing Interested (or /forget) deletes
the choice and the offer: a button of an old offer pressed afterwards stores nothing (the
offer's buttons count only while the offer or a choice is held). A choice made during a running
session, or once the last session started, is for the series' next session, worked out from
its rule. A time already past for the coming session (a day before, chosen 3 hours before) is
kept for the later ones; for the coming one `own_lead` picks a time still ahead. The reminders
themselves go out with the schedule's timer (`ScheduleWake`), once per member and occurrence,
by the process that fires the server's timers. Times are UTC seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.clock import Clock, timestamp
from bot.core.errors import Conflict, NotFound
from bot.core.reminders import check_series_choice, own_lead
from bot.core.schedule_service import ScheduleService
from bot.core.schedule_wake import rule_of
from bot.i18n import N_
from bot.records.schedule import OccurrenceRecord, SeriesRecord
from bot.store.store import Store

NO_CHOICE = -1
"""`Offer.chosen` when the member hasn't picked a time for the series (None is "no reminder")."""


@dataclass(frozen=True, slots=True)
class Offer:
    """What a member who pressed Interested is offered: the series, the start (UTC seconds) of
    the session it is about (the one whose event they pressed; after a choice, the series'
    next one), their choice for the series (NO_CHOICE if none), their /remind me time, and
    the minutes before that session they will be reminded (see `own_lead`; None for none), and
    the client locale of their last reminder press here (None: not known; the server's)."""

    series: SeriesRecord
    starts_at: float
    chosen: int | None
    usual: int | None
    this_time: int | None
    language: str | None


class SeriesReminders:
    """Members' own reminder times per series: offered, chosen, cancelled."""

    def __init__(self, store: Store, clock: Clock, schedule: ScheduleService) -> None:
        self._store = store
        self._clock = clock
        self._schedule = schedule

    async def offer(self, guild_id: int, event_id: int, user_id: int) -> Offer | None:
        """The offer for a member who just pressed Interested on server event `event_id`;
        None when the event isn't Chorus', is no longer ahead, or they already chose a time
        for its series (they are asked once per series)."""
        store = self._store.schedule
        reminders = self._store.reminders
        occurrence = await store.occurrence_by_event(guild_id, event_id)
        if occurrence is None or occurrence.status != "scheduled":
            return None
        series = await store.series(occurrence.series_id)
        if series is None:
            return None
        if user_id in await reminders.series_choices(series.id):
            return None
        usual = (await reminders.optins(guild_id)).get(user_id)
        # No interaction comes with Interested: the language of their last reminder press.
        language = (await reminders.reminder_languages(guild_id)).get(user_id)
        # Kept so its buttons count; /forget and removing Interested delete it.
        await reminders.record_series_offer(guild_id, series.id, user_id, timestamp(self._clock))
        return Offer(series, occurrence.starts_at, NO_CHOICE, usual, usual, language)

    async def undelivered(self, offer: Offer, user_id: int) -> None:
        """The offer's DM couldn't be delivered (DMs closed): its row goes at once, as no one
        can press its buttons; it is not sent again for this press. Their /remind me setting
        still applies."""
        await self._store.reminders.withdraw_series_offer(offer.series.id, user_id)

    async def choose(
        self, series_id: int, user_id: int, minutes: int | None, language: str | None
    ) -> Offer:
        """Keep the member's time for the series (minutes before, 0 at the start, None for no
        reminder) and their client locale (`language`, for the DMs sent later) and rearm the
        timer; the offer as it stands now.

        Raises InvalidInput for a time not among the choices, NotFound when the series is gone
        or has no session ahead, Conflict when the member holds no offer or choice for it any
        more (after /forget or removing Interested; nothing is stored then)."""
        check_series_choice(minutes)
        store = self._store.schedule
        reminders = self._store.reminders
        series = await store.series(series_id)
        ahead = await self.next_start(series) if series is not None else None
        if series is None or ahead is None:
            raise NotFound(N_("That session series has no session ahead any more."))
        now = timestamp(self._clock)
        if not await reminders.choose_series_reminder(series.id, user_id, minutes, now, language):
            raise Conflict(
                N_(
                    "This offer no longer holds: your data here was deleted (/forget) or you "
                    "removed Interested, so I saved nothing. To choose a reminder time, press "
                    "Interested on the server's event again."
                )
            )
        await self._schedule.timer.rearm()
        usual = (await reminders.optins(series.guild_id)).get(user_id)
        this_time = own_lead(minutes, now, usual, ahead)
        return Offer(series, ahead, minutes, usual, this_time, language)

    async def cancel(self, guild_id: int, event_id: int, user_id: int) -> bool:
        """The member removed Interested from server event `event_id`: their time for its
        series is deleted. False when the event isn't Chorus' or there was no choice."""
        store = self._store.schedule
        reminders = self._store.reminders
        occurrence = await store.occurrence_by_event(guild_id, event_id)
        if occurrence is None:
            return False
        removed = await reminders.remove_series_reminder(occurrence.series_id, user_id)
        if removed:
            await self._schedule.timer.rearm()
        return removed

    async def next_start(self, series: SeriesRecord) -> float | None:
        """When the series' next session starts (UTC seconds): its scheduled occurrence, or,
        while one runs (the next is stored only when it ends), the next by the series' rule;
        None when the series has no session ahead."""
        latest: OccurrenceRecord | None = None
        for occurrence in await self._store.schedule.pending():
            if occurrence.series_id != series.id:
                continue
            if occurrence.status == "scheduled":
                return occurrence.starts_at
            if latest is None or occurrence.seq > latest.seq:
                latest = occurrence
        if latest is None:
            latest = await self._store.schedule.last_occurrence(series.id)
        if not series.active or latest is None:
            return None
        rule = rule_of(series)
        seq = rule.next_seq(latest.seq, self._clock())
        return None if seq is None else rule.start(seq).timestamp()

"""Scheduled sessions: the rules for creating, editing, cancelling and starting them, and
members' reminder choices.

No Discord here. What the schedule does on Discord (server events, reminder DMs, the Start
message) goes through a `ScheduleOutlet` the bot attaches at start-up; the timer's work is
`ScheduleWake`'s. Times are UTC timestamps in seconds unless a name says otherwise.
"""

from __future__ import annotations

from datetime import datetime

from bot.core.activities import Activity, localize
from bot.core.clock import Clock
from bot.core.deadline_timer import DeadlineTimer
from bot.core.errors import Conflict, InvalidInput, NotFound, UserFacingError
from bot.core.guild_library import GuildLibrary
from bot.core.guild_settings import GuildSettingsService
from bot.core.recurrence import Repeat
from bot.core.reminders import check_minutes
from bot.core.runner import Runner
from bot.core.schedule_changes import (
    NOT_CHANGEABLE,
    NOT_CHANGEABLE_OTHER,
    Changes,
    changed_fields,
    changed_meanwhile,
)
from bot.core.schedule_drafts import ScheduleDrafts
from bot.core.schedule_outlet import EventRefused, ScheduleOutlet
from bot.core.schedule_values import (
    EVENTS_FAILED,
    EVENTS_REFUSED,
    NOT_JOINABLE,
    Draft,
    ScheduleAccess,
    Started,
    Upcoming,
)
from bot.core.schedule_wake import ANCHOR_FORMAT, ScheduleWake
from bot.core.session import SessionLimits, SessionService, check_limits, clean_title
from bot.core.time_zones import zone
from bot.core.typed_times import parse_when, require_future
from bot.i18n import N_, public_language
from bot.records.schedule import NewSeries
from bot.records.schedule import OccurrenceRecord as OccurrenceRecord
from bot.records.schedule import SeriesRecord as SeriesRecord
from bot.records.session_access import LimitChanges as LimitChanges
from bot.store.store import Store


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
        self.wake = ScheduleWake(store, clock, sessions)
        self.timer = DeadlineTimer(clock, self.wake.next_due, self.wake.on_due)
        self.drafts = ScheduleDrafts(store, clock)
        """Previews waiting for Confirm (`bot/core/schedule_drafts.py`)."""

    def attach(self, outlet: ScheduleOutlet) -> None:
        """Where the schedule's Discord side goes (once the bot has it)."""
        self.wake.attach(outlet)

    @property
    def outlet(self) -> ScheduleOutlet:
        """Raises RuntimeError before the bot attached its outlet."""
        return self.wake.outlet

    def now(self) -> datetime:
        """Now, an aware datetime from the bot's clock."""
        return self._clock()

    # ------------------------------------------------------------------ plans

    def plan_title(self, guild_id: int, plan: str | None) -> str | None:
        """The planned activity's title in this server (its id when it is gone), in the server's
        language: the schedule's posts and events are public."""
        if not plan:
            return None
        activity = self._library.get(guild_id, plan)
        language = public_language(self._servers.for_guild(guild_id).language)
        return localize(activity.title, language) if activity is not None else plan

    def check_plan(self, guild_id: int, plan: str | None) -> str | None:
        """The plan's activity id, None for no plan. Raises NotFound for an unknown one."""
        if plan is None or not plan.strip():
            return None
        if self._library.get(guild_id, plan) is None:
            raise NotFound(
                N_(
                    "There's no activity called `{plan}`. Pick one of the suggestions (/activity list "
                    "shows them all)."
                ),
                plan=plan[:60],
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

    async def confirm(
        self, draft_id: int, key: int, user_id: int
    ) -> tuple[SeriesRecord, OccurrenceRecord]:
        """Schedule the held draft `draft_id` (held under `key`) for its facilitator `user_id`.

        Raises what `ScheduleDrafts.take` raises (not theirs, not waiting) and what `create`
        raises (its time passed, the server event refused); then the draft stays held, so
        Confirm can be pressed again once that is fixed."""
        held, draft, limits = await self.drafts.take(draft_id, key, user_id)
        try:
            return await self.create(
                draft,
                channel_id=held.channel_id,
                voice_channel_id=held.voice_channel_id,
                facilitator_id=held.facilitator_id,
                limits=limits,
            )
        except Exception:
            await self.drafts.put_back(held)
            raise

    async def create(
        self,
        draft: Draft,
        *,
        channel_id: int,
        voice_channel_id: int | None,
        facilitator_id: int,
        limits: SessionLimits | None = None,
    ) -> tuple[SeriesRecord, OccurrenceRecord]:
        """Store the confirmed draft and create its server event; `limits` close every session
        of the series (a cap, a role, invitation only).

        Raises InvalidInput when its time passed while it waited for confirmation (or for a
        capacity out of range), and UserFacingError when Discord refuses the event for lack of
        permission (nothing is left scheduled then)."""
        require_future(draft.start, self.now())
        closed = check_limits(limits)
        new = NewSeries(
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
        )
        series, occurrence = await self._store.schedule.create_series(
            new, self.now().timestamp(), closed
        )
        try:
            event_id = await self.outlet.create_event(series, occurrence)
        except EventRefused as refused:
            await self._store.schedule.withdraw(series.id, occurrence.id)
            raise UserFacingError(EVENTS_REFUSED if refused.forbidden else EVENTS_FAILED) from None
        await self._store.schedule.set_event(occurrence.id, event_id)
        await self.timer.rearm()
        return series, await self._store.schedule.occurrence(occurrence.id) or occurrence

    async def access(self, series: SeriesRecord, occurrence: OccurrenceRecord) -> ScheduleAccess:
        """The series' limits and, once its session is open, places taken and the line. Raises
        NotFound when the occurrence's session no longer exists."""
        limits = await self._store.session_access.series_limits(series.id)
        if (
            limits is None
            or occurrence.session_id is None
            or occurrence.status
            not in (
                "open",
                "started",
            )
        ):
            return ScheduleAccess(limits)
        session = await self._sessions.get(occurrence.session_id)
        present = await self._sessions.present(session)
        line = await self._sessions.waitlist(session)
        return ScheduleAccess(
            limits,
            taken=sum(1 for a in present if a.user_id != session.facilitator_id),
            waiting=sum(1 for w in line if w.state == "waiting"),
            asking=sum(1 for w in line if w.state == "asking"),
        )

    # ---------------------------------------------------------------- edit

    async def editable(
        self, guild_id: int, occurrence_id: int
    ) -> tuple[SeriesRecord, OccurrenceRecord]:
        """An occurrence of this server that is still only scheduled.

        Raises NotFound (not here) or Conflict (it opened, began, was missed or cancelled)."""
        occurrence = await self._store.schedule.occurrence(occurrence_id)
        series = await self._store.schedule.series(occurrence.series_id) if occurrence else None
        if occurrence is None or series is None or occurrence.guild_id != guild_id:
            raise NotFound(
                N_("There's no scheduled session #{occurrence_id} here."),
                occurrence_id=occurrence_id,
            )
        if occurrence.status != "scheduled":
            raise Conflict(
                NOT_CHANGEABLE.get(occurrence.status, NOT_CHANGEABLE_OTHER),
                occurrence_id=occurrence_id,
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
            raise InvalidInput(
                N_("Tell me what to change: a title, a time, a plan, a channel, who can come…")
            )
        if changes.limits.capacity is not None and changes.limits.capacity < 0:
            raise InvalidInput(N_("A capacity is a number of places, or 0 for no cap."))
        if not changes.limits.empty:
            # Read, checked and written in one store job: two edits at once both count.
            done, _ = await self._store.session_access.edit_series_limits(
                occurrence.id, changes.limits, check_limits
            )
            if not done:
                raise changed_meanwhile(occurrence_id)
            if not changes.times_or_fields:
                return series, occurrence
        fields, starts_at = changed_fields(
            changes,
            series,
            occurrence,
            check_plan=lambda plan: self.check_plan(series.guild_id, plan),
            now=self.now(),
            server_timezone=self._servers.for_guild(occurrence.guild_id).timezone,
        )
        minutes = changes.duration_minutes or series.duration_minutes
        edited = await self._store.schedule.edit(
            occurrence.id, fields, starts_at, starts_at + 60 * minutes
        )
        if edited is None:
            raise changed_meanwhile(occurrence_id)
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
            raise changed_meanwhile(occurrence_id)
        await self.outlet.delete_event(occurrence)
        following = None
        if series.repeat != "none" and not whole_series:
            following = await self.wake.schedule_next(series, occurrence)
        await self.timer.rearm()
        return series, occurrence, following

    # ----------------------------------------------------------- reminders

    async def remind(self, guild_id: int, user_id: int, minutes: int, language: str | None) -> None:
        """Remind the member `minutes` before sessions they are interested in, by DM in
        `language` (their client locale now, "es-ES"; None: the server's).

        Raises InvalidInput outside 1 minute to a week."""
        await self._store.reminders.set_optin(
            guild_id,
            user_id,
            check_minutes(minutes),
            self.now().timestamp(),
            language[:16] if language else None,
        )
        await self.timer.rearm()

    async def stop_reminding(self, guild_id: int, user_id: int) -> bool:
        """No more reminders for the member here; False when there were none."""
        removed = await self._store.reminders.remove_optin(guild_id, user_id)
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
            raise NotFound(N_("That scheduled session no longer exists."))
        if occurrence.status == "started":
            raise Conflict(N_("This session has already begun."))
        if occurrence.status != "open" or occurrence.session_id is None:
            raise Conflict(NOT_JOINABLE.get(occurrence.status, N_("This session has moved on.")))
        session = await self._sessions.get(occurrence.session_id)
        if session.status != "open":
            raise Conflict(N_("That session has ended."))
        activity: Activity | None = None
        if series.plan:
            activity = self._library.get(series.guild_id, series.plan)
            if activity is None:
                raise NotFound(
                    N_(
                        "The planned activity `{plan}` is no longer in the library. Start another with "
                        "/activity start."
                    ),
                    plan=series.plan[:60],
                )
        await self._sessions.join(session, user_id, display_name)
        update = await self._runner.start(session.id, activity) if activity else None
        if not await store.transition(occurrence.id, ["open"], "started"):
            raise Conflict(N_("This session has already begun."))
        await self.timer.rearm()
        return Started(series=series, session=session, update=update)

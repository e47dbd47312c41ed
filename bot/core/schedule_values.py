"""What the schedule service takes and gives: a checked draft, an occurrence ahead, a started
session, who may come; and the refusals of the server event and of joining. Times are UTC
timestamps in seconds unless a name says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.recurrence import Repeat
from bot.core.run_updates import RunUpdate
from bot.core.session import SessionLimits
from bot.i18n import N_
from bot.records.schedule import OccurrenceRecord, SeriesRecord
from bot.records.sessions import SessionRecord

EVENTS_REFUSED = N_(
    "I couldn't create the server event, so nothing was scheduled. Please give me the "
    "**Manage Events** permission and try again."
)
EVENTS_FAILED = N_(
    "Discord didn't accept the server event just now, so nothing was scheduled. "
    "Please try again in a minute."
)


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
        """When the session's time is over: the start plus its duration (aware, in `timezone`)."""
        return self.start + timedelta(minutes=self.duration_minutes)


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


NOT_JOINABLE = {
    "scheduled": N_("This session hasn't opened yet."),
    "missed": N_("This session has been marked missed."),
    "cancelled": N_("This session has been cancelled."),
}
"""Why an occurrence's session can't be joined, by status."""


@dataclass(frozen=True, slots=True)
class ScheduleAccess:
    """Who may come to a scheduled session: its `limits` (None: anyone) and, while it is
    open, members present besides the facilitator (`taken`), waiting and asking to join."""

    limits: SessionLimits | None
    taken: int | None = None
    waiting: int = 0
    asking: int = 0

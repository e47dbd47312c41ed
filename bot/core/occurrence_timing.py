"""When a scheduled occurrence needs the bot: reminder slots, the next deadline and what is due at a
wake-up (`plan_wake`). Pure: times are UTC timestamps in seconds, passed in by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

# A session opened by the schedule that nobody starts within this many seconds is missed.
MISSED_AFTER = 30 * 60


class OccurrenceTiming(Protocol):
    """What the schedule's timer needs to know about one stored occurrence."""

    @property
    def status(self) -> str:
        """scheduled, open, started, missed or cancelled."""

    @property
    def starts_at(self) -> float:
        """When the session starts, UTC seconds."""

    @property
    def ends_at(self) -> float:
        """When the session's time is over, UTC seconds."""

    @property
    def opened_at(self) -> float | None:
        """When the session was opened, UTC seconds; None before."""

    @property
    def reminders_until(self) -> float:
        """Reminders due up to this moment (UTC seconds) were sent or skipped."""

    @property
    def ended_at(self) -> float | None:
        """When the end was handled, UTC seconds; None before."""


def reminder_times(o: OccurrenceTiming, minutes: set[int]) -> list[tuple[float, int]]:
    """(due, minutes_before) for reminder slots still ahead of the reminder mark, earliest first."""
    if o.status != "scheduled":
        return []
    # A lead time of 0 is a reminder at the start itself, sent in the same wake-up that opens it.
    slots = [(o.starts_at - 60 * m, m) for m in minutes]
    return sorted((due, m) for due, m in slots if o.reminders_until < due <= o.starts_at)


def next_deadline(o: OccurrenceTiming, minutes: set[int]) -> float | None:
    """The next moment the schedule's timer must look at this occurrence."""
    if o.status == "cancelled":
        return None
    candidates: list[float] = []
    if o.status == "scheduled":
        candidates.extend(due for due, _ in reminder_times(o, minutes)[:1])
        candidates.append(o.starts_at)
    if o.status == "open" and o.opened_at is not None:
        candidates.append(o.opened_at + MISSED_AFTER)
    if o.ended_at is None:
        candidates.append(o.ends_at)
    return min(candidates) if candidates else None


@dataclass(frozen=True, slots=True)
class WakePlan:
    """What is due for one occurrence now."""

    remind: tuple[int, ...] = ()  # minutes_before slots to send now
    skip_reminders: bool = False  # slots that fell due while nobody could send them
    open: bool = False  # the start time has come and the session is still within its time
    missed_unopened: bool = False  # the whole session passed while the bot was away
    check_missed: bool = False  # opened, nobody started it within MISSED_AFTER
    end: bool = False  # the end time has come: close the event, schedule the next one

    @property
    def mark_reminders(self) -> bool:
        """Whether the reminder mark moves on (reminders sent now or skipped)."""
        return bool(self.remind) or self.skip_reminders

    @property
    def anything(self) -> bool:
        """Whether anything at all is due."""
        return bool(
            self.remind
            or self.skip_reminders
            or self.open
            or self.missed_unopened
            or self.check_missed
            or self.end
        )


# A reminder is sent if the bot wakes within this many seconds of its due time; one that fell due
# while the bot was down is not sent late.
REMINDER_GRACE = 90.0


def plan_wake(o: OccurrenceTiming, minutes: set[int], now: float) -> WakePlan:
    """Decide what is due for an occurrence at `now` (see WakePlan)."""
    if o.status == "cancelled":
        return WakePlan()
    remind: list[int] = []
    skipped = False
    if o.status == "scheduled":
        for due, m in reminder_times(o, minutes):
            if due > now:
                break
            if now - due <= REMINDER_GRACE and (now < o.starts_at or due == o.starts_at):
                remind.append(m)
            else:
                skipped = True
    opening = o.status == "scheduled" and o.starts_at <= now < o.ends_at
    missed_unopened = o.status == "scheduled" and now >= o.ends_at
    check_missed = (
        o.status == "open" and o.opened_at is not None and now >= o.opened_at + MISSED_AFTER
    )
    end = o.ended_at is None and now >= o.ends_at
    return WakePlan(
        remind=tuple(sorted(set(remind), reverse=True)),
        skip_reminders=skipped,
        open=opening,
        missed_unopened=missed_unopened,
        check_missed=check_missed,
        end=end,
    )

"""A member's own check-in schedule and the DMs claimed from it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NewCheckinSchedule:
    """What a member chooses for their schedule in a server, and its next send time
    (`CheckinScheduleRepository.put`): the fields a new schedule and a stored one
    (`CheckinScheduleRecord`) share."""

    days: int
    """Weekdays as bits: Monday = 1 ... Sunday = 64."""
    minute: int
    """Local time of day, minutes after midnight in `timezone`."""
    timezone: str
    scale: str
    language: str | None
    """The member's Discord client locale when they set the schedule ("es-ES"); None: unknown,
    the DMs use the server's language."""
    paused_until: str | None
    """Local date (YYYY-MM-DD) the DMs resume on; None when not paused."""
    next_send_at: float
    """UTC seconds."""


@dataclass(frozen=True, slots=True)
class CheckinScheduleRecord(NewCheckinSchedule):
    """A stored schedule: what the member chose first, then these (`columns` reads them in
    this order)."""

    guild_id: int
    user_id: int
    snoozed_until: float | None
    """UTC seconds of a snoozed DM, None without one."""
    last_sent_on: str | None
    """Local date of the last DM sent."""
    created_at: float
    updated_at: float


@dataclass(frozen=True, slots=True)
class ClaimedSend:
    """One DM claimed by this process: send it when `send` (else it was too late)."""

    schedule: CheckinScheduleRecord
    """The row as it was before the claim."""
    due_at: float
    """UTC seconds it was due."""
    send: bool

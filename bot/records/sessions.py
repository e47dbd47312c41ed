"""Plain frozen records returned by the store: no behaviour, no connection attached."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

NO_FACILITATOR = 0
"""`facilitator_id` of a session or schedule whose facilitator used /forget: nobody to contact."""


@dataclass(frozen=True, slots=True)
class SessionRecord:
    id: int
    guild_id: int
    channel_id: int
    voice_channel_id: int | None
    title: str
    facilitator_id: int
    board_message_id: int | None
    status: str
    started_at: float
    ended_at: float | None

    @property
    def has_facilitator(self) -> bool:
        """False once the facilitator used /forget: nobody is contacted on their behalf."""
        return self.facilitator_id != NO_FACILITATOR


@dataclass(frozen=True, slots=True)
class AttendanceRecord:
    id: int
    session_id: int
    user_id: int
    joined_at: float
    left_at: float | None


@dataclass(frozen=True, slots=True)
class RunRecord:
    id: int
    session_id: int
    activity_id: str
    version_hash: str
    definition: str
    step_index: int
    step_started_at: float
    step_deadline: float | None
    paused_remaining: float | None
    step_message_id: int | None
    step_state: str
    wake_at: float | None
    state: str
    started_at: float
    ended_at: float | None

    def __post_init__(self) -> None:
        # Every run of an activity version stores the same definition text (5.3 KB for the
        # shipped check-in): records read from the store share one copy of it, not one each.
        object.__setattr__(self, "definition", sys.intern(self.definition))

    @property
    def live(self) -> bool:
        """True while the run is running or paused (not ended or stopped)."""
        return self.state in ("running", "paused")


@dataclass(frozen=True, slots=True)
class ContributionRecord:
    id: int
    run_id: int
    step_index: int
    author_id: int | None
    kind: str
    payload: dict[str, Any]
    created_at: float
    updated_at: float


@dataclass(frozen=True, slots=True)
class MemberRecord:
    guild_id: int
    user_id: int
    display_name: str
    consent: str | None
    consent_at: float | None
    credit_opt_out: bool
    left_guild_at: float | None


@dataclass(frozen=True, slots=True)
class SessionHistoryRow:
    session: SessionRecord
    attendance: int
    activities: tuple[str, ...]

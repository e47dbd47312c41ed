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


@dataclass(frozen=True, slots=True)
class NewSession:
    """A session to open (`SessionRepository.create`, with its limits beside it)."""

    guild_id: int
    channel_id: int
    voice_channel_id: int | None
    title: str
    facilitator_id: int


@dataclass(frozen=True, slots=True)
class NewRun:
    """An activity run to start at its first step (`RunRepository.create`)."""

    session_id: int
    activity_id: str
    version_hash: str
    definition: str
    """The activity's definition as run (JSON), kept with the run."""
    step_deadline: float | None
    """UTC seconds the first step ends at; None: no time limit."""
    step_state: str = "{}"
    """The first step's state (JSON)."""


@dataclass(frozen=True, slots=True)
class NewContribution:
    """A member's contribution to save at one step of a run (`ContributionRepository.add_with`),
    and how it is saved."""

    run_id: int
    step_index: int
    author_id: int | None
    """None: anonymous (nothing links it to anyone)."""
    kind: str
    payload: dict[str, Any]
    replace: bool = False
    """The author's earlier contribution of this kind (or of a kind in `replaces`) becomes this
    one."""
    replaces: tuple[str, ...] = ()
    with_step: bool = False
    """Also give back every contribution of the step as committed..."""
    step_at_least: int = 0
    """...once the step has this many (fewer cannot complete it)."""

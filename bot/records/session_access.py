"""Closed sessions: who may come (a cap on places, a role, invitation only), what a Join press
came to, and the waitlist. Times are UTC timestamps in seconds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Outcome = Literal["joined", "already", "waiting", "asking", "no_role", "removed"]
"""What a Join press came to: in; already in; in line for a place (see `place`); asked to join
an invitation-only session; lacks the session's role; taken out by the facilitator."""


@dataclass(frozen=True, slots=True)
class SessionLimits:
    """Who may join: at most `capacity` members present besides the facilitator (None: no cap), only holders of `role_id`
    (None: anyone), only members the facilitator admits (`invite_only`)."""

    capacity: int | None = None
    role_id: int | None = None
    invite_only: bool = False

    @property
    def closed(self) -> bool:
        """Any limit at all: a cap, a role or invitation only."""
        return self.capacity is not None or self.role_id is not None or self.invite_only


@dataclass(frozen=True, slots=True)
class LimitChanges:
    """An edit of a series' limits; None leaves a limit as it is."""

    capacity: int | None = None
    """A new cap on places; 0 removes the cap."""
    role_id: int | None = None
    """A new role allowed to join; 0 lets anyone join."""
    invite_only: bool | None = None

    @property
    def empty(self) -> bool:
        """Nothing to change."""
        return self.capacity is None and self.role_id is None and self.invite_only is None

    def applied(self, limits: SessionLimits | None) -> SessionLimits:
        """`limits` (None: open to anyone) with these changes."""
        base = limits or SessionLimits()
        capacity = base.capacity if self.capacity is None else (self.capacity or None)
        role_id = base.role_id if self.role_id is None else (self.role_id or None)
        invite = base.invite_only if self.invite_only is None else self.invite_only
        return SessionLimits(capacity, role_id, invite)


@dataclass(frozen=True, slots=True)
class Admission:
    outcome: Outcome
    place: int = 0
    """In line: 1 is next (only for `waiting`)."""


@dataclass(frozen=True, slots=True)
class Departure:
    """A leave or removal: whether anything changed, and who moved up into the freed places."""

    left: bool
    left_waitlist: bool = False
    moved_up: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class WaitingMember:
    user_id: int
    state: str
    since: float

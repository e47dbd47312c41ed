"""A member's goals and their ratings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GoalRecord:
    id: int
    guild_id: int
    user_id: int
    text: str
    status: str
    """active, done or dropped."""
    created_at: float
    closed_at: float | None


@dataclass(frozen=True, slots=True)
class RatingRecord:
    id: int
    goal_id: int
    session_id: int | None
    run_id: int | None
    step_index: int | None
    value: int | None
    """1-5, or None when the member passed on this goal."""
    created_at: float

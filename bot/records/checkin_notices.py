"""A member's opt-in to the pattern notice."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NoticeOptin:
    guild_id: int
    user_id: int
    low_answers: int
    """How many low check-ins make a pattern."""
    within_days: int
    """Within how many days."""
    created_at: float

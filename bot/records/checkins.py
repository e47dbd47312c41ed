"""One check-in answer as stored."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CheckinRecord:
    id: int
    guild_id: int
    user_id: int | None
    session_id: int | None
    run_id: int | None
    step_index: int | None
    scale: str
    phase: str
    measure: str | None
    value: int | None
    value2: int | None
    passed: bool
    note: str | None
    shared: bool
    created_at: float

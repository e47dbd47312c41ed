"""Each server's /setup changes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SettingChangeRecord:
    """One change made with /setup: values are JSON text, None where there was none."""

    id: int
    guild_id: int
    key: str
    old_value: str | None
    new_value: str | None
    changed_by: int | None
    """None once the member who changed it used /forget."""
    changed_at: float
    """UTC unix seconds."""

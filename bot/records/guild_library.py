"""Each server's uploaded activity files."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GuildActivityRecord:
    """One uploaded version of one activity file in one server."""

    id: int
    guild_id: int
    activity_id: str
    version: int
    """1, 2, ... per (server, activity id); never reused, even after a delete."""
    source: str
    """The YAML text exactly as uploaded."""
    uploaded_by: int | None
    """None once the uploader used /forget."""
    uploaded_at: float
    """UTC unix seconds."""
    deleted_at: float | None

"""Listening: the server's tracks, a session's nominations and what was played."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TrackRecord:
    id: int
    guild_id: int
    title: str
    artist: str
    file_name: str | None
    url: str | None
    duration_seconds: float | None
    uploaded_by: int | None
    created_at: float


@dataclass(frozen=True, slots=True)
class NominationRecord:
    id: int
    session_id: int
    user_id: int | None
    title: str
    artist: str
    url: str | None
    note: str | None
    created_at: float
    removed_at: float | None


@dataclass(frozen=True, slots=True)
class PlayRecord:
    id: int
    session_id: int
    run_id: int | None
    step_index: int | None
    title: str
    artist: str
    url: str | None
    file_name: str | None
    nomination_id: int | None
    mode: str
    note: str | None
    started_at: float
    ended_at: float | None

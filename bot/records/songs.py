"""The songs written in lyric steps and their lines."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SongRecord:
    id: int
    guild_id: int
    session_id: int | None
    run_id: int | None
    step_index: int | None
    title: str
    theme: str
    structure: str
    """JSON list of [section name, line count]."""
    anonymous: bool
    created_at: float
    finished_at: float | None


@dataclass(frozen=True, slots=True)
class SongLineRecord:
    id: int
    song_id: int
    position: int
    section: str
    author_id: int | None
    text: str
    syllables: int | None
    passed: bool
    removed_at: float | None
    removed_by: int | None
    created_at: float
    event_key: str | None


@dataclass(frozen=True, slots=True)
class SongSpec:
    """The song of one write step, as it is created the first time it is needed."""

    guild_id: int
    session_id: int
    run_id: int
    step_index: int
    theme: str
    structure: str
    """JSON list of [section name, line count]."""
    anonymous: bool


@dataclass(frozen=True, slots=True)
class TimedOutTurn:
    """A turn that ran out of time: recorded as a pass (key `t<turn number>`)."""

    turn_no: int
    position: int
    section: str
    user_id: int | None
    at: float
    """UTC timestamp, seconds."""

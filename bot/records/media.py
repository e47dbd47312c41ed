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
class PlayedPiece:
    """What a listen step plays, as a new play (`NewPlay`) and a stored one (`PlayRecord`)
    share it."""

    title: str
    artist: str
    url: str | None
    file_name: str | None
    nomination_id: int | None
    mode: str
    """How it is heard: voice, link or text."""
    note: str | None


@dataclass(frozen=True, slots=True)
class PlayRecord(PlayedPiece):
    """A stored play: the piece's columns first, then these (`columns` reads them in this
    order)."""

    id: int
    session_id: int
    run_id: int | None
    step_index: int | None
    started_at: float
    ended_at: float | None


@dataclass(frozen=True, slots=True)
class NewTrack:
    """An uploaded file to record in the server's library (`MediaRepository.add_track`)."""

    guild_id: int
    title: str
    artist: str
    file_name: str
    """Its name under the media folder."""
    duration_seconds: float | None
    """None when the file doesn't say."""
    uploaded_by: int


@dataclass(frozen=True, slots=True)
class NewNomination:
    """A member's song to add to a session's playlist (`MediaRepository.add_nomination`)."""

    session_id: int
    user_id: int
    title: str
    artist: str
    url: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class NewPlay(PlayedPiece):
    """The piece a listen step plays, recorded once (`MediaRepository.record_play`)."""

    session_id: int
    run_id: int
    step_index: int

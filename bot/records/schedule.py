"""Scheduled sessions: a series (its rule, on the wall clock of its time zone) and one
occurrence of it (times as UTC timestamps in seconds; `status` scheduled, open, started, missed
or cancelled)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SeriesDefinition:
    """A series as its facilitator defined it: where, who leads, what it is called and plays,
    how long it lasts, and its rule on the wall clock of `timezone`. The fields a new series
    (`NewSeries`) and a stored one (`SeriesRecord`) share."""

    guild_id: int
    channel_id: int
    voice_channel_id: int | None
    facilitator_id: int
    title: str
    plan: str | None
    duration_minutes: int
    repeat: str
    timezone: str
    """IANA name of the zone its wall-clock times are in."""
    anchor_local: str
    """The first start on that wall clock."""


@dataclass(frozen=True, slots=True)
class SeriesRecord(SeriesDefinition):
    """A stored series: its definition's columns first, then these (`columns` reads them in
    this order)."""

    id: int
    anchor_seq: int
    active: bool
    created_at: float


@dataclass(frozen=True, slots=True)
class OccurrenceRecord:
    id: int
    series_id: int
    guild_id: int
    seq: int
    starts_at: float
    ends_at: float
    event_id: int | None
    status: str
    session_id: int | None
    start_message_id: int | None
    opened_at: float | None
    reminders_until: float
    ended_at: float | None
    created_at: float


@dataclass(frozen=True, slots=True)
class NewSeries(SeriesDefinition):
    """A confirmed series to schedule with its first occurrence
    (`ScheduleRepository.create_series`, with its limits beside it)."""

    starts_at: float
    """The first occurrence's start, UTC seconds."""
    ends_at: float
    """The first occurrence's end, UTC seconds."""


@dataclass(frozen=True, slots=True)
class NewDraft:
    """A checked session request to hold until its facilitator confirms it
    (`ScheduleDraftRepository.hold`); `payload` is the request as JSON (written and read by
    `bot.core.schedule_service`)."""

    key: int
    """A random number the preview's buttons carry beside the id (ids may be reused)."""
    guild_id: int
    facilitator_id: int
    channel_id: int
    voice_channel_id: int | None
    payload: str


@dataclass(frozen=True, slots=True)
class HeldDraftRecord(NewDraft):
    """A checked session request waiting for its facilitator's Confirm: the request's columns
    first, then its id and when it was held (`created_at`, a UTC timestamp)."""

    id: int
    created_at: float

"""What the schedule does on Discord, as core sees it: the `ScheduleOutlet` protocol.

Core decides; the bot's implementation (`bot/cogs/schedule_events.py`) carries it out. Times are
UTC timestamps in seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from bot.core.reminders import OwnTime
from bot.records.schedule import OccurrenceRecord, SeriesRecord
from bot.records.sessions import SessionRecord


@dataclass(frozen=True, slots=True)
class ReminderDm:
    """One member's reminder DM: sent `minutes` before the occurrence starts (0: at the start)."""

    series: SeriesRecord
    occurrence: OccurrenceRecord
    user_id: int
    minutes: int
    own: OwnTime | None
    """They chose their own time for this series, and why this reminder comes at `minutes`;
    None: their /remind me setting."""
    language: str | None
    """The client locale they had when they turned /remind me on; None: the server's."""


class EventRefused(Exception):
    """Discord refused to create a server event (`forbidden`: for lack of permission)."""

    def __init__(self, forbidden: bool) -> None:
        super().__init__("forbidden" if forbidden else "refused")
        self.forbidden = forbidden


class ScheduleOutlet(Protocol):
    """What the schedule does on Discord; the bot's implementation is `ScheduleEventsCog`."""

    async def create_event(self, series: SeriesRecord, occurrence: OccurrenceRecord) -> int:
        """Create the occurrence's server event; its id. Raises EventRefused."""
        ...

    async def update_event(self, series: SeriesRecord, occurrence: OccurrenceRecord) -> int | None:
        """Bring the server event in line with the stored series and times; the id of a new
        event when the old one was gone. Raises EventRefused."""
        ...

    async def interest_counts(self, guild_id: int) -> dict[int, int]:
        """Members Interested in each of the server's events, by event id ({} if unknown)."""
        ...

    async def delete_event(self, occurrence: OccurrenceRecord) -> None:
        """Remove the occurrence's server event, if Discord lets us."""
        ...

    async def set_event_status(self, occurrence: OccurrenceRecord, wanted: str) -> None:
        """Move the server event to "active" or "done" as far as Discord allows."""
        ...

    async def interested(self, occurrence: OccurrenceRecord) -> list[int] | None:
        """Ids of members who marked the event Interested; None when it has no event."""
        ...

    async def dm_reminder(self, reminder: ReminderDm) -> bool:
        """DM one member their reminder (see `ReminderDm`) in their language; False when they
        can't be reached."""
        ...

    async def post_reminders(
        self, series: SeriesRecord, occurrence: OccurrenceRecord, user_ids: Sequence[int]
    ) -> bool:
        """Remind members in the session's channel (DMs closed); False when that failed too."""
        ...

    async def post_board(self, session: SessionRecord) -> bool:
        """Post the board of a session the schedule opened; False when it couldn't be."""
        ...

    async def post_start_message(
        self, series: SeriesRecord, occurrence: OccurrenceRecord, session: SessionRecord
    ) -> int | None:
        """Post the Start button under the board; the message's id, None when it failed."""
        ...

    async def close_start_message(
        self, series: SeriesRecord, occurrence: OccurrenceRecord, outcome: str
    ) -> None:
        """Replace the Start button by the outcome ("started" or "missed")."""
        ...

    async def refresh_board(self, session_id: int) -> None:
        """Redraw the session's board now."""
        ...

    async def dm(self, guild_id: int, user_id: int, text: str, **fields: Any) -> None:
        """A private message to a facilitator of ``guild_id``: ``text`` is a catalogue text
        (English msgid) filled from ``fields`` after it is worded in the server's language.
        Failures are logged, not raised."""
        ...

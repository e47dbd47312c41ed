"""What /session schedule edit may change (`Changes`), the series' columns it writes
(`changed_fields`), and why an occurrence can no longer be changed (whole sentences per status).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.core.errors import Conflict
from bot.core.recurrence import Repeat
from bot.core.schedule_wake import ANCHOR_FORMAT, utc
from bot.core.session import clean_title
from bot.core.time_zones import zone
from bot.core.typed_times import parse_when, require_future
from bot.i18n import N_
from bot.records.schedule import OccurrenceRecord, SeriesRecord
from bot.records.session_access import LimitChanges


@dataclass(frozen=True, slots=True)
class Changes:
    """What /session schedule edit changes; None leaves a field as it is."""

    title: str | None = None
    when: str | None = None
    repeat: Repeat | None = None
    plan: str | None = None
    voice_channel_id: int | None = None
    duration_minutes: int | None = None
    limits: LimitChanges = dataclasses.field(default_factory=LimitChanges)
    """Who may come: a new cap (0: none), role (0: anyone) or invitation rule."""

    @property
    def empty(self) -> bool:
        """Nothing to change at all, limits included."""
        return self.limits.empty and all(
            v is None
            for v in (
                self.title,
                self.when,
                self.repeat,
                self.plan,
                self.voice_channel_id,
                self.duration_minutes,
            )
        )

    @property
    def times_or_fields(self) -> bool:
        """Anything besides the limits changes."""
        return not dataclasses.replace(self, limits=LimitChanges()).empty


def changed_fields(
    changes: Changes,
    series: SeriesRecord,
    occurrence: OccurrenceRecord,
    *,
    check_plan: Callable[[str], str | None],
    now: datetime,
    server_timezone: str,
) -> tuple[dict[str, object], float]:
    """The series' columns to write for `changes` (limits aside) and the occurrence's start
    from then on (UTC seconds). A new time is read in the server's zone of today
    (`server_timezone`); a new rule without a new time keeps the series' zone and start.
    `check_plan` turns a plan's activity id into the stored one (None: no plan).

    Raises InvalidInput (a title or a time that can't be used) and whatever `check_plan`
    raises (NotFound for an unknown activity)."""
    fields: dict[str, object] = {}
    if changes.title is not None:
        fields["title"] = clean_title(changes.title)
    if changes.plan is not None:
        fields["plan"] = check_plan(changes.plan)
    if changes.voice_channel_id is not None:
        fields["voice_channel_id"] = changes.voice_channel_id
    if changes.duration_minutes is not None:
        fields["duration_minutes"] = changes.duration_minutes
    if changes.repeat is not None:
        fields["repeat"] = changes.repeat
    if changes.when is None and changes.repeat is None:
        return fields, occurrence.starts_at
    timezone = server_timezone if changes.when else series.timezone
    tz = zone(timezone)
    if changes.when is not None:
        start = parse_when(changes.when, now, tz)
        require_future(start, now)
    else:
        start = utc(occurrence.starts_at).astimezone(tz)
    fields.update(
        timezone=timezone,
        anchor_local=start.replace(tzinfo=None).strftime(ANCHOR_FORMAT),
        anchor_seq=occurrence.seq,
    )
    return fields, start.timestamp()


def changed_meanwhile(occurrence_id: int) -> Conflict:
    """The refusal when an occurrence changed between reading it and writing to it."""
    return Conflict(
        N_("Session #{occurrence_id} has just changed; try again."), occurrence_id=occurrence_id
    )


NOT_CHANGEABLE = {
    "open": N_(
        "Session #{occurrence_id} has already opened, so it can't be changed. "
        "Use /session upcoming to see what's ahead."
    ),
    "started": N_(
        "Session #{occurrence_id} has already begun, so it can't be changed. "
        "Use /session upcoming to see what's ahead."
    ),
    "missed": N_(
        "Session #{occurrence_id} has been marked missed, so it can't be changed. "
        "Use /session upcoming to see what's ahead."
    ),
    "cancelled": N_(
        "Session #{occurrence_id} has been cancelled, so it can't be changed. "
        "Use /session upcoming to see what's ahead."
    ),
}
"""Why an occurrence that is no longer `scheduled` can't be edited, by its status (whole
sentences: each language words each status its own way)."""
NOT_CHANGEABLE_OTHER = N_(
    "Session #{occurrence_id} has moved on, so it can't be changed. "
    "Use /session upcoming to see what's ahead."
)

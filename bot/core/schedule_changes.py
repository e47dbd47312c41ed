"""What /session schedule edit may change (`Changes`), and why an occurrence can no longer be
changed (whole sentences per status).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from bot.core.recurrence import Repeat
from bot.i18n import N_
from bot.store.session_access import LimitChanges


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

"""The reply to /session calendar."""

from __future__ import annotations

from bot.i18n import _, ngettext
from bot.ui.file_names import SESSIONS, attachment_name


def file_name(locale: str) -> str:
    """The calendar file's name in ``locale``: ``chorus-sessions.ics``, ``chorus-sitzungen.ics``."""
    return attachment_name(SESSIONS, "ics", locale)


def calendar_text(count: int, zone: str, locale: str) -> str:
    """The private words above the calendar file, in ``locale``."""
    if count == 0:
        return _(
            "There are no scheduled sessions yet, so there's nothing to add to a calendar. "
            "Facilitators schedule them with /session schedule create.",
            locale,
        )
    return ngettext(
        "📅 {count} scheduled series, with its repeats, in the server's time zone ({zone}). "
        "Open the file or import it into your calendar app; importing a newer file updates "
        "the same events. Only you see this.",
        "📅 {count} scheduled series, with their repeats, in the server's time zone ({zone}). "
        "Open the file or import it into your calendar app; importing a newer file updates "
        "the same events. Only you see this.",
        count,
        locale,
        zone=zone,
    )

"""The reply to /session calendar."""

from __future__ import annotations

FILE_NAME = "chorus-sessions.ics"


def calendar_text(count: int, zone: str) -> str:
    if count == 0:
        return (
            "There are no scheduled sessions yet, so there's nothing to add to a calendar. "
            "Facilitators schedule them with /session schedule create."
        )
    sessions = "1 scheduled series" if count == 1 else f"{count} scheduled series"
    return (
        f"📅 {sessions}, with their repeats, in the server's time zone ({zone}). Open the "
        "file or import it into your calendar app; importing a newer file updates the same "
        "events. Only you see this."
    )

"""How scheduled sessions are shown: a closed session's terms in one line (none for an open
one), and the facilitator's preview of a session not yet stored."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import discord

from bot.core.schedule_values import Draft, ScheduleAccess
from bot.core.session import SessionLimits
from bot.ui.schedule import confirm_embed, draft_view, places_line


def test_an_open_session_has_no_places_line() -> None:
    assert places_line(ScheduleAccess(None), locale="en") is None
    assert places_line(ScheduleAccess(SessionLimits()), locale="en") is None


def test_a_closed_session_s_terms_in_one_line() -> None:
    closed = SessionLimits(capacity=6, role_id=77, invite_only=True)
    line = places_line(ScheduleAccess(closed, taken=4, waiting=2, asking=1), locale="en")
    assert line == "🗝 6 places (4 taken), 2 waiting · for <@&77> · by invitation, 1 asking"
    before = places_line(ScheduleAccess(SessionLimits(capacity=1)), locale="en")
    assert before == "🗝 1 place"


def test_the_preview_shows_the_draft_in_its_own_zone_with_its_places() -> None:
    start = datetime(2026, 3, 27, 18, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    draft = Draft(1, "Tuesday circle", None, "weekly", "Europe/Berlin", start, 90)
    client = discord.Client(intents=discord.Intents.none())
    view = draft_view(client, draft, 5, None, None, "🗝 6 places")
    assert (view.occurrence_id, view.channel_id, view.voice_channel_id) == (0, 5, None)
    assert view.ends_at - view.starts_at == 90 * 60 and view.local_start == start
    embed = confirm_embed(view, "en")
    assert embed.to_dict() and "🗝 6 places" in str(embed.to_dict())

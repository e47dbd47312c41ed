"""What /mydata and /forget show: the export's summary line and the /forget confirmation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import discord

from bot.i18n import _, ngettext
from bot.ui.components import TypedButton, persistent_view
from bot.ui.format import info_embed

Counted = Callable[[int, str], str]
"""(how many, language) -> "3 check-ins"."""

# How /mydata counts each exported list, in the member's language (whole plural texts).
EXPORT_WORDS: dict[str, Counted] = {
    "checkins": lambda n, locale: ngettext("{count} check-in", "{count} check-ins", n, locale),
    "attendance": lambda n, locale: ngettext(
        "{count} session attended", "{count} sessions attended", n, locale
    ),
    "contributions": lambda n, locale: ngettext(
        "{count} contribution", "{count} contributions", n, locale
    ),
    "goals": lambda n, locale: ngettext("{count} goal", "{count} goals", n, locale),
    "goal_ratings": lambda n, locale: ngettext(
        "{count} goal rating", "{count} goal ratings", n, locale
    ),
    "nominations": lambda n, locale: ngettext(
        "{count} nomination", "{count} nominations", n, locale
    ),
    "reminder_optins": lambda n, locale: ngettext(
        "{count} reminder choice", "{count} reminder choices", n, locale
    ),
    "series_reminders": lambda n, locale: ngettext(
        "{count} reminder time for a series", "{count} reminder times for a series", n, locale
    ),
    "series_reminder_offers": lambda n, locale: ngettext(
        "{count} reminder-time offer not answered yet",
        "{count} reminder-time offers not answered yet",
        n,
        locale,
    ),
    "reminders_sent": lambda n, locale: ngettext(
        "{count} reminder sent", "{count} reminders sent", n, locale
    ),
    "schedules_facilitated": lambda n, locale: ngettext(
        "{count} scheduled session you lead", "{count} scheduled sessions you lead", n, locale
    ),
    "sessions_facilitated": lambda n, locale: ngettext(
        "{count} session you led", "{count} sessions you led", n, locale
    ),
    "song_lines": lambda n, locale: ngettext("{count} song line", "{count} song lines", n, locale),
    "tracks_uploaded": lambda n, locale: ngettext(
        "{count} track uploaded", "{count} tracks uploaded", n, locale
    ),
    "checkin_schedule": lambda n, locale: ngettext(
        "{count} check-in schedule", "{count} check-in schedules", n, locale
    ),
}


class ForgetButton(TypedButton, spec="chorus:forget:{answer:word}:{user_id:int}"):
    """/forget's confirmation: `answer` is "yes" (delete) or "no" (keep); only `user_id` may
    press it."""

    answer: str
    user_id: int


def export_message(data: Mapping[str, Any], locale: str) -> str:
    """The line above the /mydata file in ``locale``: how many of each kind of thing it holds
    (a list without words of its own is counted under its key)."""
    counts = ", ".join(
        EXPORT_WORDS[name](len(value), locale)
        if name in EXPORT_WORDS
        else f"{len(value)} {name.replace('_', ' ')}"
        for name, value in data.items()
        if isinstance(value, list) and value
    )
    return _(
        "📦 Here is everything Chorus holds about you in this server ({counts}). "
        "Only you can see this.",
        locale,
        counts=counts or _("nothing yet", locale),
    )


def forget_confirmation(user_id: int, locale: str) -> tuple[discord.Embed, discord.ui.View]:
    """The private question /forget asks before deleting anything, with its two buttons, in
    ``locale``."""
    question = _(
        "This deletes everything Chorus holds about you in this server: check-ins, notes, "
        "goals and their ratings, consent, attendance, reminders and your contributions. "
        "Lyric lines you wrote stay in the group's songs as *anonymous* (or are removed, "
        "if the song was set up that way). A session you are facilitating carries on "
        "without your name. This can't be undone. Want a copy first? Use /mydata.",
        locale,
    )
    embed = info_embed(_("Delete your data?", locale), question)
    view = persistent_view(
        ForgetButton.button(
            _("Delete my data", locale),
            answer="yes",
            user_id=user_id,
            style=discord.ButtonStyle.danger,
        ),
        ForgetButton.button(_("Keep it", locale), answer="no", user_id=user_id),
    )
    return embed, view

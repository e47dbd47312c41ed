"""What /mydata and /forget show: the export's summary line and the /forget confirmation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import discord

from bot.ui.components import TypedButton, persistent_view
from bot.ui.format import COLOUR_INFO, plural

# How /mydata counts each exported list: (one, many).
EXPORT_WORDS: dict[str, tuple[str, str]] = {
    "checkins": ("check-in", "check-ins"),
    "attendance": ("session attended", "sessions attended"),
    "contributions": ("contribution", "contributions"),
    "goals": ("goal", "goals"),
    "goal_ratings": ("goal rating", "goal ratings"),
    "nominations": ("nomination", "nominations"),
    "reminder_optins": ("reminder choice", "reminder choices"),
    "series_reminders": ("reminder time for a series", "reminder times for a series"),
    "reminders_sent": ("reminder sent", "reminders sent"),
    "schedules_facilitated": ("scheduled session you lead", "scheduled sessions you lead"),
    "sessions_facilitated": ("session you led", "sessions you led"),
    "song_lines": ("song line", "song lines"),
    "tracks_uploaded": ("track uploaded", "tracks uploaded"),
    "checkin_schedule": ("check-in schedule", "check-in schedules"),
}


class ForgetButton(TypedButton, spec="chorus:forget:{answer:word}:{user_id:int}"):
    """/forget's confirmation: `answer` is "yes" (delete) or "no" (keep); only `user_id` may
    press it."""

    answer: str
    user_id: int


def export_message(data: Mapping[str, Any]) -> str:
    """The line above the /mydata file: how many of each kind of thing it holds."""
    counts = ", ".join(
        plural(len(value), *EXPORT_WORDS.get(name, (name.replace("_", " "),)))
        for name, value in data.items()
        if isinstance(value, list) and value
    )
    return (
        f"📦 Here is everything Chorus holds about you in this server "
        f"({counts or 'nothing yet'}). Only you can see this."
    )


def forget_confirmation(user_id: int) -> tuple[discord.Embed, discord.ui.View]:
    """The private question /forget asks before deleting anything, with its two buttons."""
    embed = discord.Embed(
        title="Delete your data?",
        colour=COLOUR_INFO,
        description=(
            "This deletes everything Chorus holds about you in this server: check-ins, "
            "notes, goals and their ratings, consent, attendance, reminders and your "
            "contributions. Lyric lines you wrote stay "
            "in the group's songs as *anonymous* (or are removed, if the song was set up "
            "that way). A session you are facilitating carries on without your name. "
            "This can't be undone. Want a copy first? Use /mydata."
        ),
    )
    view = persistent_view(
        ForgetButton.button(
            "Delete my data", answer="yes", user_id=user_id, style=discord.ButtonStyle.danger
        ),
        ForgetButton.button("Keep it", answer="no", user_id=user_id),
    )
    return embed, view

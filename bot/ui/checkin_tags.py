"""Replies to /checkin tag: the tags saved, and the member's own mood by tag."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.core.checkin_tags import TagMood
from bot.core.text import shorten
from bot.ui.format import COLOUR_INFO, DESCRIPTION_MAX


def tagged_text(at: float, tags: Sequence[str]) -> str:
    if not tags:
        return f"The tags of your check-in from <t:{int(at)}:f> are removed."
    shown = ", ".join(f"`{discord.utils.escape_markdown(t)}`" for t in tags)
    return f"🏷️ Your check-in from <t:{int(at)}:f> is tagged {shown}. Only you see its tags."


def mood_embed(moods: Sequence[TagMood], days: int) -> discord.Embed:
    if not moods:
        text = (
            "No tagged check-ins in this period yet. After a check-in, /checkin tag add puts "
            "tags on it, like `slept badly, went outside`."
        )
    else:
        lines = []
        for m in moods:
            mean = f"{m.mean:g} / 10" if m.mean is not None else "(own scale)"
            times = "1 check-in" if m.count == 1 else f"{m.count} check-ins"
            lines.append(f"**{discord.utils.escape_markdown(m.tag)}**: {mean}, {times}")
        text = "\n".join(lines) + (
            "\n\nMean on a 0-10 axis (1-5 and SAM answers are drawn on it too). Only you see this."
        )
    return discord.Embed(
        title=f"Your mood by tag, last {days} days",
        colour=COLOUR_INFO,
        description=shorten(text, DESCRIPTION_MAX),
    )

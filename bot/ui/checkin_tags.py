"""Replies to /checkin tag: the tags saved, and the member's own mood by tag."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.core.checkin_tags import TagMood
from bot.core.text import shorten
from bot.i18n import _, format_number, ngettext
from bot.ui.format import COLOUR_INFO, DESCRIPTION_MAX


def tagged_text(at: float, tags: Sequence[str], locale: str) -> str:
    """The private reply to /checkin tag add or clear, in ``locale``."""
    if not tags:
        return _("The tags of your check-in from <t:{at}:f> are removed.", locale, at=int(at))
    shown = ", ".join(f"`{discord.utils.escape_markdown(t)}`" for t in tags)
    return _(
        "🏷️ Your check-in from <t:{at}:f> is tagged {shown}. Only you see its tags.",
        locale,
        at=int(at),
        shown=shown,
    )


def mood_embed(moods: Sequence[TagMood], days: int, locale: str) -> discord.Embed:
    """/checkin tag mood in ``locale``: the member's mean answer per tag."""
    if not moods:
        text = _(
            "No tagged check-ins in this period yet. After a check-in, /checkin tag add puts "
            "tags on it, like `slept badly, went outside`.",
            locale,
        )
    else:
        lines = []
        for m in moods:
            mean = (
                f"{format_number(m.mean, locale)} / 10"
                if m.mean is not None
                else _("(own scale)", locale)
            )
            times = ngettext("{count} check-in", "{count} check-ins", m.count, locale)
            lines.append(f"**{discord.utils.escape_markdown(m.tag)}**: {mean}, {times}")
        text = _(
            "{moods}\n\nMean on a 0-10 axis (1-5 and SAM answers are drawn on it too). "
            "Only you see this.",
            locale,
            moods="\n".join(lines),
        )
    return discord.Embed(
        title=ngettext(
            "Your mood by tag, last {count} day",
            "Your mood by tag, last {count} days",
            days,
            locale,
        ),
        colour=COLOUR_INFO,
        description=shorten(text, DESCRIPTION_MAX),
    )

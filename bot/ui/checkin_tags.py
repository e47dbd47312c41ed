"""Replies to /checkin tag: the tags saved, and the member's own mood by tag."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.core.checkin_tags import TagMood
from bot.core.text import shorten
from bot.i18n import _
from bot.ui.format import COLOUR_INFO, DESCRIPTION_MAX


def tagged_text(at: float, tags: Sequence[str], locale: str) -> str:
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
    if not moods:
        text = _(
            "No tagged check-ins in this period yet. After a check-in, /checkin tag add puts "
            "tags on it, like `slept badly, went outside`.",
            locale,
        )
    else:
        lines = []
        for m in moods:
            mean = f"{m.mean:g} / 10" if m.mean is not None else _("(own scale)", locale)
            times = (
                _("1 check-in", locale)
                if m.count == 1
                else _("{count} check-ins", locale, count=m.count)
            )
            lines.append(f"**{discord.utils.escape_markdown(m.tag)}**: {mean}, {times}")
        text = "\n".join(lines) + (
            _(
                "\n\nMean on a 0-10 axis (1-5 and SAM answers are drawn on it too). Only you see "
                "this.",
                locale,
            )
        )
    return discord.Embed(
        title=_("Your mood by tag, last {days} days", locale, days=days),
        colour=COLOUR_INFO,
        description=shorten(text, DESCRIPTION_MAX),
    )

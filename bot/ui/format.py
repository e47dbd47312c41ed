"""Small formatting helpers shared by every embed: Discord timestamps, durations, lists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import discord

from bot.core.text import shorten
from bot.i18n import _, ngettext

FIELD_MAX = 1024
DESCRIPTION_MAX = 4096

# Colours: calm and readable in light and dark themes.
COLOUR_SESSION = 0x5B8DEF
COLOUR_STEP = 0x8E7CC3
COLOUR_DONE = 0x6AA84F
COLOUR_INFO = 0x999999


def info_embed(title: str, description: str) -> discord.Embed:
    """A private, informational embed (grey): `title` over `description`, both worded."""
    return discord.Embed(title=title, colour=COLOUR_INFO, description=description)


def relative(ts: float) -> str:
    """A timestamp every client counts down or up live, in the reader's own time zone."""
    return f"<t:{int(ts)}:R>"


def clock_time(ts: float) -> str:
    """A Discord timestamp of `ts` (UTC seconds) as a time of day in each reader's own zone."""
    return f"<t:{int(ts)}:t>"


def date_time(ts: float) -> str:
    """A Discord timestamp of `ts` (UTC seconds) as a date and time in each reader's own zone."""
    return f"<t:{int(ts)}:f>"


def duration(seconds: float, locale: str) -> str:
    """``75`` -> ``"1 min 15 s"``: a length of time in the language's units (``locale``)."""
    seconds = round(seconds)
    if seconds < 60:
        return _("{seconds} s", locale, seconds=seconds)
    minutes, sec = divmod(seconds, 60)
    if minutes < 60:
        if sec:
            return _("{minutes} min {seconds} s", locale, minutes=minutes, seconds=sec)
        return _("{minutes} min", locale, minutes=minutes)
    hours, minutes = divmod(minutes, 60)
    return _("{hours} h {minutes} min", locale, hours=hours, minutes=minutes)


def name_list(
    user_ids: Sequence[int], names: Mapping[int, str], limit: int = FIELD_MAX, *, locale: str
) -> str:
    """Display names, bounded with a count of the rest; an unknown name shows as "a member"."""
    if not user_ids:
        return _("Nobody yet", locale)
    parts: list[str] = []
    for index, uid in enumerate(user_ids):
        piece = plain_name(names.get(uid)) or _("a member", locale)
        tail = ngettext(" and {count} more", " and {count} more", len(user_ids) - index, locale)
        if len(", ".join([*parts, piece])) + len(tail) > limit:
            return ", ".join(parts) + tail
        parts.append(piece)
    return ", ".join(parts)


def plain_name(name: str | None) -> str:
    """A member's name made inert: no markdown, no mentions, one line, bounded."""
    if not name:
        return ""
    flat = " ".join(name.split())[:40]
    return discord.utils.escape_mentions(discord.utils.escape_markdown(flat))


def field(text: str) -> str:
    """`text` fitted to an embed field's value (1,024 characters); never empty."""
    return shorten(text, FIELD_MAX) or "\u200b"


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 word", "2 words" (English only: for logs and ids, never for members)."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


_CLOSING_MARKS = "*_~|)\"'”’»"


def sentence(text: str) -> str:
    """`text` ending in exactly one full stop: none added after a title or answer that already
    ends with `.`, `?`, `!` or `…` (markdown and closing quotes aside), so "**How are you
    arriving?**" never becomes "How are you arriving?."."""
    if text.rstrip().rstrip(_CLOSING_MARKS).endswith((".", "?", "!", "…")):
        return text
    return text + "."


def clock_and_relative(ts: float) -> str:
    """`14:05 (in 2 minutes)`: the clock time stays true after the moment passes."""
    return f"{clock_time(ts)} ({relative(ts)})"

"""Replies to /checkin tag: the tags saved, the pick menu, the member's own mood by tag; and
/setup tags, the server's own list."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.core.checkin_tags import MAX_SERVER_TAGS, MAX_TAGS, SUGGESTED, TagMood, TagPick
from bot.core.text import shorten
from bot.i18n import _, format_number, ngettext
from bot.ui import limits
from bot.ui.components import TypedSelect, persistent_view
from bot.ui.format import COLOUR_INFO, DESCRIPTION_MAX


def code(tag: str) -> str:
    """A tag in a code span, shown as written: nothing is escaped inside one (a backslash would
    show), so a tag holding a backtick gets a double-backtick span with spaces (Markdown)."""
    return f"`{tag}`" if "`" not in tag else f"`` {tag} ``"


def tagged_text(at: float, tags: Sequence[str], locale: str) -> str:
    """The private reply to /checkin tag add or clear, in ``locale``; `at` is the check-in's
    time, a UTC timestamp in seconds."""
    if not tags:
        return _("The tags of your check-in from <t:{at}:f> are removed.", locale, at=int(at))
    shown = ", ".join(code(t) for t in tags)
    return _(
        "🏷️ Your check-in from <t:{at}:f> is tagged {shown}. Only you see its tags.",
        locale,
        at=int(at),
        shown=shown,
    )


def _mood_line(mood: TagMood, locale: str) -> str:
    if mood.mean is None:
        mean = _("(own scale)", locale)
    else:
        mean = f"{format_number(mood.mean, locale)} / 10"
    times = ngettext("{count} check-in", "{count} check-ins", mood.count, locale)
    return f"**{discord.utils.escape_markdown(mood.tag)}**: {mean}, {times}"


def mood_embed(moods: Sequence[TagMood], days: int, locale: str) -> discord.Embed:
    """/checkin tag mood in ``locale``: the member's mean answer per tag."""
    if not moods:
        text = _(
            "No tagged check-ins in this period yet. After a check-in, /checkin tag add puts "
            "tags on it, like `slept badly, went outside`.",
            locale,
        )
    else:
        lines = [_mood_line(m, locale) for m in moods]
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


class TagPickSelect(TypedSelect, spec="chorus:checkin_tag_pick:{checkin_id:int}"):
    """/checkin tag pick's menu: the tags chosen replace the check-in's tags (only its owner
    sees the menu, and the store checks the check-in is theirs)."""

    checkin_id: int


def pick_text(at: float, locale: str | None) -> str:
    """The private prompt to tag the check-in made at `at` (a UTC timestamp, seconds), in
    ``locale``."""
    return _(
        "🏷️ Pick up to {most} tags for your check-in from <t:{at}:f>: the server's list and your "
        "own. Only you see them. To add a tag of your own, use /checkin tag add.",
        locale,
        most=MAX_TAGS,
        at=int(at),
    )


def pick_view(pick: TagPick, locale: str | None) -> discord.ui.View:
    """The tag select for `pick` (the server's or the built-in list, with the member's current tags
    chosen), in ``locale``."""
    options = [
        discord.SelectOption(label=limits.option_text(t), value=t, default=t in pick.current)
        for t in pick.options
    ]
    menu = TagPickSelect.select(
        options,
        placeholder=_("Your tags", locale),
        min_values=0,
        max_values=min(MAX_TAGS, len(options)),
        checkin_id=pick.checkin_id,
    )
    return persistent_view(menu)


def picked_text(tags: Sequence[str], locale: str | None) -> str:
    """The reply after tagging: the `tags` chosen, or that the check-in has none now."""
    if not tags:
        return _("Your check-in has no tags now.", locale)
    shown = ", ".join(code(t) for t in tags)
    return _("🏷️ Your check-in is tagged {tags}. Only you see its tags.", locale, tags=shown)


def server_list_text(tags: Sequence[str], locale: str | None) -> str:
    """The server's own list as /setup tags shows it."""
    if not tags:
        return _(
            "This server has no tag list of its own, so members are offered: {tags}. "
            "/setup tags add starts the server's own list.",
            locale,
            tags=", ".join(code(_(t, locale)) for t in SUGGESTED),
        )
    shown = ", ".join(code(t) for t in tags)
    return ngettext(
        "This server's tag ({count} of {most}): {tags}. Members pick from it beside their own.",
        "This server's tags ({count} of {most}): {tags}. Members pick from them beside their own.",
        len(tags),
        locale,
        most=MAX_SERVER_TAGS,
        tags=shown,
    )


def server_changed_text(
    action: str, changed: Sequence[str], tags: Sequence[str], locale: str | None
) -> str:
    """After /setup tags add or remove: what changed, then the list."""
    if not changed:
        first = (
            _("Those tags were on the list already.", locale)
            if action == "add"
            else _("None of those tags were on the list.", locale)
        )
    else:
        shown = ", ".join(code(t) for t in changed)
        first = (
            _("Added {tags}.", locale, tags=shown)
            if action == "add"
            else _(
                "Removed {tags}. Members' check-ins keep the tags they carry.", locale, tags=shown
            )
        )
    return f"{first}\n{server_list_text(tags, locale)}"

"""A finished song as Chorus shows and exports it: its embed, its Markdown and plain-text files
and the list of a server's songs (/song)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime

import discord

from bot.core.text import shorten
from bot.i18n import _, format_day, ngettext
from bot.ui.file_names import titled_name
from bot.ui.format import COLOUR_DONE, COLOUR_INFO, DESCRIPTION_MAX, FIELD_MAX
from bot.ui.lyrics import SongSheet, escape


def song_markdown(sheet: SongSheet, locale: str) -> str:
    """The whole song as Markdown (title, theme, sections, credits), in ``locale``."""
    out = [f"# {sheet.title_in(locale)}", ""]
    if sheet.theme:
        out += ["*" + _("Theme: {theme}", locale, theme=sheet.theme) + "*", ""]
    for name, lines in sheet.sections:
        if name:
            out += [f"## {name.capitalize()}", ""]
        out += [f"{line}  " for line in lines]
        out.append("")
    words = _("Words by {names}.", locale, names=sheet.credit_text(mentions=False, locale=locale))
    out += ["---", "", words, _written(sheet, locale), ""]
    return "\n".join(out)


def song_text(sheet: SongSheet, locale: str) -> str:
    """The whole song as plain text, laid out like `song_markdown`, in ``locale``."""
    out = [sheet.title_in(locale).upper(), ""]
    if sheet.theme:
        out += [_("Theme: {theme}", locale, theme=sheet.theme), ""]
    for name, lines in sheet.sections:
        if name:
            out.append(f"[{name.capitalize()}]")
        out += list(lines)
        out.append("")
    words = _("Words by {names}.", locale, names=sheet.credit_text(mentions=False, locale=locale))
    out += [words, _written(sheet, locale), ""]
    return "\n".join(out)


def _written(sheet: SongSheet, locale: str) -> str:
    if sheet.written_at and sheet.song_id:
        return _(
            "Written together in Chorus on {day} (song #{number}).",
            locale,
            day=_day(sheet.written_at, locale),
            number=sheet.song_id,
        )
    if sheet.written_at:
        return _("Written together in Chorus on {day}.", locale, day=_day(sheet.written_at, locale))
    if sheet.song_id:
        return _("Written together in Chorus (song #{number}).", locale, number=sheet.song_id)
    return _("Written together in Chorus.", locale)


def _day(ts: float, locale: str) -> str:
    """The day a song was written, in the language's words (Babel; a file has no timestamps)."""
    when = datetime.fromtimestamp(ts, UTC)
    if locale == "en":
        # English files keep the long form they have always had: "27 March 2026".
        return when.strftime("%d %B %Y")
    return format_day(when, locale)


def song_file(sheet: SongSheet, kind: str = "markdown", *, locale: str) -> discord.File:
    """The song as an attachment: `kind` "text" (.txt) or else Markdown (.md), named after its
    title."""
    if kind == "text":
        body, ext = song_text(sheet, locale), "txt"
    else:
        body, ext = song_markdown(sheet, locale), "md"
    return discord.File(
        io.BytesIO(body.encode("utf-8")), filename=titled_name(sheet.title_in(locale), ext, locale)
    )


def song_embed(sheet: SongSheet, locale: str) -> discord.Embed:
    """The finished song as an embed (cut to Discord's limits; the file attached beside it is
    whole), in ``locale``."""
    title = sheet.title_in(locale)
    embed = discord.Embed(title=shorten(f"🎶 {title}", 256), colour=COLOUR_DONE)
    parts = [f"*{escape(shorten(sheet.theme, 300))}*"] if sheet.theme else []
    for name, lines in sheet.sections:
        heading = f"**{escape(name.capitalize())}**\n" if name else ""
        parts.append(heading + "\n".join(lines))
    if not sheet.sections:
        parts.append(_("*No lines were written this time, and that's all right.*", locale))
    embed.description = shorten("\n\n".join(parts), DESCRIPTION_MAX)
    embed.add_field(
        name=_("Words by", locale),
        value=shorten(sheet.credit_text(mentions=True, locale=locale), FIELD_MAX),
        inline=False,
    )
    if sheet.song_id:
        footer = _(
            "Song #{number} · /song export {number} for a copy · The whole song is attached as "
            "a file.",
            locale,
            number=sheet.song_id,
        )
    else:
        footer = _("The whole song is attached as a file.", locale)
    embed.set_footer(text=footer)
    return embed


def song_list_embed(rows: Sequence[tuple[int, str, int, float]], locale: str) -> discord.Embed:
    """rows: (id, title, line count, created_at)."""
    embed = discord.Embed(title=_("Songs written here", locale), colour=COLOUR_INFO)
    if not rows:
        embed.description = _(
            "No songs yet. Run a songwriting activity such as **Lyric circle**.", locale
        )
        return embed
    embed.description = shorten(
        "\n".join(
            f"`#{sid}` **{escape(shorten(title, 80))}** · "
            + ngettext("{count} line", "{count} lines", count, locale)
            + f" · <t:{int(at)}:d>"
            for sid, title, count, at in rows
        ),
        DESCRIPTION_MAX,
    )
    embed.set_footer(text=_("/song show ID to read one, /song export ID for a file.", locale))
    return embed

"""How songs look: the live lyric sheet, the finished song sheet (embed + .md), exports, rhymes."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import discord

from bot.core.lyrics import BLANK_RE, Credits, Slot
from bot.core.rhymes import RhymeSuggestions
from bot.core.steps.write import WriteStep
from bot.core.text import shorten
from bot.i18n import _
from bot.ui.format import COLOUR_DONE, COLOUR_INFO, DESCRIPTION_MAX, FIELD_MAX
from bot.ui.steps.base import MessagePayload

SHOWN_BLANK = "……"
_MD_SPECIAL = re.compile(r"([\\*_~`|>#\[\]])")


def escape(text: str) -> str:
    """Facilitator-written text (section names, themes, titles) shown literally."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def who(user_id: int, names: Mapping[int, str]) -> str:
    """A member's name for an embed (escaped), or "a member" when the name isn't known: a raw
    mention inside an embed shows as `<@id>` to anyone whose client doesn't know that person."""
    name = names.get(user_id)
    return f"**{escape(shorten(name, 40))}**" if name else "a member"


def show_template(template: str) -> str:
    return escape(BLANK_RE.sub(SHOWN_BLANK, template))


@dataclass(frozen=True, slots=True)
class SongInfo:
    """What the song sheet needs beyond the lines: kept by the lyrics cog, read synchronously."""

    song_id: int | None = None
    title: str = ""
    names: Mapping[int, str] = field(default_factory=dict)
    opted_out: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class SongSheet:
    """A finished song, from the live step or from the store."""

    title: str
    theme: str
    sections: list[tuple[str, list[str]]]
    credits: Credits
    names: Mapping[int, str]
    song_id: int | None
    written_at: float | None = None

    @property
    def line_count(self) -> int:
        return sum(len(lines) for _, lines in self.sections)

    def credit_text(self, *, mentions: bool) -> str:
        people = [
            who(uid, self.names) if mentions else self.names.get(uid, "a member")
            for uid in self.credits.named
        ]
        if self.credits.group or not people:
            people.append("the group")
        if len(people) == 1:
            return people[0]
        return ", ".join(people[:-1]) + " and " + people[-1]

    @property
    def shown_title(self) -> str:
        if self.title:
            return self.title
        return f"Song #{self.song_id}" if self.song_id else "Our song"


def sections_of(
    slots: Sequence[Slot], lines: Mapping[int, Mapping[str, Any]]
) -> list[tuple[str, list[str]]]:
    """Written lines grouped by section, in order (empty sections left out)."""
    grouped: list[tuple[str, list[str]]] = []
    last: tuple[str, int] | None = None
    for slot in slots:
        key = (slot.section, slot.section_number)
        if key != last:
            grouped.append((slot.section, []))
            last = key
        line = lines.get(slot.position)
        if line is not None:
            grouped[-1][1].append(str(line["text"]))
    return [(name, texts) for name, texts in grouped if texts]


# ------------------------------------------------------------------ the live sheet


def live_sheet(
    slots: Sequence[Slot],
    lines: Mapping[int, Mapping[str, Any]],
    *,
    hidden: bool,
    anonymous: bool,
    next_position: int | None,
    names: Mapping[int, str] | None = None,
) -> str:
    """The song so far by section; in hidden mode only how far it has got."""
    if hidden:
        done = len(lines)
        bar = "▰" * done + "▱" * (len(slots) - done)
        return (
            f"🙈 The song stays hidden until the end.\n{bar} **{done} of {len(slots)}** lines "
            "written. Each writer sees only the last word of the line before."
        )
    out: list[str] = []
    last: tuple[str, int] | None = None
    for slot in slots:
        key = (slot.section, slot.section_number)
        if key != last and slot.section:
            out.append(f"\n**{escape(slot.section.capitalize())}**")
        last = key
        line = lines.get(slot.position)
        number = f"`{slot.position + 1:>2}`"
        if line is None:
            marker = " ◀ next" if slot.position == next_position else ""
            ghost = show_template(slot.template) if slot.template else "…"
            out.append(f"{number} *{ghost}*{marker}")
            continue
        extras = [f"{line.get('syl', 0)} syl"]
        if line.get("flags"):
            extras.append("⚑ " + ", ".join(str(f) for f in line["flags"]))
        author = line.get("author")
        if isinstance(author, int) and not anonymous:
            extras.append(who(author, names or {}).strip("*"))
        out.append(f"{number} {line['text']}  ·  *{' · '.join(extras)}*")
    return shorten("\n".join(out).strip(), DESCRIPTION_MAX - 600)


def structure_text(slots: Sequence[Slot]) -> str:
    parts: list[str] = []
    last: tuple[str, int] | None = None
    for slot in slots:
        key = (slot.section, slot.section_number)
        if key != last:
            parts.append(f"{escape(slot.section or 'song')} {slot.section_lines} lines")
            last = key
    return ", ".join(parts)


# ------------------------------------------------------------------ the song sheet


def song_markdown(sheet: SongSheet) -> str:
    out = [f"# {sheet.shown_title}", ""]
    if sheet.theme:
        out += [f"*Theme: {sheet.theme}*", ""]
    for name, lines in sheet.sections:
        if name:
            out += [f"## {name.capitalize()}", ""]
        out += [f"{line}  " for line in lines]
        out.append("")
    out += ["---", "", f"Words by {sheet.credit_text(mentions=False)}.", _written(sheet), ""]
    return "\n".join(out)


def song_text(sheet: SongSheet) -> str:
    out = [sheet.shown_title.upper(), ""]
    if sheet.theme:
        out += [f"Theme: {sheet.theme}", ""]
    for name, lines in sheet.sections:
        if name:
            out.append(f"[{name.capitalize()}]")
        out += list(lines)
        out.append("")
    out += [f"Words by {sheet.credit_text(mentions=False)}.", _written(sheet), ""]
    return "\n".join(out)


def _written(sheet: SongSheet) -> str:
    when = (
        datetime.fromtimestamp(sheet.written_at, UTC).strftime(" on %d %B %Y")
        if sheet.written_at
        else ""
    )
    number = f" (song #{sheet.song_id})" if sheet.song_id else ""
    return f"Written together in Chorus{when}{number}."


def _slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")
    return (slug or "song")[:40]


def song_file(sheet: SongSheet, kind: str = "markdown") -> discord.File:
    if kind == "text":
        body, ext = song_text(sheet), "txt"
    else:
        body, ext = song_markdown(sheet), "md"
    return discord.File(
        io.BytesIO(body.encode("utf-8")), filename=f"{_slug(sheet.shown_title)}.{ext}"
    )


def song_embed(sheet: SongSheet) -> discord.Embed:
    embed = discord.Embed(title=shorten(f"🎶 {sheet.shown_title}", 256), colour=COLOUR_DONE)
    parts = [f"*{escape(shorten(sheet.theme, 300))}*"] if sheet.theme else []
    for name, lines in sheet.sections:
        heading = f"**{escape(name.capitalize())}**\n" if name else ""
        parts.append(heading + "\n".join(lines))
    if not sheet.sections:
        parts.append("*No lines were written this time, and that's all right.*")
    embed.description = shorten("\n\n".join(parts), DESCRIPTION_MAX)
    embed.add_field(
        name="Words by", value=shorten(sheet.credit_text(mentions=True), FIELD_MAX), inline=False
    )
    footer = "The whole song is attached as a file."
    if sheet.song_id:
        footer = f"Song #{sheet.song_id} · /song export {sheet.song_id} for a copy · " + footer
    embed.set_footer(text=footer)
    return embed


# ------------------------------------------------------------------ other replies


def rhyme_embed(found: RhymeSuggestions, locale: str = "en") -> discord.Embed:
    """The private /rhyme answer; ``locale`` is the reader's language."""
    embed = discord.Embed(title=f"Rhymes for “{shorten(found.word, 40)}”", colour=COLOUR_INFO)
    if not found.supported:
        embed.title = _("Rhymes for “{word}”", locale, word=shorten(found.word, 40))
        embed.description = _(
            "Rhyme help knows English words only, and this server's songs are written in "
            "another language, so I won't guess. Try reading the line aloud and listening "
            "for its last vowel.",
            locale,
        )
        return embed
    if not found.known:
        embed.description = (
            "I don't know how that word is pronounced, so I can't suggest rhymes. Try a "
            "similar word, or say it aloud and listen for its last vowel."
        )
        return embed
    embed.add_field(
        name="Rhymes",
        value=shorten(", ".join(found.perfect) or "none found", FIELD_MAX),
        inline=False,
    )
    embed.add_field(
        name="Near rhymes (same vowel sound)",
        value=shorten(", ".join(found.near) or "none found", FIELD_MAX),
        inline=False,
    )
    embed.set_footer(text="Near rhymes are often more interesting in a song than perfect ones.")
    return embed


def song_list_embed(rows: Sequence[tuple[int, str, int, float]]) -> discord.Embed:
    """rows: (id, title, line count, created_at)."""
    embed = discord.Embed(title="Songs written here", colour=COLOUR_INFO)
    if not rows:
        embed.description = "No songs yet. Run a songwriting activity such as **Lyric circle**."
        return embed
    embed.description = shorten(
        "\n".join(
            f"`#{sid}` **{escape(shorten(title, 80))}** · {count} lines · <t:{int(at)}:d>"
            for sid, title, count, at in rows
        ),
        DESCRIPTION_MAX,
    )
    embed.set_footer(text="/song show ID to read one, /song export ID for a file.")
    return embed


def fingerprint(payload: MessagePayload) -> str:
    """What a step message shows (its embed and buttons), to tell whether an edit changes it."""
    embed = payload.embed.to_dict() if payload.embed is not None else None
    view = payload.view.to_components() if payload.view is not None else None
    return json.dumps([payload.content, embed, view], sort_keys=True, default=str)


def thanks(step: WriteStep, kind: str, payload: Mapping[str, Any]) -> str:
    """The private reply to a saved song event (`payload` as the step saved it)."""
    if kind == "pass":
        return "⏭ Passed. That's completely fine; the song goes on to the next writer."
    if kind == "withdraw":
        return "↩ Your line is withdrawn. The next writer picks up from there."
    if kind == "remove":
        return f"🧹 Line {int(payload['pos']) + 1} was removed. It's kept only in the record."
    verb = "updated" if kind == "edit" else "added"
    flags = payload.get("flags") or []
    note = ""
    if flags:
        note = (
            "\nIt's a little outside this song's guide ("
            + ", ".join(str(f) for f in flags)
            + "), and that's allowed here."
        )
    change = (
        "" if step.anonymous else " You can edit or withdraw it until the next line is written."
    )
    return (
        f"✍ Your line is {verb}: “{payload.get('text', '')}” ({payload.get('syl', 0)} "
        f"syllables).{change}{note}"
    )

"""How songs look: the live lyric sheet, the finished song sheet (embed + .md), exports, rhymes."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.core.lyric_slots import BLANK_RE, Slot
from bot.core.lyrics import Credits
from bot.core.rhymes import RhymeSuggestions
from bot.core.steps.write import WriteStep
from bot.core.text import shorten
from bot.i18n import N_, _, ngettext
from bot.ui.format import COLOUR_INFO, DESCRIPTION_MAX, FIELD_MAX
from bot.ui.steps.base import MessagePayload

SHOWN_BLANK = "……"
_MD_SPECIAL = re.compile(r"([\\*_~`|>#\[\]])")


def escape(text: str) -> str:
    """Facilitator-written text (section names, themes, titles) shown literally."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def who(user_id: int, names: Mapping[int, str], locale: str) -> str:
    """A member's name for an embed (escaped), or "a member" when the name isn't known: a raw
    mention inside an embed shows as `<@id>` to anyone whose client doesn't know that person."""
    name = names.get(user_id)
    return f"**{escape(shorten(name, 40))}**" if name else _("a member", locale)


def show_template(template: str) -> str:
    """A line template as shown: its blanks drawn as "……", Markdown escaped."""
    return escape(BLANK_RE.sub(SHOWN_BLANK, template))


@dataclass(frozen=True, slots=True)
class SongInfo:
    """What the song sheet needs beyond the lines: kept by the lyrics cog, read synchronously."""

    song_id: int | None = None
    title: str = ""
    names: Mapping[int, str] = field(default_factory=dict)
    opted_out: frozenset[int] = frozenset()
    authors: frozenset[int] = frozenset()
    """Who wrote the song's lines when it was last read (user ids)."""


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
        """How many lines the song has, over all its sections."""
        return sum(len(lines) for _, lines in self.sections)

    def credit_text(self, *, mentions: bool, locale: str) -> str:
        """ "Ana, Ben and the group": who wrote the song, as mentions or plain names, in
        ``locale``."""
        people = [
            who(uid, self.names, locale) if mentions else self.names.get(uid, _("a member", locale))
            for uid in self.credits.named
        ]
        if self.credits.group or not people:
            people.append(_("the group", locale))
        if len(people) == 1:
            return people[0]
        return _("{names} and {last}", locale, names=", ".join(people[:-1]), last=people[-1])

    def title_in(self, locale: str) -> str:
        """The song's title, or "Song #3" / "Our song" in ``locale`` when it has none."""
        if self.title:
            return self.title
        if self.song_id:
            return _("Song #{number}", locale, number=self.song_id)
        return _("Our song", locale)


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
    locale: str,
) -> str:
    """The song so far by section; in hidden mode only how far it has got."""
    if hidden:
        done = len(lines)
        bar = "▰" * done + "▱" * (len(slots) - done)
        return _(
            "🙈 The song stays hidden until the end.\n{bar} **{done} of {total}** lines "
            "written. Each writer sees only the last word of the line before.",
            locale,
            bar=bar,
            done=done,
            total=len(slots),
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
            marker = " " + _("◀ next", locale) if slot.position == next_position else ""
            ghost = show_template(slot.template) if slot.template else "…"
            out.append(f"{number} *{ghost}*{marker}")
            continue
        extras = []
        # The syllable counter knows English only (bot/core/syllables.py): no count for a song
        # written in another language rather than a wrong one.
        if line.get("syl") is not None and locale == "en":
            extras.append(_("{count} syl", locale, count=line.get("syl", 0)))
        if line.get("flags"):
            extras.append("⚑ " + ", ".join(flag_text(str(f), locale) for f in line["flags"]))
        author = line.get("author")
        if isinstance(author, int) and not anonymous:
            extras.append(who(author, names or {}, locale).strip("*"))
        tail = f"  ·  *{' · '.join(extras)}*" if extras else ""
        out.append(f"{number} {line['text']}{tail}")
    return shorten("\n".join(out).strip(), DESCRIPTION_MAX - 600)


FLAGS = {
    "long": N_("longer than the guide"),
    "syllables": N_("syllables"),
    "rhyme": N_("rhyme"),
}
"""The words for the guide flags a checked line may carry (bot/core/lyrics.py check_line)."""


def flag_text(flag: str, locale: str) -> str:
    """A line's flag ("syllables", "rhyme", "long") in the reader's language."""
    return _(FLAGS[flag], locale) if flag in FLAGS else flag


def structure_text(slots: Sequence[Slot], locale: str) -> str:
    """The song's structure as one line ("verse, chorus, verse"), in ``locale``."""
    parts: list[str] = []
    last: tuple[str, int] | None = None
    for slot in slots:
        key = (slot.section, slot.section_number)
        if key != last:
            # Worded first: a marked call nested in ngettext's arguments hides it from Babel.
            section = escape(slot.section or _("song", locale))
            parts.append(
                ngettext(
                    "{section} {count} line",
                    "{section} {count} lines",
                    slot.section_lines,
                    locale,
                    section=section,
                )
            )
            last = key
    return ", ".join(parts)


# ------------------------------------------------------------------ the song sheet


# ------------------------------------------------------------------ other replies


def rhyme_embed(found: RhymeSuggestions, locale: str) -> discord.Embed:
    """The private /rhyme answer; ``locale`` is the reader's language."""
    embed = discord.Embed(
        title=_("Rhymes for “{word}”", locale, word=shorten(found.word, 40)), colour=COLOUR_INFO
    )
    if not found.supported:
        embed.description = _(
            "Rhyme help knows English words only, and this server's songs are written in "
            "another language, so I won't guess. Try reading the line aloud and listening "
            "for its last vowel.",
            locale,
        )
        return embed
    if not found.known:
        embed.description = _(
            "I don't know how that word is pronounced, so I can't suggest rhymes. Try a "
            "similar word, or say it aloud and listen for its last vowel.",
            locale,
        )
        return embed
    none = _("none found", locale)
    embed.add_field(
        name=_("Rhymes", locale),
        value=shorten(", ".join(found.perfect) or none, FIELD_MAX),
        inline=False,
    )
    embed.add_field(
        name=_("Near rhymes (same vowel sound)", locale),
        value=shorten(", ".join(found.near) or none, FIELD_MAX),
        inline=False,
    )
    embed.set_footer(
        text=_("Near rhymes are often more interesting in a song than perfect ones.", locale)
    )
    return embed


def fingerprint(payload: MessagePayload) -> str:
    """What a step message shows (its embed and buttons), to tell whether an edit changes it."""
    embed = payload.embed.to_dict() if payload.embed is not None else None
    view = payload.view.to_components() if payload.view is not None else None
    return json.dumps([payload.content, embed, view], sort_keys=True, default=str)


def thanks(step: WriteStep, kind: str, payload: Mapping[str, Any], locale: str) -> str:
    """The private reply to a saved song event (`payload` as the step saved it)."""
    if kind == "pass":
        return _("⏭ Passed. That's completely fine; the song goes on to the next writer.", locale)
    if kind == "withdraw":
        return _("↩ Your line is withdrawn. The next writer picks up from there.", locale)
    if kind == "remove":
        return _(
            "🧹 Line {number} was removed. It's kept only in the record.",
            locale,
            number=int(payload["pos"]) + 1,
        )
    text = str(payload.get("text", ""))
    syllables = payload.get("syl")
    if syllables is None:
        saved = (
            _("✍ Your line is updated: “{text}”.", locale, text=text)
            if kind == "edit"
            else _("✍ Your line is added: “{text}”.", locale, text=text)
        )
    else:
        saved = (
            ngettext(
                "✍ Your line is updated: “{text}” ({count} syllable).",
                "✍ Your line is updated: “{text}” ({count} syllables).",
                int(syllables),
                locale,
                text=text,
            )
            if kind == "edit"
            else ngettext(
                "✍ Your line is added: “{text}” ({count} syllable).",
                "✍ Your line is added: “{text}” ({count} syllables).",
                int(syllables),
                locale,
                text=text,
            )
        )
    change = (
        ""
        if step.anonymous
        else " " + _("You can edit or withdraw it until the next line is written.", locale)
    )
    flags = payload.get("flags") or []
    note = ""
    if flags:
        note = "\n" + _(
            "It's a little outside this song's guide ({flags}), and that's allowed here.",
            locale,
            flags=", ".join(flag_text(str(f), locale) for f in flags),
        )
    return f"{saved}{change}{note}"

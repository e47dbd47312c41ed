"""One line of lyric from a member: cleaned for the sheet (no mentions, markdown or line breaks),
checked against a strict song's guide (rhyme, syllables), and refused with every problem worded
in the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.core.errors import InvalidInput
from bot.core.lyric_slots import (
    FILL_SEPARATOR,
    HARD_MAX_CHARS,
    Slot,
    blanks,
    fill_template,
    split_fills,
)
from bot.core.rhymes import last_word, lines_rhyme
from bot.core.syllables import count_line
from bot.core.text import clean_member_text
from bot.i18n import N_, Wording, gettext
from bot.i18n import worded as wording

if TYPE_CHECKING:
    # Annotations only: the write step's module imports these rules for its handler.
    from bot.core.steps.write import WriteStep


_MENTION = re.compile(r"<(?:@[!&]?|#)\d+>|</[^:>]+:\d+>")
_CUSTOM_EMOJI = re.compile(r"<a?:(\w+):\d+>")
_MASS = re.compile(r"@(everyone|here)\b", re.IGNORECASE)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKDOWN = re.compile(r"[*_~`|\\]")
_LEADING = re.compile(r"^(?:[#>\-+]+|\d+\.)\s*")


# ------------------------------------------------------------------ member text


def clean_line(text: str, limit: int = HARD_MAX_CHARS) -> str:
    """One line of lyric, safe for the sheet: no mentions, no markdown, no line breaks."""
    text = _CUSTOM_EMOJI.sub(r":\1:", text)
    text = _MENTION.sub("", text)
    text = _MASS.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _MARKDOWN.sub("", text)
    text = clean_member_text(text, 10_000, single_line=True)
    text = _LEADING.sub("", text).strip()
    return clean_member_text(text, limit, single_line=True)


Worded = tuple[str, dict[str, Any]]
"""A catalogue text and the fields that fill it."""


class LineRefused(InvalidInput):
    """A line outside a strict song's guide: every problem, one per line, in the reader's
    language, and optionally the writer's own words to copy (`with_words`)."""

    def __init__(self, problems: list[Worded], words: str = "") -> None:
        self.problems = problems
        self.words = words
        super().__init__("\n".join(text.format(**fields) for text, fields in problems))

    def text(self, locale: str | None) -> str:
        """Every problem, one per line, in `locale`, then the writer's words to copy (when kept)."""
        worded = "\n".join(
            gettext(text, locale, **{k: wording(v, locale) for k, v in fields.items()})
            for text, fields in self.problems
        )
        if self.words:
            worded += "\n" + gettext(
                "Your words, to copy and change: `{words}`", locale, words=self.words
            )
        return worded


def typed_line_number(text: str) -> int:
    """The line number a facilitator typed to remove a line (1-based, as the sheet shows;
    whether the song has that line is the write step's rule). Raises InvalidInput when it
    isn't a number."""
    typed = text.strip()
    if not typed.isdigit():
        raise InvalidInput(N_("Give the line's number as shown on the lyric sheet, e.g. 3."))
    return int(typed)


def previous_line(lines: Mapping[int, Mapping[str, Any]], position: int) -> str | None:
    """The text of the line just before `position`, if it has been written."""
    before = lines.get(position - 1)
    return str(before["text"]) if before else None


def hidden_clue(lines: Mapping[int, Mapping[str, Any]], position: int) -> str | None:
    """What a hidden-mode writer may see: only the last word of the line before."""
    before = previous_line(lines, position)
    return (last_word(before) or None) if before else None


# ------------------------------------------------------------------ checking a line


@dataclass(frozen=True, slots=True)
class CheckedLine:
    text: str
    fill: str
    syllables: int
    flags: list[str]


def check_line(
    step: WriteStep,
    slot: Slot,
    lines: Mapping[int, Mapping[str, Any]],
    raw: str | Sequence[str],
    language: str,
) -> CheckedLine:
    """Clean a writer's words, fill the template, and check the step's constraints.

    With `strict: true` a line outside them is refused with the count and a hint; otherwise it
    is accepted and flagged. `language` is the song's (the server's language): the syllable
    and rhyme constraints are checked only where the counter and the rhyme dictionary know it
    (English), never by English rules on a German line; `syllables` is then 0.
    Raises InvalidInput for an empty line or an unfilled blank, LineRefused for a strict step.
    """
    needed = blanks(slot.template)
    parts = list(raw) if not isinstance(raw, str) else split_fills(raw, needed)
    fills = [clean_line(p) for p in parts]
    if not any(fills):
        raise InvalidInput(
            N_(
                "Your line was empty. Write a few words, or press Pass if nothing comes: "
                "passing is fine."
            )
        )
    if slot.template and any(not f for f in fills):
        raise InvalidInput(N_("Fill in every blank of the line, please."))
    fill = FILL_SEPARATOR.join(fills)
    text = fill_template(slot.template, fills) if slot.template else fill
    # The template's own words come on top of the writer's: a long template line stays whole.
    text = clean_member_text(text, HARD_MAX_CHARS + len(slot.template or ""), single_line=True)
    problems: list[Worded] = []
    flags: list[str] = []
    limit = step.constraints.max_chars
    if len(fill) > limit:
        problems.append(
            (
                N_(
                    "Your words are {length} characters long; the limit here is {limit}. "
                    "Try saying it with fewer words."
                ),
                {"length": len(fill), "limit": limit},
            )
        )
        flags.append("long")
    counted = count_line(text, language)
    knows_language = counted is not None
    syllables = counted or 0
    wanted = step.constraints.syllables if knows_language else None
    if wanted is not None and not (wanted.min <= syllables <= wanted.max):
        span = f"{wanted.min}" if wanted.min == wanted.max else f"{wanted.min}–{wanted.max}"
        problems.append(
            (
                N_(
                    "That line has {syllables}; this song asks for {span}. Nearly there: "
                    "try dropping a small word or two."
                )
                if syllables > wanted.max
                else N_(
                    "That line has {syllables}; this song asks for {span}. Nearly there: "
                    "try adding a word or two."
                ),
                # A count of its own: "1 syllable", "2 syllables" in each language.
                {
                    "syllables": Wording.plural("{count} syllable", "{count} syllables", syllables),
                    "span": span,
                },
            )
        )
        flags.append("syllables")
    before = previous_line(lines, slot.position)
    rhymes_checked = knows_language and step.constraints.rhyme_with_previous
    if rhymes_checked and before and lines_rhyme(before, text) is None:
        target = last_word(before)
        mine = last_word(text)
        problems.append(
            (
                N_(
                    "Your line ends with “{mine}”, which doesn't rhyme with “{target}” at the "
                    "end of the line before. `/rhyme {target}` suggests some that do."
                ),
                {"mine": mine, "target": target},
            )
        )
        flags.append("rhyme")
    if problems and step.strict:
        raise LineRefused(problems)
    return CheckedLine(text=text, fill=fill, syllables=syllables, flags=flags)


# ------------------------------------------------------------------ the handler


class NotFoundLine(InvalidInput):
    """A facilitator named a line that isn't there."""

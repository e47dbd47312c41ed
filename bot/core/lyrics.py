"""Rules of the `write` step (its model and handler are in `bot/core/steps/write.py`): a song
written together, one line per turn, with scaffolds and gentle help.

Sources of truth:
- contributions (kinds line, pass, edit, withdraw, remove) are the event log; folding them in
  order gives the song's text (`fold`), so the song sheet at the end needs nothing else;
- the handler state (persisted by the runner) holds the turn bookkeeping and a folded copy of
  the song that `accept` checks against (rhymes, turns, who may edit);
- the songs/song_lines tables are the saved song, written by the cog after each committed event.

Nothing here knows Discord: ids are ints and time is `ctx.now`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.core.errors import Conflict, InvalidInput
from bot.core.field_texts import localize
from bot.core.rhymes import last_word, lines_rhyme
from bot.core.syllables import count_syllables, supports
from bot.core.text import clean_member_text
from bot.i18n import N_, gettext
from bot.records.sessions import ContributionRecord

if TYPE_CHECKING:
    # Annotations only: the write step's module imports these rules for its handler.
    from bot.core.steps.write import WriteStep

HARD_MAX_CHARS = 500
"""No writer's words are ever longer than this, even when `strict: false` lets a long line
through. It is the validator's own ceiling for `constraints.max_chars`, so a step that validates
gets the allowance it asks for (the validator and the runtime agree)."""
BLANK_RE = re.compile(r"_{3,}")
FILL_SEPARATOR = " / "
EVENT_KINDS = ("line", "pass", "edit", "withdraw", "remove")

_MENTION = re.compile(r"<(?:@[!&]?|#)\d+>|</[^:>]+:\d+>")
_CUSTOM_EMOJI = re.compile(r"<a?:(\w+):\d+>")
_MASS = re.compile(r"@(everyone|here)\b", re.IGNORECASE)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKDOWN = re.compile(r"[*_~`|\\]")
_LEADING = re.compile(r"^(?:[#>\-+]+|\d+\.)\s*")


# ------------------------------------------------------------------ the song's shape


@dataclass(frozen=True, slots=True)
class Slot:
    """One line of the song to be written."""

    position: int
    section: str
    section_number: int
    """Which occurrence of this section name (the second verse is 2)."""
    line_in_section: int
    section_lines: int
    template: str | None

    @property
    def label(self) -> str:
        return self.label_in("en")

    def label_in(self, locale: str | None) -> str:
        """``"line 3 (verse, line 1)"`` in ``locale``."""
        return gettext(
            N_("line {number} ({section}, line {line})"),
            locale,
            number=self.position + 1,
            section=self.section or gettext(N_("song"), locale),
            line=self.line_in_section,
        )


class SlotConflict(Conflict):
    """A refusal naming a line of the song (`{label}`) and the part it was written for
    (`{section}`: the song's own section name, or "section"), worded in the reader's language."""

    def __init__(self, message: str, slot: Slot, section: str = "") -> None:
        super().__init__(message, label=slot.label, section=section or "section")
        self.slot = slot
        self.section = section

    def text(self, locale: str | None) -> str:
        return gettext(
            self.template,
            locale,
            label=self.slot.label_in(locale),
            section=self.section or gettext(N_("section"), locale),
        )


def slots(step: WriteStep, locale: str) -> list[Slot]:
    """Every line of the song in order, with its section and template line."""
    templates = [localize(t, locale) for t in step.template] if step.template else None
    sections = (
        [(localize(s.name, locale), s.lines) for s in step.structure]
        if step.structure
        else [("", len(templates or []))]
    )
    result: list[Slot] = []
    seen: dict[str, int] = {}
    for name, count in sections:
        seen[name] = seen.get(name, 0) + 1
        for line in range(count):
            position = len(result)
            result.append(
                Slot(
                    position=position,
                    section=name,
                    section_number=seen[name],
                    line_in_section=line + 1,
                    section_lines=count,
                    template=templates[position] if templates else None,
                )
            )
    return result


def blanks(template: str | None) -> int:
    return len(BLANK_RE.findall(template or ""))


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


def split_fills(text: str, count: int) -> list[str]:
    """A single text for a line with several blanks: the parts go between slashes."""
    if count <= 1:
        return [text]
    parts = [p.strip() for p in re.split(r"\s*[/|]\s*", text)]
    if len(parts) != count:
        raise InvalidInput(
            N_(
                "This line has {count} blanks. Write the parts separated by a slash, for "
                "example `my morning coffee / it went cold`, or use the Write my line button."
            ),
            count=count,
        )
    return parts


def allowance(step: WriteStep, slot: Slot) -> int:
    """How many characters one input of the line form may take so that, together, the writer's
    words fit the step's `max_chars` (several blanks are joined with " / ")."""
    count = max(1, blanks(slot.template))
    room = min(HARD_MAX_CHARS, step.constraints.max_chars) - len(FILL_SEPARATOR) * (count - 1)
    return max(1, room // count)


def fill_template(template: str, fills: Sequence[str]) -> str:
    """The template line with each blank replaced, in order."""
    pieces = iter(fills)
    return BLANK_RE.sub(lambda _: next(pieces, "…"), template)


# ------------------------------------------------------------------ state and folding

State = dict[str, Any]


def song_lines(state: Mapping[str, Any]) -> dict[int, dict[str, Any]]:
    """Filled positions -> line (id, text, fill, author, syl, flags)."""
    return {int(k): dict(v) for k, v in dict(state.get("lines", {})).items()}


def apply_event(
    lines: Mapping[int, Mapping[str, Any]],
    kind: str,
    payload: Mapping[str, Any],
    contribution_id: int,
    author_id: int | None,
) -> dict[int, dict[str, Any]]:
    """The song after one event; the same fold for the live state and for the closed step."""
    result = {k: dict(v) for k, v in lines.items()}
    position = int(payload.get("pos", -1))
    if kind == "line":
        result[position] = {
            "id": contribution_id,
            "text": str(payload.get("text", "")),
            "fill": str(payload.get("fill", "")),
            "author": author_id,
            "syl": int(payload.get("syl", 0)),
            "flags": list(payload.get("flags", [])),
        }
    elif kind == "edit":
        current = result.get(position)
        if current is not None and current.get("id") == payload.get("line_id"):
            current.update(
                text=str(payload.get("text", "")),
                fill=str(payload.get("fill", "")),
                syl=int(payload.get("syl", 0)),
                flags=list(payload.get("flags", [])),
                edited=True,
            )
    elif kind in ("withdraw", "remove"):
        current = result.get(position)
        if current is not None and current.get("id") == payload.get("line_id"):
            del result[position]
    return result


def fold(contributions: Iterable[ContributionRecord]) -> dict[int, dict[str, Any]]:
    """The song's lines from the step's event log, in commit order."""
    lines: dict[int, dict[str, Any]] = {}
    for c in sorted(contributions, key=lambda c: c.id):
        if c.kind in EVENT_KINDS:
            lines = apply_event(lines, c.kind, c.payload, c.id, c.author_id)
    return lines


def next_position(step: WriteStep, lines: Mapping[int, Any]) -> int | None:
    """The lowest empty line (a removed line is written again), or None when the song is full."""
    for position in range(step.total_lines):
        if position not in lines:
            return position
    return None


def is_full(step: WriteStep, lines: Mapping[int, Any]) -> bool:
    return next_position(step, lines) is None


# ------------------------------------------------------------------ turns


def rotation(state: Mapping[str, Any], present: Sequence[int]) -> list[int]:
    """Everyone in the turn order: join order, newcomers appended at the end."""
    order = [int(u) for u in state.get("order", [])]
    return order + [u for u in present if u not in order]


def next_after(order: Sequence[int], present: Sequence[int], current: int | None) -> int | None:
    """The next present member after `current` in the order, wrapping round; skips leavers."""
    here = set(present)
    if not order or not here:
        return None
    start = order.index(current) + 1 if current in order else 0
    for offset in range(len(order)):
        candidate = order[(start + offset) % len(order)]
        if candidate in here:
            return candidate
    return None


def current_writer(state: Mapping[str, Any], present: Sequence[int]) -> int | None:
    """Whose turn it is now: the stored writer, or the next one if they have left."""
    turn = state.get("turn")
    if isinstance(turn, int) and turn in present:
        return turn
    order = rotation(state, present)
    if isinstance(turn, int) and turn in order:
        return next_after(order, present, turn)
    return next_after(order, present, None)


def takes_turns(step: WriteStep) -> bool:
    return step.turns in ("round_robin", "hidden")


def turn_refusal(step: WriteStep, writer: int, in_circle: bool) -> Conflict:
    """Why someone may not write now; an anonymous song never says whose turn it is."""
    if step.anonymous:
        if in_circle:
            return Conflict(
                N_(
                    "Someone else is writing at the moment. Your turn will come; I'll tell you "
                    "privately when it does."
                )
            )
        return Conflict(
            N_("Someone else is writing at the moment. Join the session to take a turn.")
        )
    if in_circle:
        return Conflict(
            N_(
                "It's {member}'s turn to write at the moment. You're in the circle and your turn "
                "will come; I'll mention you when it does."
            ),
            member=f"<@{writer}>",
        )
    return Conflict(
        N_("It's {member}'s turn to write at the moment. Join the session to take a turn."),
        member=f"<@{writer}>",
    )


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
        worded = "\n".join(gettext(text, locale, **fields) for text, fields in self.problems)
        if self.words:
            worded += "\n" + gettext(
                "Your words, to copy and change: `{words}`", locale, words=self.words
            )
        return worded


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
    knows_language = supports(language)
    syllables = count_syllables(text) if knows_language else 0
    wanted = step.constraints.syllables if knows_language else None
    if wanted is not None and not (wanted.min <= syllables <= wanted.max):
        span = f"{wanted.min}" if wanted.min == wanted.max else f"{wanted.min}–{wanted.max}"
        problems.append(
            (
                N_(
                    "That line has {count} syllables; this song asks for {span}. Nearly there: "
                    "try dropping a small word or two."
                )
                if syllables > wanted.max
                else N_(
                    "That line has {count} syllables; this song asks for {span}. Nearly there: "
                    "try adding a word or two."
                ),
                {"count": syllables, "span": span},
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


# ------------------------------------------------------------------ credits


@dataclass(frozen=True, slots=True)
class Credits:
    named: tuple[int, ...]
    """Authors credited by name, in order of their first line."""
    group: bool
    """Some lines are credited to "the group" (anonymous step or opted-out members)."""


def credits(
    lines: Mapping[int, Mapping[str, Any]], anonymous: bool, opted_out: Iterable[int]
) -> Credits:
    out = set(opted_out)
    named: list[int] = []
    group = False
    for _, line in sorted(lines.items()):
        author = line.get("author")
        if anonymous or not isinstance(author, int) or author in out:
            group = True
        elif author not in named:
            named.append(author)
    return Credits(named=tuple(named), group=group)

"""The song's shape for the `write` step: one slot per line to write (section, template, rhyme
and syllable guides), the blanks of a template and how many characters each fill may take.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.errors import Conflict, InvalidInput
from bot.core.field_texts import localize
from bot.i18n import N_, gettext

if TYPE_CHECKING:
    # Annotations only: the write step's module imports these rules for its handler.
    from bot.core.steps.write import WriteStep


HARD_MAX_CHARS = 500
"""No writer's words are ever longer than this, even when `strict: false` lets a long line
through. It is the validator's own ceiling for `constraints.max_chars`, so a step that validates
gets the allowance it asks for (the validator and the runtime agree)."""
BLANK_RE = re.compile(r"_{3,}")
FILL_SEPARATOR = " / "


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
        """The slot's label in English, e.g. "line 3 (verse, line 1)" (see `label_in`)."""
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
        """The refusal in `locale`, naming the slot and its section."""
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
    """How many blanks (three or more underscores) a template line has; 0 for no template."""
    return len(BLANK_RE.findall(template or ""))


def split_fills(text: str, count: int) -> list[str]:
    """A single text for a line with `count` blanks: the parts go between slashes. Raises
    InvalidInput when the number of parts isn't `count`."""
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

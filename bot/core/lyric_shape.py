"""The parts of a `write` step's format that shape the song (`WriteStep.structure`,
`WriteStep.constraints`, `bot/core/steps/write.py`): its sections and the rules each line
follows. Kept beside the kind's rules so the kind module stays about its handler; the schema
names them as before (`python -m bot schema`).
"""

from __future__ import annotations

from pydantic import Field, model_validator

from bot.core.field_texts import Title
from bot.core.format_base import FormatModel, format_error


class Section(FormatModel):
    """One part of a song being written, e.g. a verse of 4 lines."""

    name: Title
    """verse, chorus, bridge, ... (free text)."""
    lines: int = Field(ge=1, le=16)


class Syllables(FormatModel):
    """Allowed syllable count per line."""

    min: int = Field(default=1, ge=1, le=30)
    max: int = Field(default=30, ge=1, le=30)

    @model_validator(mode="after")
    def _ordered(self) -> Syllables:
        if self.min > self.max:
            raise format_error(
                "syllables", "min ({min}) must not be above max ({max})", min=self.min, max=self.max
            )
        return self


class Constraints(FormatModel):
    """Rules each written line must follow."""

    max_chars: int = Field(default=120, ge=10, le=500)
    syllables: Syllables | None = None
    rhyme_with_previous: bool = False
    """The line's last word should rhyme with the previous line's."""

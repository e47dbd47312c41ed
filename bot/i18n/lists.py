"""Items joined into one phrase as each language joins them (Babel's CLDR list patterns)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from babel import lists

from bot.i18n.languages import babel_locale


def format_list(
    items: Sequence[str], locale: str | None, style: Literal["standard", "or"] = "standard"
) -> str:
    """Items joined the language's way: ``["A", "B", "C"]`` -> ``"A, B, and C"`` (en),
    ``"A, B und C"`` (de), ``"A, B y C"`` (es); ``style="or"``: ``"A, B, or C"``,
    ``"A, B oder C"``, ``"A, B o C"`` (Babel's CLDR list patterns)."""
    return lists.format_list(list(items), style=style, locale=babel_locale(locale))

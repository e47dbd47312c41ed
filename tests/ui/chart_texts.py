"""What a drawn chart says: every text matplotlib put on a figure, and the month names a
language must not show (English abbreviations the language writes differently)."""

from __future__ import annotations

import re

from babel.dates import get_month_names
from matplotlib.figure import Figure
from matplotlib.text import Text


def texts_of(figure: Figure) -> list[str]:
    """Every visible, non-empty text of ``figure`` after drawing it: tick labels, offset texts,
    titles, axis labels, legends, annotations."""
    figure.canvas.draw()
    found = [t.get_text() for t in figure.findobj(Text) if t.get_visible() and t.get_text()]
    for axes in figure.axes:
        for axis in (axes.xaxis, axes.yaxis):
            offset = axis.get_offset_text().get_text()
            if offset:
                found.append(offset)
    return found


def month_names(language: str) -> list[str]:
    """Babel's abbreviated month names, as they appear inside a date ("März", "Dez.", "dic")."""
    return list(get_month_names("abbreviated", locale=language).values())


def english_months_foreign_to(language: str) -> list[str]:
    """English abbreviations ("Mar", "Dec") that no month name of ``language`` starts with."""
    own = month_names(language)
    return [name for name in month_names("en") if not any(o.startswith(name) for o in own)]


def english_months_in(texts: list[str], language: str) -> list[str]:
    """The texts that carry an English month name ``language`` writes differently."""
    foreign = english_months_foreign_to(language)
    return [t for t in texts for name in foreign if re.search(rf"\b{name}\b", t)]

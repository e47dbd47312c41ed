"""Date ticks in the chart reader's language (Babel's CLDR data), for the chart process only.

Matplotlib's own date formatters write English month names ("Mar", offset "2026-Mar");
`DayFormatter` writes every tick with Babel instead and draws no offset text: the year sits in
the first tick and in the first tick of each new year ("Dez. 2025", "Jan. 2026" ... ).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo

from babel import dates
from matplotlib.dates import num2date
from matplotlib.ticker import Formatter

from bot.i18n import SOURCE_LANGUAGE, language_of

_DAY = 1.0
"""Matplotlib's date numbers are days."""


class DayFormatter(Formatter):
    """Tick labels for a date axis in ``locale``, its days in ``zone`` (default UTC).

    The label's detail follows the tick spacing: years ("2026"), months ("März", "mar"),
    days ("5. März", "5 mar") or times of day ("14:30"); the year (or, for times, the day) is
    added where it first appears. `get_offset` stays empty, so nothing is drawn in English.
    """

    def __init__(self, locale: str | None, zone: tzinfo = UTC) -> None:
        self.language = language_of(locale) or SOURCE_LANGUAGE
        self.zone = zone

    def _when(self, value: float) -> datetime:
        return num2date(value, tz=self.zone)  # type: ignore[no-untyped-call, no-any-return]

    def _text(self, when: datetime, skeleton: str) -> str:
        if skeleton == "MMMd Hm":
            # CLDR has no joined day-and-time skeleton: the day on a second line under the time.
            return f"{self._text(when, 'Hm')}\n{self._text(when, 'MMMd')}"
        if skeleton == "MMM":
            # The month inside a date ("März", "Dez."), the names Babel lists as abbreviated.
            return str(dates.format_date(when, "MMM", locale=self.language))
        return str(dates.format_skeleton(skeleton, when, locale=self.language))

    def __call__(self, x: float, pos: int | None = None) -> str:
        """One value on its own (the pointer's read-out): the full day."""
        return self._text(self._when(x), "yMMMd")

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        """All tick labels of the axis at once, so the year is written only where it changes."""
        if len(values) == 0:
            return []
        whens = [self._when(v) for v in values]
        step = (values[-1] - values[0]) / (len(values) - 1) if len(values) > 1 else 0.0
        labels: list[str] = []
        previous: datetime | None = None
        for when in whens:
            new_year = previous is None or when.year != previous.year
            new_day = previous is None or when.date() != previous.date()
            if len(values) == 1:
                skeleton = "yMMMd"
            elif step >= 300 * _DAY:
                skeleton = "y"
            elif step >= 27 * _DAY:
                skeleton = "yMMM" if new_year else "MMM"
            elif step >= 0.99 * _DAY:
                skeleton = "yMMMd" if new_year else "MMMd"
            else:
                skeleton = "MMMd Hm" if new_day else "Hm"
            labels.append(self._text(when, skeleton))
            previous = when
        return labels

    def get_offset(self) -> str:
        """No offset text on the axis (matplotlib asks; the dates are written out in full)."""
        return ""

"""Charts as PNG bytes: readable without colour (markers, hatching and labels carry the meaning).

The drawing (`bot.ui.chart_drawing`, matplotlib) runs in one child process (`chart_worker`), so
the bot process never holds matplotlib. These functions block until the PNG is back: call
them off the event loop (the cogs use `asyncio.to_thread`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.exports import SummaryFigures
from bot.i18n import N_
from bot.ui import chart_worker

WIDTH, HEIGHT, DPI = 8.0, 4.2, 100
INK = "#222222"
SOFT = "#888888"
PHASE_STYLE = {
    "before": {"marker": "o", "label": N_("before a session"), "fill": "none"},
    "after": {"marker": "s", "label": N_("after a session"), "fill": "full"},
    "any": {"marker": "D", "label": N_("any time (/checkin now)"), "fill": "full"},
}
"""How each check-in phase is drawn; labels are catalogue texts worded in the chart's language."""


@dataclass(frozen=True, slots=True)
class Point:
    at: float
    value: float
    """On the common 0-10 axis."""
    phase: str


@dataclass(frozen=True, slots=True)
class Arrow:
    before_at: float
    before: float
    after_at: float
    after: float


@dataclass(frozen=True, slots=True)
class Bands:
    names: tuple[str, ...]
    """Each band's words (low, middle, high), worded in the chart's language."""
    before: tuple[int, ...] | None
    """People per band before the session; None: too few answers to show."""
    after: tuple[int, ...] | None
    title: str


@dataclass(frozen=True, slots=True)
class Week:
    label: str
    people: int | None
    """None: fewer than 3, not shown."""
    mean_shift: float | None


def trend_chart(points: Sequence[Point], arrows: Sequence[Arrow], title: str, locale: str) -> bytes:
    """A member's own check-ins over time; before/after pairs drawn as arrows. PNG, 800x420;
    axis words in ``locale`` (a language code)."""
    return chart_worker.draw("chart_drawing.trend_chart", list(points), list(arrows), title, locale)


def distribution_chart(bands: Bands, locale: str) -> bytes:
    """Counts per broad band before and after; a side with too few answers is left out. PNG;
    axis words in ``locale``."""
    return chart_worker.draw("chart_drawing.distribution_chart", bands, locale)


def trends_chart(weeks: Sequence[Week], title: str, locale: str) -> bytes:
    """People per week as hatched bars, and the mean mood shift as a marked line. PNG; axis
    words in ``locale``."""
    return chart_worker.draw("chart_drawing.trends_chart", list(weeks), title, locale)


def summary_chart(
    figures: SummaryFigures, title: str, timezone: str = "UTC", *, locale: str
) -> bytes:
    """A member's own summary for /mydata: check-ins (0-10) above, goal ratings (1-5) below,
    dated in `timezone` (IANA) and labelled in `locale`."""
    return chart_worker.draw("progress_drawing.summary_chart", figures, title, timezone, locale)

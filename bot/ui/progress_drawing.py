"""Drawing goal progress and /mydata's summary (check-ins and goal ratings over time) with
matplotlib: imported only in the chart process (`chart_worker`), like `chart_drawing`."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, num2date
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from bot.core.exports import SummaryFigures
from bot.core.goal_service import GoalProgress
from bot.core.goals import RATINGS
from bot.i18n import SOURCE_LANGUAGE, _, language_of
from bot.ui.chart_dates import DayFormatter
from bot.ui.chart_drawing import _png, _short_day, _when, _when_text, _year
from bot.ui.charts import DPI, HEIGHT, INK, SOFT, WIDTH
from bot.ui.goals import LINESTYLES, MARKERS, chart_text


def progress_chart(progress: Sequence[GoalProgress], locale: str) -> bytes:
    """The goal progress chart (see `progress_figure`) as PNG."""
    return _png(progress_figure(progress, locale))


def progress_figure(progress: Sequence[GoalProgress], locale: str) -> Figure:
    """One panel per goal: its rating per session over time, with words on the 1-5 axis (in
    ``locale``).

    Readable without colour: black ink, a different marker and line style per goal, the value
    written above each point, and each panel titled with its goal.
    """
    panels = max(1, len(progress))
    figure = Figure(figsize=(WIDTH, 1.0 + 2.3 * panels), dpi=DPI)
    FigureCanvasAgg(figure)
    axes_list = [figure.add_subplot(panels, 1, i + 1) for i in range(panels)]
    times = [p.at for item in progress for p in item.points]
    for index, axes in enumerate(axes_list):
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.set_ylim(0.5, 5.7)
        axes.set_yticks(
            [value for value, _label in RATINGS],
            [f"{value} {_(label, locale)}" for value, label in RATINGS],
        )
        axes.tick_params(axis="y", labelsize=8)
        axes.grid(axis="y", color="#dddddd", linewidth=0.8)
        if index >= len(progress):
            axes.text(0.5, 0.5, _("No goals yet. Try /goal set.", locale), ha="center",
                      va="center", transform=axes.transAxes, color=SOFT)  # fmt: skip
            axes.set_xticks([])
            continue
        item = progress[index]
        axes.set_title(
            chart_text(_("Goal {number}: {goal}", locale, number=index + 1, goal=item.goal.text)),
            color=INK,
            fontsize=10,
            loc="left",
        )
        if not item.points:
            axes.text(0.5, 0.5, _("No ratings yet", locale), ha="center", va="center",
                      transform=axes.transAxes, color=SOFT)  # fmt: skip
        else:
            xs = [_when(p.at) for p in item.points]
            ys = [p.value for p in item.points]
            axes.plot(
                xs,
                ys,
                color=INK,
                linestyle=LINESTYLES[index % len(LINESTYLES)],
                linewidth=1.4,
                marker=MARKERS[index % len(MARKERS)],
                markersize=7,
            )
            if len(xs) <= 16:
                for x, y in zip(xs, ys, strict=True):
                    axes.annotate(str(y), (x, y), textcoords="offset points", xytext=(0, 7),
                                  ha="center", fontsize=8, color=INK)  # fmt: skip
        _goal_date_axis(axes, times, locale)
    return figure


def _goal_date_axis(axes: Axes, times: Sequence[float], locale: str) -> None:
    if not times:
        axes.set_xticks([])
        return
    low, high = min(times), max(times)
    if high - low < 86400:
        middle = _when((low + high) / 2)
        axes.set_xlim(middle - 1, middle + 1)
        axes.set_xticks([middle], [_when_text(low, locale)])
        return
    span = _when(high) - _when(low)
    axes.set_xlim(_when(low) - span * 0.06, _when(high) + span * 0.06)
    days = sorted({_short_day(t, locale): t for t in times}.items(), key=lambda item: item[1])
    if len(days) <= 8:
        # Few sessions: each one's date under its point, so no date has to be guessed.
        axes.set_xticks([_when(t) for _day, t in days], [label for label, _t in days])
        axes.tick_params(axis="x", labelsize=8)
        years = "-".join(sorted({_year(low), _year(high)}))
        axes.set_xlabel(_("session dates ({years})", locale, years=years), fontsize=8, color=SOFT)
        return
    locator = AutoDateLocator(maxticks=8)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(DayFormatter(locale))


GOAL_MARKERS = ("o", "s", "^", "D", "v")


def day_label(number: float, zone: ZoneInfo, locale: str | None) -> str:
    """A date tick in the reader's zone and language: "Mar 11", "11. März", "11 mar"."""
    when = num2date(number, tz=zone)  # type: ignore[no-untyped-call]
    skeleton = "MMMd"
    return str(
        babel_dates.format_skeleton(skeleton, when, locale=language_of(locale) or SOURCE_LANGUAGE)
    )


def _summary_axes(title: str, zone: ZoneInfo, locale: str | None) -> tuple[Figure, Axes, Axes]:
    """A taller figure with two stacked panels sharing a date axis, its days in `zone`."""
    figure = Figure(figsize=(WIDTH, HEIGHT * 1.6), dpi=DPI)
    FigureCanvasAgg(figure)
    top, bottom = figure.subplots(2, 1, sharex=True)
    figure.suptitle(title, color=INK)
    for axes in (top, bottom):
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.grid(axis="y", color="#dddddd", linewidth=0.8)
    # Ticks fall on the reader's midnights, labelled with their day in their language: a
    # check-in at 23:30 UTC is on the next day in Berlin, and drawn there.
    locator = AutoDateLocator(tz=zone, minticks=3, maxticks=8)  # type: ignore[no-untyped-call]
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: day_label(x, zone, locale)))
    bottom.set_xlabel(_("days in {zone}", locale, zone=zone.key), fontsize=8, color=SOFT)
    return figure, top, bottom


def summary_figure(
    figures: SummaryFigures, title: str, timezone: str = "UTC", *, locale: str
) -> Figure:
    """The summary chart's figure (see `summary_chart`); its dates in `timezone` (IANA)."""
    figure, top, bottom = _summary_axes(title, ZoneInfo(timezone), locale)
    top.set_ylim(-0.5, 10.5)
    top.set_ylabel(_("check-in (0-10)", locale))
    if figures.checkins:
        top.plot(
            [_when(t) for t, _v in figures.checkins],
            [v for _t, v in figures.checkins],
            color=INK,
            marker="o",
            markersize=5,
            linewidth=1,
        )
    else:
        _nothing_yet(top, _("No check-ins yet", locale))
    bottom.set_ylim(0.5, 5.5)
    bottom.set_yticks(range(1, 6))
    bottom.set_ylabel(_("goal rating (1-5)", locale))
    for index, (goal, ratings) in enumerate(sorted(figures.goals.items())):
        bottom.plot(
            [_when(t) for t, _v in ratings],
            [v for _t, v in ratings],
            color=INK,
            marker=GOAL_MARKERS[index % len(GOAL_MARKERS)],
            linewidth=1,
            label=goal[:40],
        )
    if figures.goals:
        bottom.legend(fontsize=8, frameon=False, loc="upper left")
    else:
        _nothing_yet(bottom, _("No goal ratings yet", locale))
    return figure


def _nothing_yet(axes: Axes, text: str) -> None:
    """A panel's note that it has nothing to draw, in its middle."""
    axes.text(0.5, 0.5, text, ha="center", transform=axes.transAxes, color=SOFT)


def summary_chart(figures: SummaryFigures, title: str, timezone: str, locale: str) -> bytes:
    """Two panels readable without colour: check-ins over time (0-10) and each goal's ratings
    (1-5, one marker shape per goal); the date axis in the member's zone and language. PNG.
    Positional arguments only reach it from the chart process (`chart_worker.draw`)."""
    return _png(summary_figure(figures, title, timezone, locale=locale))

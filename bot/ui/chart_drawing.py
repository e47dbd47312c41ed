"""Drawing the charts with matplotlib: imported only in the chart process (`chart_worker`).

Uses matplotlib's object API on the Agg backend (no pyplot, no global figure state). The bot
process calls the wrappers in `bot.ui.charts`, which send the drawing here; importing this
module in the bot would bring matplotlib (~40 MB, ~1.5 s) back into it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from io import BytesIO

import matplotlib
from babel import dates, numbers

from bot.i18n import _, format_day, format_number, language_of

matplotlib.use("Agg")

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, date2num
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from bot.ui.chart_dates import DayFormatter
from bot.ui.charts import DPI, HEIGHT, INK, PHASE_STYLE, SOFT, WIDTH, Arrow, Bands, Point, Week


def _figure() -> tuple[Figure, Axes]:
    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure, axes


def _png(figure: Figure) -> bytes:
    figure.tight_layout()
    out = BytesIO()
    # No "Software: Matplotlib version ..." chunk: the same chart is the same bytes whatever
    # release drew it, and the file says nothing about the bot's machine.
    figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def _message(axes: Axes, text: str) -> None:
    axes.text(
        0.5, 0.5, text, ha="center", va="center", transform=axes.transAxes, color=SOFT, wrap=True
    )


def _when(ts: float) -> float:
    """Matplotlib's date number for a unix time."""
    return float(date2num(datetime.fromtimestamp(ts, UTC)))  # type: ignore[no-untyped-call]


def _when_text(ts: float, locale: str) -> str:
    """A day as the language writes it ("Mar 27, 2026", "27.03.2026")."""
    return format_day(datetime.fromtimestamp(ts, UTC), locale)


def _short_day(ts: float, locale: str) -> str:
    """A day without its year ("Mar 27", "27. März")."""
    when = datetime.fromtimestamp(ts, UTC)
    return dates.format_skeleton("MMMd", when, locale=language_of(locale) or "en")


def _year(ts: float) -> str:
    return str(datetime.fromtimestamp(ts, UTC).year)


def _shift_text(value: float, locale: str) -> str:
    """A signed mean shift with one decimal the language's way: "+0.5", "+0,5"."""
    pattern = "+#,##0.0;-#,##0.0"
    return str(numbers.format_decimal(value, format=pattern, locale=language_of(locale) or "en"))


def trend_chart(points: Sequence[Point], arrows: Sequence[Arrow], title: str, locale: str) -> bytes:
    """A member's own check-ins over time; before/after pairs drawn as arrows; words in
    ``locale``. PNG."""
    return _png(trend_figure(points, arrows, title, locale))


def trend_figure(
    points: Sequence[Point], arrows: Sequence[Arrow], title: str, locale: str
) -> Figure:
    """The figure `trend_chart` saves (every text on it in ``locale``)."""
    figure, axes = _figure()
    axes.set_title(title, color=INK)
    axes.set_ylim(-0.5, 10.5)
    axes.set_yticks(range(0, 11, 2))
    axes.set_ylabel(_("0 = really struggling · 10 = really well", locale))
    axes.grid(axis="y", color="#dddddd", linewidth=0.8)
    if not points:
        _message(
            axes,
            _("No check-ins in this period yet.\nTry /checkin now whenever you like.", locale),
        )
        axes.set_xticks([])
        return figure
    times = [_when(p.at) for p in points]
    axes.plot(times, [p.value for p in points], color=SOFT, linewidth=1, zorder=1)
    for phase, style in PHASE_STYLE.items():
        chosen = [p for p in points if p.phase == phase]
        if not chosen:
            continue
        axes.plot(
            [_when(p.at) for p in chosen],
            [p.value for p in chosen],
            linestyle="none",
            marker=style["marker"],
            fillstyle=style["fill"],
            markersize=8,
            color=INK,
            label=_(style["label"], locale),
            zorder=3,
        )
    for arrow in arrows:
        axes.annotate(
            "",
            xy=(_when(arrow.after_at), arrow.after),
            xytext=(_when(arrow.before_at), arrow.before),
            arrowprops={"arrowstyle": "-|>", "color": INK, "linewidth": 1.6},
            zorder=2,
        )
    if len(points) <= 12:
        for p, when in zip(points, times, strict=True):
            axes.annotate(
                format_number(p.value, locale),
                (when, p.value),
                textcoords="offset points",
                xytext=(0, 9),
                ha="center",
                fontsize=9,
                color=INK,
            )
    if len(points) == 1:
        axes.set_xlim(times[0] - 1, times[0] + 1)
        axes.set_xticks([times[0]], [_when_text(points[0].at, locale)])
    else:
        locator = AutoDateLocator()  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(DayFormatter(locale))
    handles, labels = axes.get_legend_handles_labels()
    if arrows:
        handles.append(Line2D([], [], color=INK, marker=">", linewidth=1.6))
        labels.append(_("before → after, same session", locale))
    axes.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.1),
        fontsize=8,
        frameon=False,
        ncols=len(handles),
    )
    return figure


def distribution_chart(bands: Bands, locale: str) -> bytes:
    """Counts per broad band before and after; a side with too few answers is left out; words
    in ``locale`` (the band names come worded)."""
    band_names, before, after = bands.names, bands.before, bands.after
    figure, axes = _figure()
    axes.set_title(bands.title, color=INK)
    positions = list(range(len(band_names)))
    width = 0.38
    shown = False
    for offset, counts, label, hatch, fill in (
        (-width / 2, before, _("before", locale), "///", "white"),
        (width / 2, after, _("after", locale), "", "#555555"),
    ):
        if counts is None:
            continue
        shown = True
        bars = axes.bar(
            [x + offset for x in positions],
            list(counts),
            width,
            label=label,
            hatch=hatch,
            color=fill,
            edgecolor=INK,
        )
        axes.bar_label(bars, labels=[f"{label}: {c}" for c in counts], fontsize=8, padding=2)
    axes.set_xticks(positions, list(band_names))
    axes.set_ylabel(_("people", locale))
    if not shown:
        _message(axes, _("Too few answers to show group figures (fewer than 3).", locale))
        axes.set_yticks([])
    else:
        axes.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
        axes.legend(fontsize=8, frameon=False)
        notes = [
            note
            for note, counts in (
                (_("before: fewer than 3 answers, not shown", locale), before),
                (_("after: fewer than 3 answers, not shown", locale), after),
            )
            if counts is None
        ]
        if notes:
            axes.text(
                0.99, 0.98, "; ".join(notes), ha="right", va="top",
                transform=axes.transAxes, fontsize=8, color=SOFT,
            )  # fmt: skip
    return _png(figure)


def trends_chart(weeks: Sequence[Week], title: str, locale: str) -> bytes:
    """People per week as hatched bars, and the mean mood shift as a marked line; words in
    ``locale``. PNG."""
    return _png(trends_figure(weeks, title, locale))


def trends_figure(weeks: Sequence[Week], title: str, locale: str) -> Figure:
    """The figure `trends_chart` saves (every text on it in ``locale``)."""
    figure, axes = _figure()
    axes.set_title(title, color=INK)
    positions = list(range(len(weeks)))
    people = [w.people or 0 for w in weeks]
    bars = axes.bar(
        positions, people, 0.6, color="white", edgecolor=INK, hatch="..", label=_("people", locale)
    )
    axes.bar_label(
        bars,
        labels=[str(w.people) if w.people is not None else "<3" for w in weeks],
        fontsize=8,
        padding=2,
    )
    axes.set_xticks(positions, [w.label for w in weeks], rotation=0, fontsize=8)
    axes.set_ylabel(_("people who took part", locale))
    axes.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
    shift_axes = axes.twinx()
    shift_axes.spines["top"].set_visible(False)
    shift_axes.axhline(0, color=SOFT, linewidth=0.8, linestyle=":")
    shown = [
        (x, w.mean_shift) for x, w in zip(positions, weeks, strict=True) if w.mean_shift is not None
    ]
    if shown:
        xs = [x for x, _ in shown]
        ys = [float(y) for _, y in shown if y is not None]
        shift_axes.plot(
            xs, ys, color=INK, marker="o", linewidth=1.6, label=_("mean mood shift", locale)
        )
        for x, y in zip(xs, ys, strict=True):
            shift_axes.annotate(
                _shift_text(y, locale), (x, y), textcoords="offset points", xytext=(0, 9), ha="center",
                fontsize=8, bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": SOFT},
            )  # fmt: skip
        limit = max(1.0, max(abs(y) for y in ys) * 1.3)
        shift_axes.set_ylim(-limit, limit)
    else:
        shift_axes.set_ylim(-1, 1)
    # The shift axis has decimal ticks (0.5 steps): written with the language's decimal sign.
    shift_axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(v, locale)))
    shift_axes.set_ylabel(_("mean shift, points (before → after)", locale))
    handles, labels = axes.get_legend_handles_labels()
    more_h, more_l = shift_axes.get_legend_handles_labels()
    axes.legend(handles + more_h, labels + more_l, loc="upper left", fontsize=8, frameon=False)
    if not weeks or not any(w.people for w in weeks):
        _message(axes, _("No sessions with 3 or more people in this period.", locale))
    return figure


# ----------------------------------------------------------------------- goal progress


def warm_up() -> bytes:
    """Render one small chart (fonts and the Agg renderer load on first use, about 1 s): the
    chart process does this as soon as it starts, so no member's first chart waits for it."""
    figure, axes = _figure()
    axes.plot([0, 1], [0, 1], color=SOFT)
    _message(axes, "warm up")
    return _png(figure)

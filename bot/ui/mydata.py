"""/mydata's CSV and summary chart: the files and the words around them."""

from __future__ import annotations

from io import BytesIO

import discord

from bot.core.exports import SummaryFigures
from bot.ui.charts import DPI, INK, SOFT, summary_axes, when
from bot.ui.format import plural

CSV_NAME = "chorus-mydata.csv"
CHART_NAME = "chorus-summary.png"
GOAL_MARKERS = ("o", "s", "^", "D", "v")


def csv_file(data: bytes) -> discord.File:
    return discord.File(BytesIO(data), filename=CSV_NAME, description="Your data as a table")


def csv_text(rows: int, timezone: str) -> str:
    return (
        f"📄 Your check-ins, goal ratings and contributions in this server as a table "
        f"({rows} rows), times in {timezone} and UTC. It opens in any spreadsheet app. "
        "Only you can see this."
    )


def summary_png(figures: SummaryFigures, title: str) -> bytes:
    """Two panels readable without colour: check-ins over time (0-10) and each goal's ratings
    (1-5, one marker shape per goal)."""
    figure, top, bottom = summary_axes(title)
    top.set_ylim(-0.5, 10.5)
    top.set_ylabel("check-in (0-10)")
    if figures.checkins:
        top.plot(
            [_day(t) for t, _ in figures.checkins],
            [v for _, v in figures.checkins],
            color=INK,
            marker="o",
            markersize=5,
            linewidth=1,
        )
    else:
        top.text(0.5, 0.5, "No check-ins yet", ha="center", transform=top.transAxes, color=SOFT)
    bottom.set_ylim(0.5, 5.5)
    bottom.set_yticks(range(1, 6))
    bottom.set_ylabel("goal rating (1-5)")
    for index, (goal, ratings) in enumerate(sorted(figures.goals.items())):
        bottom.plot(
            [_day(t) for t, _ in ratings],
            [v for _, v in ratings],
            color=INK,
            marker=GOAL_MARKERS[index % len(GOAL_MARKERS)],
            linewidth=1,
            label=goal[:40],
        )
    if figures.goals:
        bottom.legend(fontsize=8, frameon=False, loc="upper left")
    else:
        bottom.text(
            0.5, 0.5, "No goal ratings yet", ha="center", transform=bottom.transAxes, color=SOFT
        )
    figure.tight_layout()
    out = BytesIO()
    figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def _day(ts: float) -> float:
    return when(ts)


def chart_file(png: bytes) -> discord.File:
    return discord.File(BytesIO(png), filename=CHART_NAME, description="Your own summary chart")


def chart_text(figures: SummaryFigures) -> str:
    checkins = plural(len(figures.checkins), "check-in", "check-ins")
    passes = plural(figures.passes, "pass", "passes")
    goals = plural(len(figures.goals), "goal", "goals")
    return (
        f"📈 Your own summary: {checkins} ({passes} not drawn) and the ratings of {goals}. "
        "Only you can see this; it's yours to bring to your therapist or keep."
    )

"""/mydata's CSV and summary chart: the files and the words around them."""

from __future__ import annotations

from io import BytesIO

import discord

from bot.core.exports import SummaryFigures
from bot.i18n import _
from bot.ui import charts
from bot.ui.format import plural

CSV_NAME = "chorus-mydata.csv"
CHART_NAME = "chorus-summary.png"


def csv_file(data: bytes) -> discord.File:
    return discord.File(BytesIO(data), filename=CSV_NAME, description="Your data as a table")


def csv_text(rows: int, timezone: str) -> str:
    return (
        f"📄 Your check-ins, goal ratings and contributions in this server as a table "
        f"({rows} rows), times in {timezone} and UTC. It opens in any spreadsheet app. "
        "Only you can see this."
    )


def summary_png(figures: SummaryFigures, timezone: str, locale: str | None) -> bytes:
    """Two panels readable without colour: check-ins over time (0-10) and each goal's ratings
    (1-5, one marker shape per goal), dated in the member's `timezone` (IANA) and `locale`.
    PNG, drawn in the chart process; blocks until drawn."""
    return charts.summary_chart(figures, _("Your check-ins and goals", locale), timezone, locale)


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

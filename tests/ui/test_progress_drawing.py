"""The /mydata summary chart's date axis is on the member's own clock and in their language:
a check-in at 23:30 UTC is drawn on the next day for Europe/Berlin (drawn here in-process, as
the chart process does)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
from matplotlib.dates import num2date

from bot.core.exports import SummaryFigures
from bot.ui.progress_drawing import summary_chart, summary_figure

LATE = datetime(2026, 3, 10, 23, 30, tzinfo=UTC).timestamp()
EARLIER = datetime(2026, 3, 6, 12, 0, tzinfo=UTC).timestamp()
FIGURES = SummaryFigures(checkins=[(EARLIER, 6.0), (LATE, 4.0)], goals={}, passes=0)


def day_of_last_point(timezone: str, locale: str) -> str:
    figure = summary_figure(FIGURES, "Yours", timezone, locale=locale)
    top, bottom = figure.axes
    x = float(np.asarray(top.lines[0].get_xdata())[-1])
    return str(bottom.xaxis.get_major_formatter()(x))


def test_a_late_utc_check_in_is_on_the_next_day_in_berlin() -> None:
    assert day_of_last_point("Europe/Berlin", "en") == "Mar 11"
    assert day_of_last_point("UTC", "en") == "Mar 10"
    assert day_of_last_point("America/New_York", "en") == "Mar 10"


def test_days_are_written_in_the_members_language() -> None:
    assert day_of_last_point("Europe/Berlin", "de") == "11. März"
    assert day_of_last_point("Europe/Berlin", "es") == "11 mar"


def test_ticks_fall_on_the_members_midnights_and_the_axis_names_the_zone() -> None:
    zone = ZoneInfo("Europe/Berlin")
    figure = summary_figure(FIGURES, "Yours", "Europe/Berlin", locale="en")
    figure.canvas.draw()
    bottom = figure.axes[1]
    # matplotlib.dates leaves num2date unannotated (bot/ui/chart_dates.py ignores it too).
    ticks = [num2date(t, tz=zone) for t in bottom.get_xticks()]  # type: ignore[no-untyped-call]
    assert len(ticks) >= 3
    assert all((t.hour, t.minute) == (0, 0) for t in ticks), ticks
    assert bottom.get_xlabel() == "days in Europe/Berlin"


def test_the_chart_is_a_png() -> None:
    assert summary_chart(FIGURES, "Yours", "Europe/Berlin", locale="de").startswith(b"\x89PNG")


# --------------------------------------------- every text in the chart's language (issue #24)

import pytest  # noqa: E402

from bot.core.goal_service import GoalProgress  # noqa: E402
from bot.core.goals import SessionRating  # noqa: E402
from bot.records.goals import GoalRecord  # noqa: E402
from bot.ui.progress_drawing import progress_chart, progress_figure  # noqa: E402
from tests.ui.chart_texts import english_months_in, month_names, texts_of  # noqa: E402

START = datetime(2025, 11, 3, 18, 0, tzinfo=UTC).timestamp()
"""Twelve weekly sessions from here cross November, December and the new year."""
GOAL = GoalRecord(
    id=1, guild_id=1, user_id=1, text="Sing", status="active", created_at=START, closed_at=None
)
WEEKLY = [
    GoalProgress(GOAL, [SessionRating(i, START + 7 * 86400 * i, i % 5 + 1) for i in range(12)])
]
FEW = [GoalProgress(GOAL, [SessionRating(i, START + 21 * 86400 * i, 3) for i in range(4)])]


@pytest.mark.parametrize("language", ["en", "de", "es"])
def test_goal_progress_writes_months_and_years_in_the_readers_language(language: str) -> None:
    figure = progress_figure(WEEKLY, language)
    texts = texts_of(figure)
    months = month_names(language)
    dated = " | ".join(texts)
    assert months[11] in dated and months[0] in dated, texts
    assert "2025" in dated and "2026" in dated, texts
    assert english_months_in(texts, language) == []
    assert figure.axes[0].xaxis.get_offset_text().get_text() == ""
    assert progress_chart(WEEKLY, language).startswith(b"\x89PNG")


@pytest.mark.parametrize("language", ["de", "es"])
def test_goal_progress_with_few_sessions_names_each_date_in_the_language(language: str) -> None:
    texts = texts_of(progress_figure(FEW, language))
    assert month_names(language)[11] in " | ".join(texts), texts
    assert english_months_in(texts, language) == []


@pytest.mark.parametrize("language", ["de", "es"])
def test_the_summary_chart_has_no_english_month_across_a_new_year(language: str) -> None:
    checkins = [(START + 7 * 86400 * i, float(i % 10)) for i in range(12)]
    ratings = [(at, int(value)) for at, value in checkins[:6]]
    figures = SummaryFigures(checkins=checkins, goals={"Sing": ratings}, passes=0)
    texts = texts_of(summary_figure(figures, "Yours", "Europe/Berlin", locale=language))
    assert month_names(language)[11] in " | ".join(texts), texts
    assert english_months_in(texts, language) == []

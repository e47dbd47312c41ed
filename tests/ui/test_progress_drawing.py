"""The /mydata summary chart's date axis is on the member's own clock and in their language:
a check-in at 23:30 UTC is drawn on the next day for Europe/Berlin (drawn here in-process, as
the chart process does)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from matplotlib.dates import num2date

from bot.core.exports import SummaryFigures
from bot.ui.progress_drawing import summary_chart, summary_figure

LATE = datetime(2026, 3, 10, 23, 30, tzinfo=UTC).timestamp()
EARLIER = datetime(2026, 3, 6, 12, 0, tzinfo=UTC).timestamp()
FIGURES = SummaryFigures(checkins=[(EARLIER, 6.0), (LATE, 4.0)], goals={}, passes=0)


def day_of_last_point(timezone: str, locale: str) -> str:
    figure = summary_figure(FIGURES, "Yours", timezone, locale=locale)
    top, bottom = figure.axes
    x = float(top.lines[0].get_xdata()[-1])
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
    ticks = [num2date(t, tz=zone) for t in bottom.get_xticks()]
    assert len(ticks) >= 3
    assert all((t.hour, t.minute) == (0, 0) for t in ticks), ticks
    assert bottom.get_xlabel() == "days in Europe/Berlin"


def test_the_chart_is_a_png() -> None:
    assert summary_chart(FIGURES, "Yours", "Europe/Berlin", locale="de").startswith(b"\x89PNG")

"""DayFormatter on its own: tick labels in the reader's language, the year only where it
changes, and no offset text (matplotlib's would be English)."""

from __future__ import annotations

from datetime import UTC, datetime

from matplotlib.dates import date2num

from bot.ui.chart_dates import DayFormatter


def ticks(*days: datetime) -> list[float]:
    # matplotlib.dates leaves date2num unannotated (bot/ui/chart_drawing.py ignores it too).
    return [float(date2num(day)) for day in days]  # type: ignore[no-untyped-call]


def test_monthly_ticks_name_the_month_in_german_with_the_year_where_it_changes() -> None:
    values = ticks(
        *(datetime(2025, month, 1, tzinfo=UTC) for month in (11, 12)),
        datetime(2026, 1, 1, tzinfo=UTC),
    )
    labels = DayFormatter("de").format_ticks(values)
    assert labels[0].endswith("2025") and labels[2].endswith("2026")
    assert labels[1].startswith("Dez")
    assert not any("Dec" in label for label in labels)
    assert DayFormatter("de").get_offset() == ""


def test_daily_ticks_in_spanish_and_hourly_ticks_with_the_day_under_the_time() -> None:
    days = DayFormatter("es").format_ticks(
        ticks(datetime(2026, 3, 5, tzinfo=UTC), datetime(2026, 3, 6, tzinfo=UTC))
    )
    assert days == ["5 mar 2026", "6 mar"]
    hours = DayFormatter("en").format_ticks(
        ticks(datetime(2026, 3, 5, 14, 30, tzinfo=UTC), datetime(2026, 3, 5, 15, 30, tzinfo=UTC))
    )
    assert hours[0].split("\n")[0] in ("14:30", "2:30\u202fPM", "2:30 PM")
    assert "\n" in hours[0] and "\n" not in hours[1]


def test_one_value_is_the_whole_day() -> None:
    formatter = DayFormatter("de")
    assert formatter.format_ticks(ticks(datetime(2026, 3, 5, tzinfo=UTC))) == ["5. März 2026"]
    assert formatter(ticks(datetime(2026, 3, 5, tzinfo=UTC))[0]) == "5. März 2026"

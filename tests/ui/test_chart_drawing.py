"""The drawing module of the chart process (drawn here in-process): a chart is a PNG that says
nothing about the machine or the matplotlib release that drew it, the same bytes each time."""

from __future__ import annotations

from bot.ui import chart_drawing


def test_a_chart_is_the_same_png_each_time_without_a_software_chunk() -> None:
    png = chart_drawing.warm_up()
    assert png.startswith(b"\x89PNG")
    assert b"Software" not in png and b"atplotlib" not in png
    assert chart_drawing.warm_up() == png


# --------------------------------------------- every text in the chart's language (issue #24)

from datetime import UTC, datetime  # noqa: E402

import pytest  # noqa: E402

from bot.ui.charts import Arrow, Point, Week  # noqa: E402
from tests.ui.chart_texts import english_months_in, month_names, texts_of  # noqa: E402

START = datetime(2025, 11, 3, 9, 0, tzinfo=UTC).timestamp()
"""Twelve weekly check-ins from here cross November, December and the new year."""
WEEKLY = [Point(at=START + 7 * 86400 * i, value=i % 10 + 0.5, phase="before") for i in range(12)]
DEC_2025, JAN_2026 = 11, 0
"""Indexes (0-based months) of the months the span must show, by name."""


@pytest.mark.parametrize("language", ["en", "de", "es"])
def test_the_trend_chart_writes_months_and_years_in_the_readers_language(language: str) -> None:
    arrows = [Arrow(WEEKLY[0].at, 2.0, WEEKLY[0].at + 3600, 4.0)]
    texts = texts_of(chart_drawing.trend_figure(WEEKLY, arrows, "T", language))
    months = month_names(language)
    dated = " | ".join(texts)
    assert months[DEC_2025] in dated and months[JAN_2026] in dated, texts
    assert "2025" in dated and "2026" in dated, texts
    assert english_months_in(texts, language) == []
    figure = chart_drawing.trend_figure(WEEKLY, arrows, "T", language)
    figure.canvas.draw()
    assert figure.axes[0].xaxis.get_offset_text().get_text() == ""


def test_german_and_spanish_trend_charts_write_decimals_their_way() -> None:
    for language in ("de", "es"):
        texts = texts_of(chart_drawing.trend_figure(WEEKLY, [], "T", language))
        assert "0,5" in texts and "0.5" not in texts, texts
    texts = texts_of(chart_drawing.trend_figure(WEEKLY, [], "T", "de"))
    assert "vor einer Sitzung" in texts and "Nov." in " ".join(texts)


def test_months_in_english_charts_stay_english() -> None:
    texts = " ".join(texts_of(chart_drawing.trend_figure(WEEKLY, [], "T", "en")))
    assert "Dec" in texts and "Jan" in texts and "2026" in texts


def test_a_chart_within_one_day_writes_times_and_its_day_in_the_language() -> None:
    hourly = [Point(at=START + 3600 * i, value=5, phase="any") for i in range(6)]
    texts = texts_of(chart_drawing.trend_figure(hourly, [], "T", "de"))
    assert any("Nov." in t for t in texts) and any(":" in t for t in texts), texts
    assert english_months_in(texts, "de") == []


@pytest.mark.parametrize("language", ["de", "es"])
def test_the_weekly_trends_chart_writes_shifts_with_the_languages_decimal_sign(
    language: str,
) -> None:
    weeks = [Week("w1", 4, 0.5), Week("w2", None, None), Week("w3", 5, -1.25)]
    assert chart_drawing.trends_chart(weeks, "T", language).startswith(b"\x89PNG")
    texts = texts_of(chart_drawing.trends_figure(weeks, "T", language))
    assert "+0,5" in texts and "-1,2" in texts, texts
    assert not [t for t in texts if any(c.isdigit() for c in t) and "." in t], texts

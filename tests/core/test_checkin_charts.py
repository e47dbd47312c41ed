"""Charts are valid PNGs for 0, 1 and 50 points, of a sensible size, and decode."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bot.ui import charts

DAY = 86400.0


def decode(png: bytes) -> Image.Image:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


@pytest.mark.parametrize("count", [0, 1, 50])
def test_trend_chart_for_0_1_and_50_points(count: int) -> None:
    points = [
        charts.Point(1.7e9 + i * DAY, float(i % 11), "before" if i % 2 == 0 else "after")
        for i in range(count)
    ]
    arrows = [
        charts.Arrow(points[i].at, points[i].value, points[i + 1].at, points[i + 1].value)
        for i in range(0, count - 1, 2)
    ]
    png = charts.trend_chart(points, arrows, "Your check-ins", "en")
    image = decode(png)
    assert image.size == (800, 420)
    assert 5_000 < len(png) < 400_000
    # Something is drawn: not a blank canvas.
    low, high = image.convert("L").getextrema()
    assert isinstance(low, int | float) and isinstance(high, int | float), (low, high)
    assert low < 100 < high


def test_distribution_and_trends_charts_decode() -> None:
    names = ("low", "middle", "high")
    for before, after in (((1, 2, 3), (0, 3, 3)), (None, (1, 1, 1)), (None, None)):
        bands = charts.Bands(names, before, after, "Mood")
        assert decode(charts.distribution_chart(bands, "en")).size == (800, 420)
    weeks = [charts.Week("1 Mar", 4, 0.5), charts.Week("8 Mar", None, None)]
    assert decode(charts.trends_chart(weeks, "Trends", "en")).size == (800, 420)
    assert decode(charts.trends_chart([], "Trends", "en")).size == (800, 420)


def test_same_chart_same_bytes_without_the_library_version() -> None:
    points = [charts.Point(1.7e9 + i * DAY, float(i % 11), "before") for i in range(5)]
    first = charts.trend_chart(points, [], "Your check-ins", "en")
    assert charts.trend_chart(points, [], "Your check-ins", "en") == first
    assert b"atplotlib" not in first  # no Software chunk naming the drawing library's version

"""The drawing module of the chart process (drawn here in-process): a chart is a PNG that says
nothing about the machine or the matplotlib release that drew it, the same bytes each time."""

from __future__ import annotations

from bot.ui import chart_drawing


def test_a_chart_is_the_same_png_each_time_without_a_software_chunk() -> None:
    png = chart_drawing.warm_up()
    assert png.startswith(b"\x89PNG")
    assert b"Software" not in png and b"atplotlib" not in png
    assert chart_drawing.warm_up() == png

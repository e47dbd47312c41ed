"""The slow one-time loads of a start (bot/warm_up.py): once per process, the chart process
started again for every bot."""

from __future__ import annotations

from bot import warm_up as warming
from bot.i18n import SHIPPED, translations
from bot.ui import chart_worker


def test_the_loads_happen_once_and_the_chart_process_starts_each_time() -> None:
    try:
        warming.warm_up()
        assert warming._warmed == [True]
        # Every shipped catalogue compiled (a German post waits for none of it).
        assert translations.cache_info().currsize >= len(SHIPPED)
        running = chart_worker._pool
        assert running is not None  # started, warming up in the background
        warming.warm_up()  # a second bot in the same process
        assert warming._warmed == [True]
        assert chart_worker._pool is running  # the running chart process, not a new one
        chart_worker.stop()  # a bot closed: the next bot's start-up starts a new one
        warming.warm_up()
        assert chart_worker._pool is not None and chart_worker._pool is not running
    finally:
        chart_worker.stop()

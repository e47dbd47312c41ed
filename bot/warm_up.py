"""Everything slow to load the first time, loaded once at start-up in a worker thread while
discord.py connects to the gateway (no interaction can arrive before READY)."""

from __future__ import annotations

import gc
import threading

_warm = threading.Lock()
_warmed: list[bool] = []


def warm_up() -> None:
    """Everything slow to load the first time; run once at start-up in a worker thread.

    Charts are drawn in their own process (`bot.ui.chart_worker`): it is started here (at every
    bot's start-up; closing a bot stops it) and warms up in the background, so the bot never
    imports matplotlib and start-up doesn't wait for it. The pronunciation data (syllable
    counts, rhymes) and the message catalogues are loaded here, off the event loop, once per
    process, and frozen out of the garbage collector (`gc.freeze`) with everything loaded so
    far. Raises whatever a load raises (the caller logs it: not fatal)."""
    from bot.core.syllables import warm_up as load_dictionary
    from bot.i18n import load_catalogues
    from bot.ui.chart_worker import start as start_charts

    with _warm:
        # Every bot: the chart process stops when a bot closes (a process may run several in
        # turn, e.g. a restart), so each one's start-up warms a new one (or the running one).
        start_charts()
        if _warmed:
            return
        load_dictionary()
        load_catalogues()
        gc.freeze()
        _warmed.append(True)

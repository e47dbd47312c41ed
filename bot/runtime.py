"""Process tuning applied once at start-up, after the bot and its catalog are built."""

from __future__ import annotations

import gc


def tune_garbage_collector() -> None:
    """Keep start-up objects out of every collection and collect young objects less often.

    A busy session keeps thousands of short-lived coroutines alive at once; with the default
    thresholds the collector walks all of them many times a second (a quarter of the event
    loop's time in the check-in benchmark's profile).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)

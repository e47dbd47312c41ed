"""Process tuning applied once at start-up, after the bot and its catalog are built."""

from __future__ import annotations

import gc

# Young objects are collected every 10,000 allocations: a young pass stops the event loop for as
# long as it walks them, and at 100,000 that was 30-75 ms of CPU on this kind of machine (the
# largest share of the check-in benchmark's latency tail), at 10,000 it is 1-7 ms, with less GC
# time in all (the young objects still fit the CPU's caches). The middle generation is walked
# every 5,000,000 allocations (500 young passes): at 20,000 answers in flight one such pass walks
# about a million live objects (0.35 s), so it must stay rare. Garbage without cycles is still
# freed at once by reference counting.
THRESHOLDS = (10_000, 500, 100)


def tune_garbage_collector() -> None:
    """Keep start-up objects out of every collection and collect young objects less often.

    A busy session keeps thousands of short-lived coroutines alive at once; with the default
    thresholds the collector walks all of them many times a second (a quarter of the event
    loop's time in the check-in benchmark's profile).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)

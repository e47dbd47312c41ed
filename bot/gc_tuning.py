"""The garbage collector's policy: applied once at start-up, and settled after session set-up.

Two parts, both only in a process that called `tune_garbage_collector` (`chorus run`, the
benchmarks; never the tests, whose bots come and go):

1. Thresholds and a freeze at start-up (below).
2. **Settling after set-up.** A session's state (its run, records, present list, the runner's
   entries) lives as long as the session; objects that outlive a young pass wait in the middle
   generation until its next pass walks all of them. After 1,000 sessions were set up that pass
   walked them all at once, ~100 ms in the middle of members' answers (BENCHMARKS.md, "GC
   passes and memory under a join burst"). So each live run set up (`set_up`, called when the
   runner starts or resumes a run) asks for a settle once set-up has been quiet for
   `SETTLE_AFTER` seconds (at the latest `SETTLE_AT_MOST` seconds after the first unsettled
   set-up): one full collection of what is not frozen yet (the work that middle pass would have
   done, at a moment members are still reading the step just posted), then `gc.freeze()` of the
   survivors, so no later pass walks them again.

Frozen objects are still freed by reference counting when a session ends; only garbage in a
reference cycle would stay (the collector never looks at frozen objects). The collection before
each freeze means nothing frozen is garbage yet, and tests/test_gc_tuning.py checks that an
ended session's objects leave the frozen generation; should cycles appear later, each
settle that finds the frozen generation grown `REFREEZE_GROWTH`-fold unfreezes everything
first, so a full pass reclaims them.
"""

from __future__ import annotations

import asyncio
import gc
import time
from dataclasses import dataclass

# Young objects are collected every 10,000 allocations: a young pass stops the event loop for as
# long as it walks them, and at 100,000 that was 30-75 ms of CPU on this kind of machine (the
# largest share of the check-in benchmark's latency tail), at 10,000 it is 1-7 ms, with less GC
# time in all (the young objects still fit the CPU's caches). The middle generation is walked
# every 5,000,000 allocations (500 young passes): at 20,000 answers in flight one such pass walks
# about a million live objects (0.35 s), so it must stay rare. Garbage without cycles is still
# freed at once by reference counting.
THRESHOLDS = (10_000, 500, 100)

SETTLE_AFTER = 0.5
"""Seconds without a new run set up before the collector settles (members take longer than this
to read a step just posted and answer it)."""
SETTLE_AT_MOST = 5.0
"""Seconds after the first unsettled set-up by which a settle happens even while runs keep
starting, so each settle walks at most a few seconds' worth of new sessions."""
REFREEZE_GROWTH = 2.0
"""A settle that finds this many times as many frozen objects as after the last full pass
unfreezes everything first and walks it once: whatever reference cycles ended sessions left in
the frozen generation are reclaimed, and that garbage stays below the live size (none is known:
see the module docstring)."""


@dataclass(slots=True)
class Settles:
    """What the settling did in this process (for benchmarks, tests and the health log)."""

    enabled: bool = False
    count: int = 0
    """Settles done."""
    full: int = 0
    """Of which unfroze everything first (see REFREEZE_GROWTH)."""
    last_seconds: float = 0.0
    """CPU seconds the last settle held the event loop (collection + freeze)."""
    longest_seconds: float = 0.0
    last_collected: int = 0
    """Unreachable objects the last settle's collection found."""
    frozen: int = 0
    """`gc.get_freeze_count()` right after the last settle."""
    frozen_after_full: int = 0
    """`gc.get_freeze_count()` after start-up's freeze or the last full pass."""


settles = Settles()


class _Pending:
    """The settle waiting for set-up to go quiet, on one event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.first = self.last = loop.time()
        self.timer = loop.call_at(self.first + SETTLE_AFTER, self.due)

    def due(self) -> None:
        now = self.loop.time()
        quiet_at = self.last + SETTLE_AFTER
        latest = self.first + SETTLE_AT_MOST
        if now < quiet_at and now < latest:
            self.timer = self.loop.call_at(min(quiet_at, latest), self.due)
            return
        settle()


_pending: _Pending | None = None


def tune_garbage_collector() -> None:
    """Keep start-up objects out of every collection, collect young objects less often, and
    settle after each burst of session set-up (see the module docstring).

    A busy session keeps thousands of short-lived coroutines alive at once; with the default
    thresholds the collector walks all of them many times a second (a quarter of the event
    loop's time in the check-in benchmark's profile).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    settles.enabled = True
    settles.frozen = settles.frozen_after_full = gc.get_freeze_count()


def set_up() -> None:
    """A live run was just set up (started or resumed): settle once set-up is quiet.

    Costs a clock read per call, and one timer per quiet period; does nothing unless
    `tune_garbage_collector` ran, or outside a running event loop."""
    global _pending
    if not settles.enabled:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    if _pending is None or _pending.loop is not loop or _pending.timer.cancelled():
        _pending = _Pending(loop)
    else:
        _pending.last = loop.time()


def settle() -> float:
    """Collect what is not frozen yet, then freeze the survivors; CPU seconds it took.

    When the frozen generation has grown REFREEZE_GROWTH-fold since the last full pass,
    everything is unfrozen first (one pass over all of it)."""
    global _pending
    if _pending is not None:
        _pending.timer.cancel()
        _pending = None
    started = time.thread_time()
    full = gc.get_freeze_count() > REFREEZE_GROWTH * max(settles.frozen_after_full, 1)
    if full:
        gc.unfreeze()
    collected = gc.collect()
    gc.freeze()
    took = time.thread_time() - started
    settles.count += 1
    settles.last_seconds = took
    settles.longest_seconds = max(settles.longest_seconds, took)
    settles.last_collected = collected
    settles.frozen = gc.get_freeze_count()
    if full:
        settles.full += 1
        settles.frozen_after_full = settles.frozen
    return took


def stop_settling() -> None:
    """Undo `tune_garbage_collector`'s settling (tests; a process that stops its bot): the
    pending settle is cancelled, nothing is unfrozen."""
    global _pending
    settles.enabled = False
    if _pending is not None:
        _pending.timer.cancel()
        _pending = None

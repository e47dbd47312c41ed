"""One child process draws every chart, so the bot process never imports matplotlib.

matplotlib and its Agg renderer are ~90 MB of RSS and 1.5-2 s of imports and font loading; in
a child process they cost the bot nothing but one pickled call per chart (a few hundred bytes
out, the PNG back). The process is started with "spawn" (a fresh interpreter: nothing of the
bot's threads, event loop or database connections is copied into it) on first use, or early by
`start()` at start-up, and it warms matplotlib up as soon as it starts. It ends itself when
the bot process dies without stopping it (kill -9, out of memory): otherwise it would wait for
work for ever, and keep multiprocessing's resource tracker alive with it.
"""

from __future__ import annotations

import importlib
import multiprocessing
import multiprocessing.connection
import os
import threading
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

DRAWINGS = "bot.ui"
"""The package of the drawing modules (`chart_drawing`, `progress_drawing`)."""


class ChartPool(ProcessPoolExecutor):
    """The one-process pool the charts are drawn in, which can be ended without waiting.

    `terminate_workers` is Python 3.14's public `ProcessPoolExecutor.terminate_workers`, kept
    here for 3.11-3.13 (which have no public way to end the processes): the pool reads its
    own process table, nobody else does.
    """

    def terminate_workers(self) -> None:
        """End every process of the pool now (SIGTERM), whatever it is drawing."""
        for process in list((self._processes or {}).values()):
            process.terminate()


_lock = threading.Lock()
_pool: ChartPool | None = None


def _call(name: str, args: tuple[Any, ...]) -> bytes:
    """In the child: the drawing function `name` ("<module>.<function>" of a drawing module in
    `bot.ui`) applied to `args`."""
    module, _dot, function_name = name.rpartition(".")
    function = getattr(importlib.import_module(f"{DRAWINGS}.{module}"), function_name)
    png = function(*args)
    assert isinstance(png, bytes)
    return png


def _end_with_the_bot() -> None:
    """In the child, first thing: end it as soon as the bot process is gone. The pool's queue
    holds both ends of its pipe in the child, so a dead bot never reads as end-of-file there;
    the parent's sentinel (a pipe only the bot writes to) does."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch(sentinel: int) -> None:
        multiprocessing.connection.wait([sentinel])
        os._exit(0)  # nothing to save: a chart no one will collect

    threading.Thread(target=watch, args=(parent.sentinel,), daemon=True).start()


def _executor() -> ChartPool:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ChartPool(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_end_with_the_bot,
            )
        return _pool


def _forget(broken: ChartPool) -> None:
    global _pool
    with _lock:
        if _pool is broken:
            _pool = None
    broken.shutdown(wait=False, cancel_futures=True)


def start() -> Future[bytes]:
    """Start the chart process now (if it isn't running) and warm it up; returns at once.

    The returned future completes when the warm-up chart is drawn (about 2-3 s after a cold
    start on a loaded machine)."""
    return _executor().submit(_call, "chart_drawing.warm_up", ())


def draw(name: str, *args: Any) -> bytes:
    """PNG bytes from `bot.ui.<name>(*args)` (`name` is "<module>.<function>", e.g.
    "chart_drawing.trend_chart"), drawn in the chart process.

    Blocks until the chart is drawn: call it off the event loop. Arguments must pickle (the
    chart dataclasses and plain values do). If the chart process died (killed, out of memory),
    or was stopped meanwhile, a new one is started and the chart drawn once more; an exception
    raised while drawing is raised here."""
    for attempt in (1, 2):
        pool = _executor()
        try:
            # Died, or stopped meanwhile (`stop()` at a bot's close: the pool refuses new work
            # with RuntimeError and cancels what waited): a fresh process draws it.
            future = pool.submit(_call, name, args)
        except (BrokenProcessPool, RuntimeError):
            _forget(pool)
            if attempt == 2:
                raise
            continue
        try:
            return future.result()
        except (BrokenProcessPool, CancelledError):
            _forget(pool)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def stop() -> None:
    """Stop the chart process (if one runs) and wait for it; the next chart starts a new one."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        # What it may be drawing (the start-up warm-up chart, a chart nobody will collect) is
        # disposable: end the process now rather than wait seconds for matplotlib to load
        # (a restart waited on it).
        pool.terminate_workers()
        pool.shutdown(wait=True, cancel_futures=True)

"""Coalesce bursts of "please refresh" into at most one refresh per interval, per key.

Boards and lyric sheets are single messages edited in place; Discord's rate limits allow only a
few edits per channel every few seconds, so fifty members acting at once must cost one edit.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from bot.records.errors import StorageUnavailable

log = logging.getLogger(__name__)
Key = TypeVar("Key", bound=Hashable)


class Debouncer(Generic[Key]):
    """Runs `action(key)` soon after `request(key)`, never more often than every `interval` s.

    The first request after a quiet period runs at once (leading edge); requests during the
    interval are merged into one run at its end (trailing edge), so the last state is always shown.
    """

    def __init__(
        self,
        interval: float,
        action: Callable[[Key], Awaitable[None]],
        interval_of: Callable[[Key], float] | None = None,
    ) -> None:
        self.interval = interval
        # Per key (e.g. each server's own board edit interval), else the one interval.
        self._interval_of = interval_of or (lambda _key: self.interval)
        self._action = action
        self._timers: dict[Key, asyncio.TimerHandle] = {}
        self._last_run: dict[Key, float] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.runs = 0

    def request(self, key: Key, delay: float | None = None) -> None:
        """Refresh `key` soon; `delay` overrides the interval (0 = now, or a retry later)."""
        if key in self._timers:
            return
        loop = asyncio.get_running_loop()
        if delay is None:
            last = self._last_run.get(key)
            delay = 0.0 if last is None else max(0.0, last + self._interval_of(key) - loop.time())
        self._timers[key] = loop.call_later(delay, self._start, key)

    def mark_ran(self, key: Key) -> None:
        """Count an out-of-band refresh (e.g. the message was just posted) towards the interval."""
        self._last_run[key] = asyncio.get_running_loop().time()

    def _start(self, key: Key) -> None:
        self._timers.pop(key, None)
        self.mark_ran(key)
        self.runs += 1
        task = asyncio.get_running_loop().create_task(self._run(key))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, key: Key) -> None:
        try:
            await self._action(key)
        except StorageUnavailable as error:
            # The database is away (or closing at shutdown): the next request shows the state.
            log.warning("refresh of %r skipped: %s", key, error)
        except Exception:
            log.exception("refresh of %r failed", key)

    def forget(self, key: Key) -> None:
        """Drop `key`: its pending run is cancelled and its next request runs at once."""
        timer = self._timers.pop(key, None)
        if timer is not None:
            timer.cancel()
        self._last_run.pop(key, None)

    def close(self) -> None:
        """Cancel every pending run and every run under way (at shutdown, before the store
        closes under them); nothing runs afterwards unless requested again."""
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        for task in self._tasks:
            task.cancel()

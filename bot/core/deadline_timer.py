"""One timer for every session: sleep until the earliest stored deadline, then wake the runner.

It re-arms a single `loop.call_later` instead of waiting on an Event, so simulated time
(and a real idle loop) can move it, and a restart simply arms it again from the store.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.core.clock import Clock, timestamp

log = logging.getLogger(__name__)


class DeadlineTimer:
    """Wakes `on_due` at the next deadline that `next_deadline` reports."""

    def __init__(
        self,
        clock: Clock,
        next_deadline: Callable[[], Awaitable[float | None]],
        on_due: Callable[[], Awaitable[None]],
        retry_after: float = 5.0,
    ) -> None:
        self._clock = clock
        self._next_deadline = next_deadline
        self._on_due = on_due
        self._handle: asyncio.TimerHandle | None = None
        self._armed_for: float | None = None
        self._running: asyncio.Task[None] | None = None
        self._closed = False
        self._retry_after = retry_after
        self._min_delay = 0.0

    @property
    def armed_for(self) -> float | None:
        """The deadline (UTC seconds) the timer is set to wake at, None when it sleeps with nothing
        due."""
        return self._armed_for

    async def rearm(self) -> None:
        """Look up the earliest deadline and set the one timer for it."""
        if self._closed:
            return
        deadline = await self._next_deadline()
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        self._armed_for = deadline
        if deadline is None:
            return
        delay = max(self._min_delay, deadline - timestamp(self._clock))
        loop = asyncio.get_running_loop()
        self._handle = loop.call_later(delay, self._fire)

    def _fire(self) -> None:
        self._handle = None
        self._armed_for = None
        if self._running is not None and not self._running.done():
            # A wake is in progress; it re-arms when it finishes.
            return
        self._running = asyncio.get_running_loop().create_task(self._wake(), name="chorus-wake")

    async def _wake(self) -> None:
        try:
            await self._on_due()
            self._min_delay = 0.0
        except Exception:
            log.exception("wake-up failed; retrying in %s s", self._retry_after)
            self._min_delay = self._retry_after
        finally:
            await self.rearm()

    def close(self) -> None:
        """Stop for good: the pending wake-up is cancelled and no new one is set."""
        self._closed = True
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

"""One asyncio lock per run being changed, held only while someone uses it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field


@dataclass(slots=True)
class _Held:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0
    """Holders and waiters: the entry goes when the last one leaves."""


class RunLocks:
    """Serialises changes to one run's step state; an idle run holds no lock (a bot with 1,000
    running sessions kept 1,000 locks, one per run ever changed, before)."""

    def __init__(self) -> None:
        self._held: dict[int, _Held] = {}

    @contextlib.asynccontextmanager
    async def run(self, run_id: int) -> AsyncIterator[None]:
        """Hold run `run_id` (waiting for its current holder first)."""
        held = self._held.get(run_id)
        if held is None:
            held = self._held[run_id] = _Held()
        held.users += 1
        try:
            async with held.lock:
                yield
        finally:
            held.users -= 1
            if held.users == 0:
                del self._held[run_id]

    @contextlib.asynccontextmanager
    async def runs(self, run_ids: Iterable[int]) -> AsyncIterator[None]:
        """Hold all these runs; taken in id order, so two holders can't deadlock."""
        async with contextlib.AsyncExitStack() as stack:
            for run_id in sorted(set(run_ids)):
                await stack.enter_async_context(self.run(run_id))
            yield

    def __len__(self) -> int:
        """Runs held or waited for now."""
        return len(self._held)

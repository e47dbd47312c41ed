"""The base of a feature's service that reads runs: what it is given (the store, the clock, the
step runner) and the time it reads."""

from __future__ import annotations

from bot.core.clock import Clock, timestamp
from bot.core.runner import Runner
from bot.store.store import Store


class RunService:
    """A feature's service over the store that also asks the runner about a run's steps."""

    def __init__(self, store: Store, clock: Clock, runner: Runner) -> None:
        self._store = store
        self._clock = clock
        self._runner = runner

    def now(self) -> float:
        """Now as a UTC timestamp in seconds (the injected clock)."""
        return timestamp(self._clock)

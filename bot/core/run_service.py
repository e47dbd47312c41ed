"""The base of a feature's service that reads runs: what it is given (the store, the clock, the
step runner), the time it reads and the runs it looks up."""

from __future__ import annotations

from bot.core.clock import Clock, timestamp
from bot.core.runner import Runner
from bot.records.sessions import RunRecord
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

    async def run(self, run_id: int) -> RunRecord | None:
        """The run with this id, live or ended; None when there is none."""
        return await self._store.runs.get(run_id)

    async def live_runs(self) -> list[RunRecord]:
        """Every run not yet ended, in every server."""
        return await self._store.runs.all_live()

    async def asked_consent_before(
        self, run_id: int, step_index: int, guild_id: int, user_id: int
    ) -> bool:
        """The member is being asked for consent at step `step_index` of run `run_id` (a
        check-in or goal step): True when they were shown the explanation there before (then
        they get the short question), False the first time, when the explanation is due. Kept
        in the store (deleted with the run and by /forget), so a restart or another process
        decides it the same way. Raises StorageUnavailable when the mark can't be written."""
        first = await self._store.consent_asks.mark(
            run_id, step_index, guild_id, user_id, self.now()
        )
        return not first

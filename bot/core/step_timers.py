"""Timers: wake every run whose step deadline or handler timer has passed (also after downtime).

Part of `Runner` (bot/core/runner.py); the shared parts are in bot/core/step_moves.py.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

from bot.core.errors import UserFacingError
from bot.core.run_updates import RunUpdate
from bot.core.step_moves import STATE_RETRIES, RunChanged, StepMoves
from bot.core.step_state import StepState
from bot.core.steps.base import StepHandler
from bot.records.errors import StorageUnavailable
from bot.records.sessions import RunRecord
from bot.store.runs import ShardScope

log = logging.getLogger(__name__)

CLAIM_HOLD = 10.0
"""Seconds a claimed wake-up stays this process's: a process that dies mid-wake leaves the run
to a survivor after this long."""
FAILED_WAKE_HOLD = 60.0
"""Seconds a run whose wake raised is left alone before it is tried again, doubled after
each further failure up to FAILED_WAKE_HOLD_MAX: a run that keeps failing is no hot loop."""
FAILED_WAKE_HOLD_MAX = 3600.0


class StepTimers(StepMoves):
    """Deadlines and handler timers of the runs this process fires."""

    _scope: Callable[[], ShardScope] | None = None
    _failed_wakes: dict[int, int] | None = None

    def fire_for(self, scope: Callable[[], ShardScope] | None) -> None:
        """Fire only the timers of the guilds on the shards `scope()` names (the shards whose
        lease this process holds now), claiming each due run before waking it; None (one
        process, the default): every run, as committed."""
        self._scope = scope

    async def wake_due(self) -> list[RunUpdate]:
        """Handle every run whose deadline or handler timer has passed (also after downtime);
        the updates of the runs that moved, earliest wake first.

        Each run on its own: one whose wake raises is logged with its id (a warning for a
        refusal, `UserFacingError`; with its traceback for anything else), held for
        FAILED_WAKE_HOLD seconds and more after each failure (`RunRepository.hold_wake`), and
        the others are woken still. Raises StorageUnavailable only when the due runs cannot be
        read (or claimed) at all."""
        now = self._now()
        updates: list[RunUpdate] = []
        if self._scope is not None:
            due_runs = await self._store.runs.claim_due(now, self._scope(), CLAIM_HOLD)
        else:
            due_runs = await self._store.runs.due(now)
        for due in due_runs:
            try:
                async with self._lock(due.id):
                    update = await self._fire(due.id, now)
            except Exception as exc:  # one run's failure must not stop the others
                await self._hold_failed(due.id, now, exc)
                continue
            self._failed().pop(due.id, None)
            if update is not None:
                updates.append(update)
        return updates

    def _failed(self) -> dict[int, int]:
        """Failures in a row by run id (this process's memory; a restart tries each once more)."""
        if self._failed_wakes is None:
            self._failed_wakes = {}
        return self._failed_wakes

    async def _hold_failed(self, run_id: int, now: float, exc: Exception) -> None:
        failures = self._failed()[run_id] = self._failed().get(run_id, 0) + 1
        hold = min(FAILED_WAKE_HOLD * 2 ** (failures - 1), FAILED_WAKE_HOLD_MAX)
        if isinstance(exc, UserFacingError):
            log.warning(
                "run %s: its wake was refused (%s); trying again in %s s", run_id, exc, hold
            )
        else:
            log.exception("run %s: its wake failed; trying again in %s s", run_id, hold)
        try:
            await self._store.runs.hold_wake(run_id, now + hold)
        except StorageUnavailable:
            # Not held: the timer's own retry (deadline_timer.py) paces the next attempt.
            log.warning("run %s: its failed wake could not be held", run_id)

    async def _fire(self, run_id: int, now: float) -> RunUpdate | None:
        """Wake run `run_id` if it is still due at `now` (UTC seconds). Every write is a
        compare-and-set on the run as read: when another process changed it meanwhile (an
        extension, a pause, a stop, a member's answer) the timer decides again on a fresh read,
        so an extended deadline stands and a stopped run isn't moved on. None when nothing was
        due any more, or the run kept changing (the next wake reads it again)."""
        for _attempt in range(STATE_RETRIES):
            run = await self._store.runs.get(run_id)
            if run is None or run.state != "running" or run.wake_at is None or run.wake_at > now:
                return None
            with contextlib.suppress(RunChanged):
                return await self._wake_one(run, now)
        return None

    async def _wake_one(self, run: RunRecord, now: float) -> RunUpdate | None:
        """Raises RunChanged when another process changed the run since `run` was read."""
        ctx = await self._context(run, now)
        handler = self.handler_for(ctx.step)
        handler_wake = ctx.state.get("wake_at")
        if isinstance(handler_wake, int | float) and handler_wake <= now:
            wake = handler.on_wake(ctx)
            updated = await self._apply_wake(run, wake, now)
            if ctx.step.advance == "auto" and await self._is_complete(updated, handler, now):
                # The timer finished the step's work (the last turn timed out): move on now,
                # not at the step's time limit.
                return await self._move_on(updated, now, ctx.present)
            if run.step_deadline is None or run.step_deadline > now:
                return RunUpdate(run=updated)
            run = updated
        if run.step_deadline is not None and run.step_deadline <= now:
            if ctx.step.advance == "auto":
                return await self._move_on(run, now, ctx.present)
            updated = await self._save(run, wake_at=StepState.of(run).wake_at)
            return RunUpdate(run=updated, time_up=True)
        return None

    async def _is_complete(self, run: RunRecord, handler: StepHandler[Any], now: float) -> bool:
        """The handler says the step is done, with its state and answers as stored now."""
        ctx = await self._context(run, now)
        contributions = await self._store.contributions.for_step(run.id, run.step_index)
        return handler.is_complete(ctx, contributions)

    async def next_wake(self) -> float | None:
        """The next time (UTC seconds) a timer of this process's runs is due, if any."""
        return await self._store.runs.next_wake(self._scope() if self._scope else None)

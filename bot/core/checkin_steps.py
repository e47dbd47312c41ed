"""A run's check-in step as the check-in services read it: live at a step index, its session,
its scale after it ended. No Discord here."""

from __future__ import annotations

from bot.core.activities import Scale
from bot.core.errors import Conflict, NotFound
from bot.core.run_service import RunService
from bot.core.steps.checkin import CheckinStep
from bot.i18n import N_
from bot.records.sessions import RunRecord, SessionRecord

STEP_ENDED = N_(
    "That check-in has ended, so its answer, note and sharing can't be changed any "
    "more. What you saved stays saved."
)


class CheckinSteps(RunService):
    """Check-in steps of runs, read through the store and the runner (the answers, the notes
    and sharing all start here)."""

    async def step_of(self, run_id: int, step_index: int) -> tuple[SessionRecord, CheckinStep]:
        """The session and the check-in step (as shown) of a run that is live at `step_index`.

        Raises Conflict when the step has ended or isn't a check-in, NotFound when the session
        is gone."""
        run = await self._store.runs.get(run_id)
        step = self.live_step(run, step_index)
        assert run is not None  # live_step raised otherwise
        return await self.session_of(run), step

    def live_step(self, run: RunRecord | None, step_index: int) -> CheckinStep:
        """The check-in step (as shown) of `run` live at `step_index`; raises Conflict when the
        step has ended or isn't a check-in. Not a coroutine: the answer's hot path calls it."""
        if run is None or not run.live or run.step_index != step_index:
            raise Conflict(STEP_ENDED)
        step = self._runner.step(run)
        if not isinstance(step, CheckinStep):
            raise Conflict(N_("That step isn't a check-in."))
        return step

    async def session_of(self, run: RunRecord) -> SessionRecord:
        """The run's session. Raises NotFound when it no longer exists."""
        session = await self._store.sessions.get(run.session_id)
        if session is None:
            raise NotFound(N_("That session no longer exists."))
        return session

    async def step_scale(self, run_id: int, step_index: int) -> Scale | None:
        """The check-in step's scale, also after the step ended (None if it isn't one)."""
        run = await self._store.runs.get(run_id)
        if run is None:
            return None
        steps = self._runner.definition(run).steps
        step = steps[step_index] if 0 <= step_index < len(steps) else None
        return step.scale if isinstance(step, CheckinStep) else None

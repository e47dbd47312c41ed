"""The step state machine: start, advance, pause, extend, stop, draw again, contribute, and wake
on deadlines.

All state lives in the store (deadlines included), so a restarted bot resumes every run as it was.
The runner is built of parts with one purpose each: bot/core/step_moves.py (what they share:
handlers, a run's context, moving to the next step), bot/core/contributing.py (answers),
bot/core/step_timers.py (deadlines and handler timers), bot/core/run_memory.py (what is kept in
memory per live run) and bot/core/run_locks.py; this file is the lifecycle a facilitator drives.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.core.activities import Activity
from bot.core.contributing import Contributing
from bot.core.errors import Conflict, NotFound
from bot.core.pools import ANOTHER_STATE
from bot.core.run_updates import ContributionOutcome as ContributionOutcome
from bot.core.run_updates import RunUpdate as RunUpdate
from bot.core.run_updates import earliest
from bot.core.step_moves import RunChanged
from bot.core.step_state import WAKE_AT, WAKE_REMAINING, StepState
from bot.core.step_timers import StepTimers
from bot.i18n import N_
from bot.records.sessions import ContributionRecord, NewRun, RunRecord
from bot.store.runs import RunAlreadyLive

T = TypeVar("T")


class Runner(Contributing, StepTimers):
    """Moves runs through their steps; one handler per step kind decides the step's own rules.

    Constructed as ``Runner(store, clock, handlers, server_language)`` (see bot/core/step_moves.py)."""

    async def start(self, session_id: int, activity: Activity) -> RunUpdate:
        """Begin an activity at its first step. Raises Conflict when the session already has a
        live run or the first step's kind can't run here."""
        now = self._now()
        definition = self._memory.definition_of(activity)
        first = activity.steps[0]
        self.handler_for(first)
        present = [a.user_id for a in await self._store.sessions.present(session_id)]
        placeholder = RunRecord(
            id=0,
            session_id=session_id,
            activity_id=activity.id,
            version_hash=activity.version_hash,
            definition="",
            step_index=0,
            step_started_at=now,
            step_deadline=None,
            paused_remaining=None,
            step_message_id=None,
            step_state="{}",
            wake_at=None,
            state="running",
            started_at=now,
            ended_at=None,
        )
        ctx = await self._step_context(placeholder, first, present, now, state=False)
        wake = self.handler_for(first).enter(ctx)
        deadline = now + first.time_limit if first.time_limit else None
        drawn = await self._draw(session_id, first, 0, {**wake.state, WAKE_AT: wake.at}, now)
        try:
            new = NewRun(
                session_id=session_id,
                activity_id=activity.id,
                version_hash=activity.version_hash,
                definition=definition.text,
                step_deadline=deadline,
                step_state=StepState(drawn.state).text(),
            )
            run = await self._store.runs.create(new, now)
        except RunAlreadyLive:
            await self._release(drawn)
            raise Conflict(
                N_(
                    "An activity is already running in this session. Stop it with /activity stop "
                    "first."
                )
            ) from None
        if wake.at is not None:
            updated = await self._store.runs.update(run.id, 0, wake_at=earliest(deadline, wake.at))
            run = updated or run
        self._memory.adopt(run, definition)
        return RunUpdate(run=run, entered_step=0)

    async def advance(
        self, run_id: int, expected_step: int, *, by_facilitator: bool = True
    ) -> RunUpdate | None:
        """Leave the current step for the next one; None if someone else already moved it.
        Raises NotFound when the run has ended, Conflict when the step refuses to be left yet
        (e.g. no-skip listening, or `by_facilitator` False on a step only they may move), and
        RunChanged (a Conflict) when other processes kept changing the run."""
        async with self._lock(run_id):
            return await self._decide_fresh(
                run_id, lambda run: self._advance(run, expected_step, by_facilitator)
            )

    async def _advance(
        self, run: RunRecord, expected_step: int, by_facilitator: bool
    ) -> RunUpdate | None:
        if run.step_index != expected_step:
            return None
        now = self._now()
        ctx = await self._context(run, now)
        reason = self.handler_for(ctx.step).refuse_leaving(ctx, by_facilitator)
        if isinstance(reason, Conflict):
            raise reason
        if reason:
            raise Conflict(reason)
        return await self._move_on(run, now, ctx.present)

    # Pause, resume, extend and stop decide from the run as read and write it back only if it
    # is still so (a compare-and-set: another process may change it meanwhile, and the run's
    # lock serialises this process only); a lost race is decided again on a fresh read.

    async def pause(self, run_id: int) -> RunUpdate:
        """Stop the step's clock: its time left (seconds) and the handler timer's are kept in
        the run. Raises NotFound when the run has ended, Conflict when it is paused already,
        RunChanged (a Conflict) when other processes kept changing it."""
        async with self._lock(run_id):
            return await self._decide_fresh(run_id, self._pause)

    async def _pause(self, run: RunRecord) -> RunUpdate:
        if run.state == "paused":
            raise Conflict(N_("The activity is already paused. Use Resume to carry on."))
        now = self._now()
        saved = StepState.of(run)
        remaining = run.step_deadline - now if run.step_deadline is not None else None
        handler_wake = saved.wake_at
        if handler_wake is not None:
            saved = saved.with_values({WAKE_REMAINING: max(0.0, handler_wake - now)})
        updated = await self._save(
            run,
            state="paused",
            paused_remaining=None if remaining is None else max(0.0, remaining),
            step_deadline=None,
            wake_at=None,
            step_state=saved.text(),
        )
        return RunUpdate(run=updated)

    async def resume(self, run_id: int) -> RunUpdate:
        """Start the clock again with the time that was left (the handler's own deadlines move
        on by the pause). Raises NotFound when the run has ended, Conflict when not paused,
        RunChanged (a Conflict) when other processes kept changing it."""
        async with self._lock(run_id):
            return await self._decide_fresh(run_id, self._resume)

    async def _resume(self, run: RunRecord) -> RunUpdate:
        if run.state != "paused":
            raise Conflict(N_("The activity isn't paused."))
        now = self._now()
        saved = StepState.of(run)
        deadline = now + run.paused_remaining if run.paused_remaining is not None else None
        handler_wake: float | None = None
        state = dict(saved.without(WAKE_REMAINING).values)
        if (left := saved.wake_remaining) is not None:
            handler_wake = now + left
            before = saved.wake_at
            if before is not None:
                # The handler's own deadlines (a turn's end on its card) move on with it.
                handler = self.handler_for(self.step(run))
                state = handler.resumed(state, handler_wake - before)
            state[WAKE_AT] = handler_wake
        updated = await self._save(
            run,
            state="running",
            paused_remaining=None,
            step_deadline=deadline,
            wake_at=earliest(deadline, handler_wake),
            step_state=StepState(state).text(),
        )
        return RunUpdate(run=updated)

    async def extend(self, run_id: int, seconds: float) -> RunUpdate:
        """Give the step more time; a step without a limit gets one of `seconds` from now.
        Two extensions at once (also from two processes) both count. Raises NotFound when the
        run has ended, RunChanged (a Conflict) when other processes kept changing it."""
        async with self._lock(run_id):
            return await self._decide_fresh(run_id, lambda run: self._extend(run, seconds))

    async def _extend(self, run: RunRecord, seconds: float) -> RunUpdate:
        now = self._now()
        handler_wake = StepState.of(run).wake_at
        if run.state == "paused":
            updated = await self._save(
                run, paused_remaining=(run.paused_remaining or 0.0) + seconds
            )
        else:
            base = run.step_deadline if run.step_deadline is not None else now
            deadline = max(base, now) + seconds
            updated = await self._save(
                run, step_deadline=deadline, wake_at=earliest(deadline, handler_wake)
            )
        return RunUpdate(run=updated)

    async def attendance_changed(self, session_id: int) -> RunUpdate | None:
        """Someone joined or left the session: the current step's handler may follow (a round
        puts a late joiner at the end of its order). None when nothing changed (or the run
        ended, or other processes kept changing it)."""
        found = await self._store.runs.live_for_session(session_id)
        if found is None:
            return None
        async with self._lock(found.id):
            try:
                return await self._decide_fresh(found.id, self._follow_attendance)
            except (NotFound, RunChanged):
                return None

    async def _follow_attendance(self, run: RunRecord) -> RunUpdate | None:
        now = self._now()
        ctx = await self._context(run, now)
        wake = self.handler_for(ctx.step).attendance_changed(ctx)
        if wake is None:
            return None
        return RunUpdate(run=await self._apply_wake(run, wake, now))

    async def stop(self, run_id: int) -> RunUpdate:
        """End the run where it is (once, also when a timer moves it on meanwhile). Raises
        NotFound when it has ended already, RunChanged (a Conflict) when other processes kept
        changing it."""
        async with self._lock(run_id):
            return await self._decide_fresh(run_id, self._stop)

    async def _stop(self, run: RunRecord) -> RunUpdate:
        return await self._end(run, "stopped", self._now())

    async def draw_again(self, run_id: int, step_index: int) -> RunUpdate:
        """Another question: draw each pool of the current step again, once per step.

        Raises Conflict when the step has ended, has no pool, or was drawn again already;
        NotFound when the run has ended; RunChanged (a Conflict) when other processes kept
        changing it."""
        async with self._lock(run_id):
            # Once per step across processes too: a compare-and-set on the run as read.
            return await self._decide_fresh(run_id, lambda run: self._draw_again(run, step_index))

    async def _draw_again(self, run: RunRecord, step_index: int) -> RunUpdate:
        if run.step_index != step_index:
            raise Conflict(N_("That step has ended."))
        if not self.has_pools(run):
            raise Conflict(N_("This step has no pool of questions to draw from."))
        saved = StepState.of(run)
        if saved.another_drawn:
            raise Conflict(
                N_("You've already drawn another question for this step (one per step).")
            )
        step = self.definition(run).steps[step_index]
        drawn = await self._draw(run.session_id, step, step_index, saved.values, self._now())
        again = StepState(drawn.state).with_values({ANOTHER_STATE: True})
        try:
            return RunUpdate(run=await self._save(run, step_state=again.text()))
        except RunChanged:
            await self._release(drawn)  # not shown: decided again on a fresh read
            raise

    async def claim_note(
        self, run_id: int, step_index: int, key: str, turn_no: int | None = None
    ) -> bool:
        """Claim the telling of a note the step's handler left in its state under `key` (a
        mapping, e.g. a round's `floor_left`, a write step's `turn_ping`): True once, for the
        first caller, which then tells it; the mark `told` is stored with the run, so a restart
        (or another process reading the run) doesn't tell it again. With `turn_no`, only the
        note of that turn (its ``turn_no``) is claimed: the caller tells what it read of that
        turn. False when it was told already, is gone or of another turn, the step or the run
        has ended, or other processes kept changing the run. Raises StorageUnavailable when
        the mark can't be written."""
        async with self._lock(run_id):
            # The lock serialises this process only: the mark is set by compare-and-set.
            try:
                return await self._decide_fresh(
                    run_id, lambda run: self._claim_note(run, step_index, key, turn_no)
                )
            except (NotFound, RunChanged):
                return False

    async def _claim_note(
        self, run: RunRecord, step_index: int, key: str, turn_no: int | None
    ) -> bool:
        if run.step_index != step_index:
            return False
        saved = StepState.of(run)
        note = saved.note(key)
        if note is None or note.get("told"):
            return False
        if turn_no is not None and note.get("turn_no") != turn_no:
            return False
        await self._save(run, step_state=saved.with_note_told(key).text())
        return True

    async def decide_state(self, run_id: int, decide: Callable[[RunRecord], Awaitable[T]]) -> T:
        """For a service that changes a run's step state (e.g. ReflectReview), holding the run
        (`holding`): `decide(run)` on the live run as committed, decided again on a fresh read
        each time its `save_state` finds the run changed by another process. Raises NotFound
        when the run has ended (also meanwhile), RunChanged (a Conflict) when it changed
        before each try, and whatever `decide` raises."""
        return await self._decide_fresh(run_id, decide)

    async def save_state(self, run: RunRecord, state: StepState) -> RunRecord:
        """Write `state` as the run's step state only if the run is still as read (a
        compare-and-set); the run as committed. Raises RunChanged when another process changed
        or ended it meanwhile (`decide_state` then decides again)."""
        return await self._save(run, step_state=state.text())

    async def contributions(self, run: RunRecord) -> list[ContributionRecord]:
        """The contributions to the run's current step, in the order they were saved."""
        return await self._store.contributions.for_step(run.id, run.step_index)

"""The step state machine: start, advance, pause, extend, stop, contribute, and wake on deadlines.

All state lives in the store (deadlines included), so a restarted bot resumes every run as it was.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.activities import Activity
from bot.core.clock import Clock, timestamp
from bot.core.errors import Conflict, NotFound
from bot.core.pools import (
    ANOTHER_STATE,
    POOL_STATE,
    draws_for,
    next_alternative,
    pool_key,
    pooled_fields,
    resolve,
)
from bot.core.steps.base import BaseStepHandler, StepContext, StepHandler, Wake
from bot.i18n import N_
from bot.records.sessions import ContributionRecord, RunRecord
from bot.store.runs import Also, Mirror, ShardScope, StepMoved
from bot.store.store import Store

_WAKE_REMAINING = "_paused_wake_remaining"
# How long a claimed wake-up stays this process's: a process that dies mid-wake leaves the run
# to a survivor after this many seconds.
CLAIM_HOLD = 10.0
STEP_ENDED = N_("That step has already ended, so your answer wasn't saved.")


@dataclass(frozen=True, slots=True)
class RunUpdate:
    """What changed in one run, for the presenter to show."""

    run: RunRecord
    exited_step: int | None = None
    entered_step: int | None = None
    ended: str | None = None
    time_up: bool = False
    exited_message_id: int | None = None

    @property
    def session_id(self) -> int:
        return self.run.session_id


@dataclass(frozen=True, slots=True)
class ContributionOutcome:
    record: ContributionRecord
    replaced: bool
    update: RunUpdate | None
    also: Any = None
    """What the caller's `also` store job returned (committed with the contribution)."""


def _default_completion(handler: StepHandler) -> bool:
    """The handler completes a step when everyone present has answered (BaseStepHandler's rule)."""
    return getattr(type(handler), "is_complete", None) is BaseStepHandler.is_complete


def _stateful(handler: StepHandler) -> bool:
    """Each contribution changes the step's own state (after_contribution), e.g. lyric turns."""
    return getattr(type(handler), "after_contribution", None) is not (
        BaseStepHandler.after_contribution
    )


def _min_time(*values: float | None) -> float | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


class Runner:
    """Moves runs through their steps; one handler per step kind decides the step's own rules."""

    def __init__(self, store: Store, clock: Clock, handlers: Mapping[str, StepHandler]) -> None:
        self._store = store
        self._clock = clock
        self._handlers = dict(handlers)
        self._definitions: dict[int, Activity] = {}
        self._parsed: dict[str, Activity] = {}
        """Stored definition text -> its activity: runs of the same activity version share one
        (frozen) model, so resuming 1,000 sessions validates it once, not 1,000 times."""
        self._locks: dict[int, asyncio.Lock] = {}
        self._anonymous_answered: dict[tuple[int, int], set[int]] = {}
        self._facilitators: dict[int, int | None] = {}
        self._scope: Callable[[], ShardScope] | None = None
        store.changes.subscribe("forget", lambda ids: self.forget_member(ids[1]))
        self._pooled: dict[tuple[int, int], bool] = {}
        # Each run's last step as shown, with the step state it was drawn from (a run's
        # definition never changes): resolving the pools walks the whole step model (45 % of
        # the check-in burst's CPU when done per call), and answers look the step up 3 times.
        self._shown: dict[int, tuple[int, str, Any]] = {}
        self._states: dict[int, tuple[str, Mapping[str, Any]]] = {}

    # ----------------------------------------------------------------- lookups

    def definition(self, run: RunRecord) -> Activity:
        """The activity as it was when the run started (a reload never changes a running one)."""
        found = self._definitions.get(run.id)
        if found is None:
            found = self._parsed.get(run.definition)
            if found is None:
                found = Activity.model_validate_json(run.definition)
                self._parsed[run.definition] = found
            self._definitions[run.id] = found
        return found

    def step(self, run: RunRecord) -> Any:
        """The run's current step as shown: pooled texts replaced by the ones drawn."""
        return self.step_at(run, run.step_index)

    def step_at(self, run: RunRecord, index: int) -> Any:
        """Step `index` of the run as shown (its pools as drawn when it started)."""
        shown = self._shown.get(run.id)
        if shown is not None and shown[0] == index and shown[1] == run.step_state:
            return shown[2]
        step = self.definition(run).steps[index]
        key = (run.id, index)
        if key not in self._pooled:
            self._pooled[key] = bool(pooled_fields(step))
        if self._pooled[key]:
            step = resolve(step, draws_for(json.loads(run.step_state), index))
        self._shown[run.id] = (index, run.step_state, step)
        return step

    async def _draw(
        self, session_id: int, step: Any, index: int, state: Mapping[str, Any], now: float
    ) -> dict[str, Any]:
        """`state` with a fresh draw of each of the step's pools added (unchanged without pools)."""
        pools = pooled_fields(step)
        if not pools:
            return dict(state)
        session = await self._store.sessions.get(session_id)
        guild_id, channel_id = (session.guild_id, session.channel_id) if session else (0, 0)
        drawn: dict[str, int] = {}
        for path, pool in pools.items():
            size = len(pool.pool)
            drawn[path] = await self._store.pool_draws.draw(
                guild_id=guild_id,
                channel_id=channel_id,
                pool_key=pool_key(pool),
                pick=functools.partial(next_alternative, size=size),
                now=now,
            )
        earlier = state.get(POOL_STATE)
        kept = dict(earlier) if isinstance(earlier, Mapping) else {}
        return {**state, POOL_STATE: {**kept, str(index): drawn}}

    def has_pools(self, run: RunRecord) -> bool:
        """The current step has a pooled text (so Another question applies)."""
        return bool(pooled_fields(self.definition(run).steps[run.step_index]))

    async def draw_again(self, run_id: int, step_index: int) -> RunUpdate:
        """Another question: draw each pool of the current step again, once per step.

        Raises Conflict when the step has ended, has no pool, or was drawn again already."""
        async with self._lock(run_id):
            run = await self._require_live(run_id)
            if run.step_index != step_index:
                raise Conflict(N_("That step has ended."))
            if not self.has_pools(run):
                raise Conflict(N_("This step has no pool of questions to draw from."))
            state = json.loads(run.step_state)
            if state.get(ANOTHER_STATE):
                raise Conflict(
                    N_("You've already drawn another question for this step (one per step).")
                )
            step = self.definition(run).steps[step_index]
            state = await self._draw(run.session_id, step, step_index, state, self._now())
            state[ANOTHER_STATE] = True
            updated = await self._store.runs.update(
                run.id, step_index, step_state=json.dumps(state)
            )
            if updated is None:
                raise Conflict(N_("That step has ended."))
            return RunUpdate(run=updated)

    def handler_for(self, step: Any) -> StepHandler:
        handler = self._handlers.get(step.type)
        if handler is None:
            raise Conflict(
                N_("This version of Chorus can't run {type!r} steps yet."), type=step.type
            )
        return handler

    def _now(self) -> float:
        return timestamp(self._clock)

    def _lock(self, run_id: int) -> asyncio.Lock:
        return self._locks.setdefault(run_id, asyncio.Lock())

    @contextlib.asynccontextmanager
    async def holding(self, run_ids: Iterable[int]) -> AsyncIterator[None]:
        """Hold these runs still: no step state is read and written back meanwhile.

        Locks are taken in id order, so two holders can't deadlock. /forget rewrites step
        state under them, so an in-flight turn can't write an old state (with the id) back.
        """
        async with contextlib.AsyncExitStack() as stack:
            for run_id in sorted(set(run_ids)):
                await stack.enter_async_context(self._lock(run_id))
            yield

    def forget_member(self, user_id: int) -> None:
        """Drop a forgotten member from what the runner keeps in memory.

        The facilitator cache is reloaded from the (anonymised) session; the member leaves the
        anonymous-answer guard, whose answers are not linked to them any more, so they may
        answer an open anonymous step once more; the parsed step states are read again.
        """
        for session_id, facilitator in list(self._facilitators.items()):
            if facilitator == user_id:
                del self._facilitators[session_id]
        for key, answered in list(self._anonymous_answered.items()):
            answered.discard(user_id)
            if not answered:
                del self._anonymous_answered[key]
        # Parsed step states may name the member (a song's line authors, a round's order):
        # dropped, they are parsed again from the anonymised rows on next use.
        self._states.clear()
        self._shown.clear()

    async def _facilitator(self, session_id: int) -> int | None:
        """Looked up once: it changes only to nobody, by /forget (see forget_member)."""
        if session_id not in self._facilitators:
            session = await self._store.sessions.get(session_id)
            self._facilitators[session_id] = session.facilitator_id if session else None
        return self._facilitators[session_id]

    async def _context(self, run: RunRecord, now: float) -> StepContext:
        present = [a.user_id for a in await self._store.sessions.present(run.session_id)]
        return StepContext(
            run=run,
            step=self.step(run),
            present=present,
            now=now,
            state=self._state(run),
            facilitator_id=await self._facilitator(run.session_id),
        )

    def _state(self, run: RunRecord) -> Mapping[str, Any]:
        """The run's step state, parsed once per change (handlers only read it: they return
        a new state in their Wake)."""
        parsed = self._states.get(run.id)
        if parsed is None or parsed[0] != run.step_state:
            parsed = (run.step_state, json.loads(run.step_state))
            self._states[run.id] = parsed
        return parsed[1]

    async def live_run(self, session_id: int) -> RunRecord | None:
        return await self._store.runs.live_for_session(session_id)

    async def _require_live(self, run_id: int) -> RunRecord:
        run = await self._store.runs.get(run_id)
        if run is None or not run.live:
            raise NotFound(N_("That activity is no longer running."))
        return run

    # --------------------------------------------------------------- lifecycle

    async def start(self, session_id: int, activity: Activity) -> RunUpdate:
        """Begin an activity at its first step."""
        now = self._now()
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
        ctx = StepContext(
            run=placeholder,
            step=first,
            present=present,
            now=now,
            facilitator_id=await self._facilitator(session_id),
        )
        wake = self.handler_for(first).enter(ctx)
        deadline = now + first.time_limit if first.time_limit else None
        state = await self._draw(session_id, first, 0, {**wake.state, "wake_at": wake.at}, now)
        from bot.store.runs import RunAlreadyLive

        try:
            run = await self._store.runs.create(
                session_id=session_id,
                activity_id=activity.id,
                version_hash=activity.version_hash,
                definition=activity.model_dump_json(),
                now=now,
                step_deadline=deadline,
                step_state=json.dumps(state),
            )
        except RunAlreadyLive:
            raise Conflict(
                N_(
                    "An activity is already running in this session. Stop it with /activity stop "
                    "first."
                )
            ) from None
        if wake.at is not None:
            updated = await self._store.runs.update(run.id, 0, wake_at=_min_time(deadline, wake.at))
            run = updated or run
        self._definitions[run.id] = activity
        return RunUpdate(run=run, entered_step=0)

    async def advance(
        self, run_id: int, expected_step: int, *, by_facilitator: bool = True
    ) -> RunUpdate | None:
        """Leave the current step for the next one; None if someone else already moved it."""
        async with self._lock(run_id):
            run = await self._require_live(run_id)
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

    async def _move_on(
        self, run: RunRecord, now: float, present: Sequence[int]
    ) -> RunUpdate | None:
        activity = self.definition(run)
        following = run.step_index + 1
        self._anonymous_answered.pop((run.id, run.step_index), None)
        if following >= len(activity.steps):
            done = await self._store.runs.update(
                run.id, run.step_index, state="finished", ended_at=now, wake_at=None
            )
            if done is None:
                return None
            return RunUpdate(
                run=done,
                exited_step=run.step_index,
                ended="finished",
                exited_message_id=run.step_message_id,
            )
        step = activity.steps[following]
        ctx = StepContext(
            run=run,
            step=step,
            present=present,
            now=now,
            facilitator_id=await self._facilitator(run.session_id),
        )
        wake = self.handler_for(step).enter(ctx)
        deadline = now + step.time_limit if step.time_limit else None
        earlier = json.loads(run.step_state).get(POOL_STATE)
        carried = {POOL_STATE: earlier} if isinstance(earlier, Mapping) else {}
        state = await self._draw(
            run.session_id, step, following, {**carried, **wake.state, "wake_at": wake.at}, now
        )
        moved = await self._store.runs.update(
            run.id,
            run.step_index,
            step_index=following,
            step_started_at=now,
            step_deadline=deadline,
            paused_remaining=None,
            step_message_id=None,
            step_state=json.dumps(state),
            wake_at=_min_time(deadline, wake.at),
            state="running",
        )
        if moved is None:
            return None
        return RunUpdate(
            run=moved,
            exited_step=run.step_index,
            entered_step=following,
            exited_message_id=run.step_message_id,
        )

    async def pause(self, run_id: int) -> RunUpdate:
        async with self._lock(run_id):
            run = await self._require_live(run_id)
            if run.state == "paused":
                raise Conflict(N_("The activity is already paused. Use Resume to carry on."))
            now = self._now()
            state = json.loads(run.step_state)
            remaining = run.step_deadline - now if run.step_deadline is not None else None
            handler_wake = state.get("wake_at")
            if isinstance(handler_wake, int | float):
                state[_WAKE_REMAINING] = max(0.0, handler_wake - now)
            updated = await self._store.runs.update(
                run.id,
                run.step_index,
                state="paused",
                paused_remaining=None if remaining is None else max(0.0, remaining),
                step_deadline=None,
                wake_at=None,
                step_state=json.dumps(state),
            )
            assert updated is not None
            return RunUpdate(run=updated)

    async def resume(self, run_id: int) -> RunUpdate:
        async with self._lock(run_id):
            run = await self._require_live(run_id)
            if run.state != "paused":
                raise Conflict(N_("The activity isn't paused."))
            now = self._now()
            state = json.loads(run.step_state)
            deadline = now + run.paused_remaining if run.paused_remaining is not None else None
            handler_wake: float | None = None
            if _WAKE_REMAINING in state:
                handler_wake = now + float(state.pop(_WAKE_REMAINING))
                before = state.get("wake_at")
                if isinstance(before, int | float):
                    # The handler's own deadlines (a turn's end on its card) move on with it.
                    handler = self.handler_for(self.step(run))
                    state = handler.resumed(state, handler_wake - before)
                state["wake_at"] = handler_wake
            updated = await self._store.runs.update(
                run.id,
                run.step_index,
                state="running",
                paused_remaining=None,
                step_deadline=deadline,
                wake_at=_min_time(deadline, handler_wake),
                step_state=json.dumps(state),
            )
            assert updated is not None
            return RunUpdate(run=updated)

    async def extend(self, run_id: int, seconds: float) -> RunUpdate:
        """Give the step more time; a step without a limit gets one of `seconds` from now."""
        async with self._lock(run_id):
            run = await self._require_live(run_id)
            now = self._now()
            state = json.loads(run.step_state)
            handler_wake = (
                state.get("wake_at") if isinstance(state.get("wake_at"), float | int) else None
            )
            if run.state == "paused":
                updated = await self._store.runs.update(
                    run.id,
                    run.step_index,
                    paused_remaining=(run.paused_remaining or 0.0) + seconds,
                )
            else:
                base = run.step_deadline if run.step_deadline is not None else now
                deadline = max(base, now) + seconds
                updated = await self._store.runs.update(
                    run.id,
                    run.step_index,
                    step_deadline=deadline,
                    wake_at=_min_time(deadline, handler_wake),
                )
            assert updated is not None
            return RunUpdate(run=updated)

    async def attendance_changed(self, session_id: int) -> RunUpdate | None:
        """Someone joined or left the session: the current step's handler may follow (a round
        puts a late joiner at the end of its order). None when nothing changed."""
        found = await self._store.runs.live_for_session(session_id)
        if found is None:
            return None
        async with self._lock(found.id):
            run = await self._store.runs.get(found.id)
            if run is None or not run.live:
                return None
            now = self._now()
            ctx = await self._context(run, now)
            wake = self.handler_for(ctx.step).attendance_changed(ctx)
            if wake is None:
                return None
            updated = await self._apply_wake(run, wake, now)
            return None if updated is None else RunUpdate(run=updated)

    async def stop(self, run_id: int) -> RunUpdate:
        async with self._lock(run_id):
            run = await self._require_live(run_id)
            now = self._now()
            updated = await self._store.runs.update(
                run.id, run.step_index, state="stopped", ended_at=now, wake_at=None
            )
            assert updated is not None
            return RunUpdate(
                run=updated,
                exited_step=run.step_index,
                ended="stopped",
                exited_message_id=run.step_message_id,
            )

    # ------------------------------------------------------------ contributing

    async def contribute(
        self,
        run_id: int,
        step_index: int,
        author_id: int,
        kind: str,
        payload: Mapping[str, Any],
        *,
        anonymous: bool = False,
        replaces: Sequence[str] = (),
        also: Also | None = None,
        mirror: Mirror | None = None,
    ) -> ContributionOutcome:
        """Save one member's contribution (committed before returning) and advance if complete.

        On one-answer steps it replaces the member's earlier one of the same kind or of any kind
        in `replaces`. `also` is a store job (e.g. the check-in row) committed in the same write, and
        so is `mirror` (given the saved record, e.g. the lyric line). Steps whose
        state changes with each contribution (a lyric turn) take a run's contributions one at a
        time; for every other step the write itself checks the run is still at the step, so a
        run's answers share group commits instead of queueing behind each other's.
        """
        run = await self._require_live(run_id)
        if run.step_index != step_index:
            raise Conflict(STEP_ENDED)
        if _stateful(self.handler_for(self.step(run))):
            async with self._lock(run_id):
                run = await self._require_live(run_id)
                if run.step_index != step_index:
                    raise Conflict(STEP_ENDED)
                return await self._contribute(
                    run, author_id, kind, payload, anonymous, replaces, also, mirror, locked=True
                )
        return await self._contribute(
            run, author_id, kind, payload, anonymous, replaces, also, mirror, locked=False
        )

    def contribute_to(
        self,
        run: RunRecord,
        author_id: int,
        kind: str,
        payload: Mapping[str, Any],
        *,
        now: float,
        anonymous: bool = False,
        replaces: Sequence[str] = (),
        also: Also | None = None,
    ) -> Awaitable[ContributionOutcome]:
        """`contribute` for a caller that has just read `run` itself (live, at the step it
        answers; e.g. CheckinService): the same rules and write without reading the run again,
        with the caller's `now` (UTC seconds). Steps whose state changes with each contribution
        take `contribute`'s locked path. Awaited: raises Conflict when the step has moved on
        meanwhile. (Returns the coroutine to await rather than being one: a frame fewer per
        answer.)"""
        if _stateful(self.handler_for(self.step(run))):
            return self.contribute(
                run.id,
                run.step_index,
                author_id,
                kind,
                payload,
                anonymous=anonymous,
                replaces=replaces,
                also=also,
            )
        return self._contribute(
            run, author_id, kind, payload, anonymous, replaces, also, None, locked=False, now=now
        )

    async def _contribute(
        self,
        run: RunRecord,
        author_id: int,
        kind: str,
        payload: Mapping[str, Any],
        anonymous: bool,
        replaces: Sequence[str],
        also: Also | None,
        mirror: Mirror | None,
        *,
        locked: bool,
        now: float | None = None,
    ) -> ContributionOutcome:
        step_index = run.step_index
        if now is None:
            now = self._now()
        ctx = await self._context(run, now)
        handler = self.handler_for(ctx.step)
        clean = handler.accept(ctx, kind, payload)
        one_answer = handler.one_answer_per_member(ctx.step)
        reserved = anonymous and one_answer
        if reserved:
            # Claimed before the write so two quick clicks can't both count.
            answered = self._anonymous_answered.setdefault((run.id, step_index), set())
            if author_id in answered:
                raise Conflict(
                    N_(
                        "You've already answered this anonymous step. Anonymous answers aren't linked to "
                        "you, so they can't be changed."
                    )
                )
            answered.add(author_id)
        auto = ctx.step.advance == "auto"
        try:
            added = await self._store.contributions.add_with(
                run_id=run.id,
                step_index=step_index,
                author_id=None if anonymous else author_id,
                kind=kind,
                payload=clean,
                now=now,
                replace=one_answer and not anonymous,
                replaces=replaces,
                also=also,
                mirror=mirror,
                with_step=auto,
                # The default rule (everyone expected answered) needs one contribution each.
                step_at_least=len(ctx.expected) if _default_completion(handler) else 0,
            )
        except BaseException as exc:
            if reserved:
                self._release_anonymous(run.id, step_index, author_id)
            if isinstance(exc, StepMoved):
                raise Conflict(STEP_ENDED) from None
            raise
        wake = handler.after_contribution(ctx, added.record)
        if wake is not None:
            run = await self._apply_wake(run, wake, now) or run
            ctx = await self._context(run, now)
        update: RunUpdate | None = None
        complete = added.step is not None and handler.is_complete(ctx, added.step)
        if auto and run.state == "running" and complete:
            if locked:
                update = await self._move_on(run, now, ctx.present)
            else:
                update = await self._complete(run, now, ctx.present)
        return ContributionOutcome(
            record=added.record, replaced=added.replaced, update=update, also=added.also
        )

    def _release_anonymous(self, run_id: int, step_index: int, author_id: int) -> None:
        """Their write failed: they may answer again (and an emptied entry goes)."""
        answered = self._anonymous_answered.get((run_id, step_index))
        if answered is not None:
            answered.discard(author_id)
            if not answered:
                del self._anonymous_answered[(run_id, step_index)]

    async def _complete(
        self, run: RunRecord, now: float, present: Sequence[int]
    ) -> RunUpdate | None:
        """Everyone has answered: move on, unless something else moved the run meanwhile."""
        async with self._lock(run.id):
            current = await self._store.runs.get(run.id)
            if current is None or current.step_index != run.step_index:
                return None
            if current.state != "running":
                return None
            return await self._move_on(current, now, present)

    async def _apply_wake(self, run: RunRecord, wake: Wake, now: float) -> RunRecord | None:
        state = dict(wake.state)
        state["wake_at"] = wake.at
        # The draws are the runner's, not the handler's: they outlive the handler's new state.
        before = json.loads(run.step_state)
        for key in (POOL_STATE, ANOTHER_STATE):
            if key in before and key not in state:
                state[key] = before[key]
        if run.state == "paused" and wake.at != before.get("wake_at"):
            # A new handler timer set during a pause (a press gave the floor to the next
            # speaker) starts its time at Resume, not with what the previous one had left.
            state.pop(_WAKE_REMAINING, None)
            if wake.at is not None:
                state[_WAKE_REMAINING] = max(0.0, wake.at - now)
        return await self._store.runs.update(
            run.id,
            run.step_index,
            step_state=json.dumps(state),
            wake_at=_min_time(run.step_deadline, wake.at) if run.state == "running" else None,
        )

    # ------------------------------------------------------------------- timers

    def fire_for(self, scope: Callable[[], ShardScope] | None) -> None:
        """Fire only the timers of the guilds on the shards `scope()` names (the shards whose
        lease this process holds now), claiming each due run before waking it; None (one
        process, the default): every run, as committed."""
        self._scope = scope

    async def wake_due(self) -> list[RunUpdate]:
        """Handle every run whose deadline or handler timer has passed (also after downtime)."""
        now = self._now()
        updates: list[RunUpdate] = []
        if self._scope is not None:
            due_runs = await self._store.runs.claim_due(now, self._scope(), CLAIM_HOLD)
        else:
            due_runs = await self._store.runs.due(now)
        for due in due_runs:
            async with self._lock(due.id):
                run = await self._store.runs.get(due.id)
                if (
                    run is None
                    or run.state != "running"
                    or run.wake_at is None
                    or run.wake_at > now
                ):
                    continue
                update = await self._wake_one(run, now)
                if update is not None:
                    updates.append(update)
        return updates

    async def _wake_one(self, run: RunRecord, now: float) -> RunUpdate | None:
        ctx = await self._context(run, now)
        handler = self.handler_for(ctx.step)
        handler_wake = ctx.state.get("wake_at")
        if isinstance(handler_wake, int | float) and handler_wake <= now:
            wake = handler.on_wake(ctx)
            updated = await self._apply_wake(run, wake, now)
            if updated is None:
                return None
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
            state = json.loads(run.step_state)
            next_handler = state.get("wake_at")
            updated = await self._store.runs.update(
                run.id,
                run.step_index,
                wake_at=next_handler if isinstance(next_handler, int | float) else None,
            )
            return RunUpdate(run=updated or run, time_up=True)
        return None

    async def _is_complete(self, run: RunRecord, handler: StepHandler, now: float) -> bool:
        """The handler says the step is done, with its state and answers as stored now."""
        ctx = await self._context(run, now)
        contributions = await self._store.contributions.for_step(run.id, run.step_index)
        return handler.is_complete(ctx, contributions)

    async def next_wake(self) -> float | None:
        """The next time (UTC seconds) a timer of this process's runs is due, if any."""
        return await self._store.runs.next_wake(self._scope() if self._scope else None)

    async def contributions(self, run: RunRecord) -> list[ContributionRecord]:
        return await self._store.contributions.for_step(run.id, run.step_index)

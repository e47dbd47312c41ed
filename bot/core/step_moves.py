"""What every part of the runner shares: the step handlers, the run's context for a handler, and
moving a run to its next step (or to its end) with the pools of the step it enters drawn.

`Runner` (bot/core/runner.py) is this plus contributing (bot/core/contributing.py) and timers
(bot/core/step_timers.py).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from bot.core.activities import Activity
from bot.core.activity_fields import StepBase
from bot.core.clock import Clock, timestamp
from bot.core.errors import Conflict, NotFound
from bot.core.pools import ANOTHER_STATE, POOL_STATE, next_alternative, pool_key, pooled_fields
from bot.core.run_locks import RunLocks
from bot.core.run_memory import RunMemory, SessionFacts
from bot.core.run_updates import RunUpdate, earliest
from bot.core.step_state import WAKE_AT, WAKE_REMAINING, StepState
from bot.core.steps.base import StepContext, StepHandler, Wake
from bot.i18n import N_, SOURCE_LANGUAGE
from bot.records.sessions import RunRecord
from bot.store.notify import EVERYTHING
from bot.store.store import Store

StepT = TypeVar("StepT")
DecidedT = TypeVar("DecidedT")

STATE_RETRIES = 5
"""Fresh reads a compare-and-set of a run gets when other processes keep changing it (each
retry follows a change another process committed)."""

"""Step-state key: seconds the handler's timer had left when the run was paused."""

ServerLanguage = Callable[[int], str]
"""guild id -> the language code of the server's public posts (bot/i18n/languages.py public_language)."""


def _source_language(guild_id: int) -> str:
    return SOURCE_LANGUAGE


@dataclass(frozen=True, slots=True)
class PoolDraw:
    """One draw recorded in a channel's prompt-pool history (`drawn_at`: UTC seconds)."""

    channel_id: int
    pool_key: str
    alternative: int
    drawn_at: float


class Drawn(NamedTuple):
    """A step state with its pools drawn (`state`) and the draws recorded for it (`made`)."""

    state: dict[str, Any]
    made: tuple[PoolDraw, ...]


class RunChanged(Conflict):
    """A compare-and-set of a run as read was refused: another process (a shard being handed
    back, a restart overlapping) changed or ended the run between this one's read and write.
    Decided again on a fresh read (`StepMoves._decide_fresh`); shown as a Conflict only when
    the run changed before each of STATE_RETRIES tries."""

    def __init__(self) -> None:
        super().__init__(N_("The activity has just changed; try again."))


class StepMoves:
    """The runner's shared parts. Attributes are the runner's: subclasses add behaviour only."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        handlers: Mapping[str, StepHandler[Any]],
        server_language: ServerLanguage = _source_language,
    ) -> None:
        """`server_language` gives each run's StepContext.language; without it (tools, tests of
        the runner alone) every server reads the source language."""
        self._store = store
        self._clock = clock
        self._handlers = dict(handlers)
        self._server_language = server_language
        self._memory = RunMemory()
        self._locks = RunLocks()
        self._anonymous_answered: dict[tuple[int, int], set[int]] = {}
        """(run id, step index) -> members whose anonymous answer to that step is in (or being
        written): anonymous rows name nobody, so only this remembers who answered (see
        bot/core/contributing.py)."""
        store.changes.subscribe("forget", lambda ids: self.forget_member(ids[1]))
        # Another process on the database ended a run (or a session): drop what is kept of it.
        store.changes.subscribe("run", self._runs_changed_elsewhere)
        store.changes.subscribe("session", self._sessions_ended_elsewhere)
        store.changes.subscribe(EVERYTHING, lambda _ids: self._runs_changed_elsewhere(None))

    @property
    def memory(self) -> RunMemory:
        """What is kept in memory for the live runs (read it; the runner changes it)."""
        return self._memory

    @property
    def locks_held(self) -> int:
        """Runs whose lock is held or waited for now."""
        return len(self._locks)

    # ----------------------------------------------------------------- lookups

    def definition(self, run: RunRecord) -> Activity:
        """The activity as it was when the run started (a reload never changes a running one);
        runs of the same version share one parsed model."""
        return self._memory.definition(run).activity

    def step(self, run: RunRecord) -> Any:
        """The run's current step as shown: pooled texts replaced by the ones drawn."""
        return self._memory.step_at(run, run.step_index)

    def step_as(self, run: RunRecord, kind: type[StepT]) -> StepT:
        """The run's current step (see `step`), which a button of a `kind` step pressed.
        Raises Conflict when the run has moved on to a step of another kind."""
        step = self.step(run)
        if not isinstance(step, kind):
            raise Conflict(N_("That step has ended."))
        return step

    def step_at(self, run: RunRecord, step_index: int) -> Any:
        """Step `step_index` of the run as shown (its pools as drawn when it started)."""
        return self._memory.step_at(run, step_index)

    def has_pools(self, run: RunRecord) -> bool:
        """The current step has a pooled text (so Another question applies)."""
        return self._memory.definition(run).pooled[run.step_index]

    def handler_for(self, step: StepBase) -> StepHandler[Any]:
        """The handler of the step's kind (its registry lookup by ``step.type``: a handler of
        that kind's model, which the context it is given holds); raises Conflict for a kind
        this version can't run."""
        handler = self._handlers.get(step.type)
        if handler is None:
            raise Conflict(
                N_("This version of Chorus can't run {type!r} steps yet."), type=step.type
            )
        return handler

    def _now(self) -> float:
        return timestamp(self._clock)

    def _lock(self, run_id: int) -> AbstractAsyncContextManager[None]:
        return self._locks.run(run_id)

    @asynccontextmanager
    async def holding(self, run_ids: Iterable[int]) -> AsyncIterator[None]:
        """Hold these runs still: no step state is read and written back meanwhile.

        Locks are taken in id order, so two holders can't deadlock. /forget rewrites step
        state under them, so an in-flight turn can't write an old state (with the id) back.
        """
        async with self._locks.runs(run_ids):
            yield

    def forget_member(self, user_id: int) -> None:
        """Drop a forgotten member from what the runner keeps in memory (see
        RunMemory.forget_member; the anonymous-answer guard lets them answer once more)."""
        self._memory.forget_member(user_id)

    async def _session_facts(self, session_id: int) -> SessionFacts:
        """Looked up once per live run: the facilitator changes only to nobody, by /forget."""
        facts = self._memory.session(session_id)
        if facts is None:
            session = await self._store.sessions.get(session_id)
            facts = SessionFacts(
                session.facilitator_id if session else None, session.guild_id if session else 0
            )
            self._memory.remember_session(session_id, facts)
        return facts

    async def _step_context(
        self, run: RunRecord, step: StepBase, present: Sequence[int], now: float, *, state: bool
    ) -> StepContext[StepBase]:
        facts = await self._session_facts(run.session_id)
        return StepContext(
            run=run,
            step=step,
            present=present,
            now=now,
            state=self._memory.state(run) if state else {},
            facilitator_id=facts.facilitator_id,
            language=self._server_language(facts.guild_id),
        )

    async def _context(self, run: RunRecord, now: float) -> StepContext[StepBase]:
        present = [a.user_id for a in await self._store.sessions.present(run.session_id)]
        return await self._step_context(run, self.step(run), present, now, state=True)

    async def live_run(self, session_id: int) -> RunRecord | None:
        """The session's running or paused run, if any (read from the store, not cached);
        when there is none, what was kept of the session's runs goes (ended elsewhere)."""
        run = await self._store.runs.live_for_session(session_id)
        if run is None:
            self._forget_session(session_id)
        return run

    async def live_at(self, session_id: int, run_id: int, step_index: int) -> RunRecord:
        """The session's live run, still `run_id` at step `step_index` (a step's button names
        them). Raises Conflict when it ended or moved on."""
        run = await self.live_run(session_id)
        if run is None or run.id != run_id or run.step_index != step_index:
            raise Conflict(N_("That step has ended."))
        return run

    async def running(self, session_id: int) -> RunRecord:
        """The session's running or paused run (see `live_run`). Raises NotFound, saying how to
        start one, when no activity is running in the session."""
        run = await self.live_run(session_id)
        if run is None:
            raise NotFound(
                N_("No activity is running in this session. Start one with /activity start.")
            )
        return run

    async def _decide_fresh(
        self, run_id: int, decide: Callable[[RunRecord], Awaitable[DecidedT]]
    ) -> DecidedT:
        """`decide(run)` on the live run as committed; again on a fresh read each time its
        compare-and-set (`_save`) finds the run changed by another process. The caller holds
        the run's lock (this process's own changes wait for it).

        Raises NotFound when the run has ended (also meanwhile), RunChanged when it changed
        before each of STATE_RETRIES tries, and whatever `decide` raises."""
        for _attempt in range(STATE_RETRIES - 1):
            run = await self._require_live(run_id)
            with contextlib.suppress(RunChanged):
                return await decide(run)
        return await decide(await self._require_live(run_id))

    async def _as_read_then_fresh(
        self, run: RunRecord, decide: Callable[[RunRecord], Awaitable[DecidedT]]
    ) -> DecidedT:
        """`decide(run)` on `run` as the caller read it, and when its compare-and-set finds
        the run changed, again on fresh reads (`_decide_fresh`, which raises as it says)."""
        with contextlib.suppress(RunChanged):
            return await decide(run)
        return await self._decide_fresh(run.id, decide)

    async def _save(self, run: RunRecord, **fields: Any) -> RunRecord:
        """Change `run` only if it is still as read (RunRepository.update_unchanged: step,
        state, deadlines, step state); the run as committed. Raises RunChanged when another
        process changed or ended it meanwhile (its cached copy is dropped, so the next read is
        fresh), ValueError for a field a run update may not change."""
        saved = await self._store.runs.update_unchanged(run, **fields)
        if saved is None:
            raise RunChanged()
        return saved

    async def _require_live(self, run_id: int) -> RunRecord:
        run = await self._store.runs.get(run_id)
        if run is None or not run.live:
            if run is not None:
                self._ended(run)  # ended by another process: noticed on this read
            raise NotFound(N_("That activity is no longer running."))
        return run

    # ------------------------------------------------- ended by another process

    def _forget_session(self, session_id: int) -> None:
        for run_id in self._memory.forget_session(session_id):
            self._anonymous_forget(run_id)

    def _sessions_ended_elsewhere(self, session_ids: tuple[int, ...]) -> None:
        """Another process ended these sessions (their runs were stopped with them)."""
        for session_id in session_ids:
            self._forget_session(session_id)

    async def _runs_changed_elsewhere(self, run_ids: tuple[int, ...] | None) -> None:
        """Another process changed these runs (None: perhaps any, the feed lost its connection):
        each one held here is read again, and dropped when it has ended. Raises
        StorageUnavailable when the store can't be read (the feed logs it)."""
        held = self._memory.held()
        for run_id in held if run_ids is None else [i for i in run_ids if i in held]:
            run = await self._store.runs.get(run_id)
            if run is None or not run.live:
                self._memory.forget_run(run_id, held[run_id])
                self._anonymous_forget(run_id)

    # --------------------------------------------------------------- moving on

    async def _draw(
        self, session_id: int, step: Any, step_index: int, state: Mapping[str, Any], now: float
    ) -> Drawn:
        """`state` with a fresh draw of each of the step's pools added (unchanged without
        pools), and what was drawn, to `_release` when the write that would show it is
        refused."""
        pools = pooled_fields(step)
        if not pools:
            return Drawn(dict(state), ())
        session = await self._store.sessions.get(session_id)
        guild_id, channel_id = (session.guild_id, session.channel_id) if session else (0, 0)
        drawn: dict[str, int] = {}
        made: list[PoolDraw] = []
        for path, pool in pools.items():
            size = len(pool.pool)
            key = pool_key(pool)
            drawn[path] = await self._store.pool_draws.draw(
                guild_id=guild_id,
                channel_id=channel_id,
                pool_key=key,
                pick=functools.partial(next_alternative, size=size),
                now=now,
            )
            made.append(PoolDraw(channel_id, key, drawn[path], now))
        earlier = state.get(POOL_STATE)
        kept = dict(earlier) if isinstance(earlier, Mapping) else {}
        return Drawn({**state, POOL_STATE: {**kept, str(step_index): drawn}}, tuple(made))

    async def _release(self, drawn: Drawn) -> None:
        """The draws were never shown (the run's write was refused: another process changed
        it): each is taken back from the channel's history, so a retry's own draw (or the
        other process's) is the only one counted. Raises StorageUnavailable."""
        for made in drawn.made:
            await self._store.pool_draws.release(
                channel_id=made.channel_id,
                pool_key=made.pool_key,
                alternative=made.alternative,
                drawn_at=made.drawn_at,
            )

    def _ended(self, run: RunRecord) -> None:
        """The run finished or was stopped: what was kept in memory for it goes."""
        self._memory.forget_run(run.id, run.session_id)
        self._anonymous_forget(run.id)

    async def _end(self, run: RunRecord, how: str, now: float) -> RunUpdate:
        """End the run at its step (`how`: "finished" or "stopped", the run's new state; `now`
        UTC seconds) and forget what was kept in memory for it, only if the run is still as
        read (the caller holds the run's lock). Raises RunChanged when another process changed
        it meanwhile (see `_save`)."""
        ended = await self._save(run, state=how, ended_at=now, wake_at=None)
        self._ended(ended)
        return RunUpdate(
            run=ended,
            exited_step=run.step_index,
            ended=how,
            exited_message_id=run.step_message_id,
        )

    async def _move_on(self, run: RunRecord, now: float, present: Sequence[int]) -> RunUpdate:
        """Leave the current step for the next one (or finish), only if the run is still as
        read (the caller holds the run's lock). Raises RunChanged when another process changed
        it meanwhile (see `_save`; the entered step's pool draws are released first)."""
        activity = self.definition(run)
        following = run.step_index + 1
        if following >= len(activity.steps):
            return await self._end(run, "finished", now)
        step = activity.steps[following]
        ctx = await self._step_context(run, step, present, now, state=False)
        wake = self.handler_for(step).enter(ctx)
        deadline = now + step.time_limit if step.time_limit else None
        earlier = self._memory.state(run).get(POOL_STATE)
        carried = {POOL_STATE: earlier} if isinstance(earlier, Mapping) else {}
        drawn = await self._draw(
            run.session_id, step, following, {**carried, **wake.state, WAKE_AT: wake.at}, now
        )
        try:
            moved = await self._save(
                run,
                step_index=following,
                step_started_at=now,
                step_deadline=deadline,
                paused_remaining=None,
                step_message_id=None,
                step_state=StepState(drawn.state).text(),
                wake_at=earliest(deadline, wake.at),
                state="running",
            )
        except RunChanged:
            await self._release(drawn)
            raise
        # Only once the step is left: a refused move may be decided again to stay (paused).
        self._anonymous_done(run.id, run.step_index)
        return RunUpdate(
            run=moved,
            exited_step=run.step_index,
            entered_step=following,
            exited_message_id=run.step_message_id,
        )

    def _anonymous_done(self, run_id: int, step_index: int) -> None:
        """The step ended: its anonymous-answer guard goes."""
        self._anonymous_answered.pop((run_id, step_index), None)

    def _anonymous_forget(self, run_id: int) -> None:
        """The run ended: the anonymous-answer guards of all its steps go."""
        for key in [key for key in self._anonymous_answered if key[0] == run_id]:
            del self._anonymous_answered[key]

    async def _apply_wake(self, run: RunRecord, wake: Wake, now: float) -> RunRecord:
        """Save a handler's new state and timer, only if the run is still as read; the
        runner's own keys (pool draws, a paused timer's remainder) are carried over. Raises
        RunChanged when another process changed the run meanwhile (see `_save`)."""
        state = dict(wake.state)
        state[WAKE_AT] = wake.at
        # The draws are the runner's, not the handler's: they outlive the handler's new state.
        before = StepState.of(run)
        for key in (POOL_STATE, ANOTHER_STATE):
            if key in before.values and key not in state:
                state[key] = before.values[key]
        if run.state == "paused" and wake.at != before.wake_at:
            # A new handler timer set during a pause (a press gave the floor to the next
            # speaker) starts its time at Resume, not with what the previous one had left.
            state.pop(WAKE_REMAINING, None)
            if wake.at is not None:
                state[WAKE_REMAINING] = max(0.0, wake.at - now)
        return await self._save(
            run,
            step_state=StepState(state).text(),
            wake_at=earliest(run.step_deadline, wake.at) if run.state == "running" else None,
        )

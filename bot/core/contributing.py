"""Members' contributions to a run's step: saved (committed) first, then the step may move on.

Part of `Runner` (bot/core/runner.py); the shared parts are in bot/core/step_moves.py.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping, Sequence
from typing import Any, NamedTuple

from bot.core.activity_fields import StepBase
from bot.core.errors import Conflict, NotFound
from bot.core.run_updates import ContributionOutcome, RunUpdate
from bot.core.step_moves import RunChanged, StepMoves
from bot.core.steps.base import BaseStepHandler, StepContext, StepHandler, everyone_answered_by
from bot.i18n import N_
from bot.records.sessions import ContributionRecord, NewContribution, RunRecord
from bot.store.contribution_job import Authors
from bot.store.runs import Also, Mirror, StepMoved

STEP_ENDED = N_("That step has already ended, so your answer wasn't saved.")


def _default_completion(handler: StepHandler[Any]) -> bool:
    """The handler completes a step when everyone present has answered (BaseStepHandler's rule)."""
    return getattr(type(handler), "is_complete", None) is BaseStepHandler.is_complete


def _stateful(handler: StepHandler[Any]) -> bool:
    """Each contribution changes the step's own state (after_contribution), e.g. lyric turns."""
    return getattr(type(handler), "after_contribution", None) is not (
        BaseStepHandler.after_contribution
    )


class Answering(NamedTuple):
    """A run's step as a moment's answers to it see it (see `Contributing.answering`)."""

    ctx: StepContext[StepBase]
    handler: StepHandler[Any]
    read_at_least: int | None
    """How many contributions the step needs before they are read back to see whether it is
    complete (0: always); None: never (a step the facilitator moves on)."""
    by_authors: bool
    """The default rule (everyone expected answered): the author ids are all it reads."""


class Contributing(StepMoves):
    """Saving contributions, with the guard that counts an anonymous answer once."""

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

        Raises NotFound when the run has ended, Conflict when the step has (or the member already
        answered an anonymous step), and the handler's InvalidInput for a refused contribution.
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
        meanwhile, NotFound when the run has ended (as `contribute` does). (Returns the
        coroutine to await rather than being one: a frame fewer per answer on the check-in
        burst's hot path.)"""
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

    async def answering(self, run: RunRecord, now: float, kinds: Sequence[str]) -> Answering | None:
        """For a caller writing many members' first contributions (of `kinds`, empty payloads)
        to `run`'s current step at once, e.g. CheckinService's burst: the step's context and
        rules, read once for all of them, at `now` (UTC seconds). None when they must go one
        at a time through `contribute_to`: the step's state changes with each contribution,
        it takes more than one per member, or its handler refuses one of `kinds`.

        The caller writes them with the run checked live at the step in the same transaction
        (as `contribute` does) and then calls `answered` once with the step as committed."""
        step = self.step(run)
        handler = self.handler_for(step)
        if _stateful(handler) or not handler.one_answer_per_member(step):
            return None
        ctx = await self._context(run, now)
        try:
            for kind in kinds:
                handler.accept(ctx, kind, {})
        except Exception:  # the handler's refusal reaches each member through contribute_to
            return None
        read_at_least = None
        by_authors = _default_completion(handler)
        if step.advance == "auto":
            # The default rule (everyone expected answered) needs one contribution each.
            read_at_least = len(ctx.expected) if by_authors else 0
        return Answering(ctx, handler, read_at_least, by_authors)

    async def answered(
        self, answering: Answering, step: Sequence[ContributionRecord] | Authors, now: float
    ) -> RunUpdate | None:
        """After a moment's contributions to a step committed: if `step` (every contribution of
        it as committed; with `answering.by_authors`, their author ids as `Authors`) completes
        it, the run moves on, once (give it to one caller only); the change, or None (not
        complete, or moved meanwhile); `now` is a UTC timestamp in seconds. Raises as `advance`
        may."""
        ctx = answering.ctx
        if answering.read_at_least is None or ctx.run.state != "running":
            return None
        if isinstance(step, Authors):
            complete = everyone_answered_by(ctx.expected, step.ids)
        else:
            complete = answering.handler.is_complete(ctx, step)
        if not complete:
            return None
        return await self._complete(ctx.run, now, ctx.present)

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
            new = NewContribution(
                run_id=run.id,
                step_index=step_index,
                author_id=None if anonymous else author_id,
                kind=kind,
                payload=clean,
                replace=one_answer and not anonymous,
                replaces=tuple(replaces),
                with_step=auto,
                # The default rule (everyone expected answered) needs one contribution each.
                step_at_least=len(ctx.expected) if _default_completion(handler) else 0,
            )
            added = await self._store.contributions.add_with(new, now, also=also, mirror=mirror)
        except BaseException as exc:
            if reserved:
                self._release_anonymous(run.id, step_index, author_id)
            if isinstance(exc, StepMoved):
                raise Conflict(STEP_ENDED) from None
            raise
        update: RunUpdate | None = None
        if locked:
            update = await self._follow(run, ctx, added.record, added.step, now)
        elif (
            auto
            and run.state == "running"
            and added.step is not None
            and handler.is_complete(ctx, added.step)
        ):
            # A step whose state doesn't follow its answers: only completion changes the run.
            update = await self._complete(run, now, ctx.present)
        return ContributionOutcome(
            record=added.record, replaced=added.replaced, update=update, also=added.also
        )

    async def _follow(
        self,
        run: RunRecord,
        ctx: StepContext[StepBase],
        record: ContributionRecord,
        step: Sequence[ContributionRecord] | None,
        now: float,
    ) -> RunUpdate | None:
        """After an answer to a stateful step saved (the caller holds the run's lock; `run` and
        `ctx` as read before the answer; `step` the step's contributions as committed, None
        when not read): the handler's change, then the move on when it completes the step,
        each a compare-and-set on the run as read. A lost race is decided again on a fresh
        read, where the handler's change applies only while the answer's turn is still
        current (`StepHandler.still_applies`: else the other process has moved the turn on and
        nothing is left to do) and the move only if the step is (still) complete. None when
        the run doesn't move on (also: it ended, or kept changing: the answer is in, and the
        next timer or answer reads the run again)."""
        step_index = run.step_index

        async def apply(current: RunRecord) -> RunRecord | None:
            if current.step_index != step_index:
                return None
            seen = ctx if current is run else await self._context(current, now)
            handler = self.handler_for(seen.step)
            if not handler.still_applies(seen, record):
                return current
            wake = handler.after_contribution(seen, record)
            if wake is None:
                return current
            return await self._apply_wake(current, wake, now)

        async def move(current: RunRecord) -> RunUpdate | None:
            if current.step_index != step_index or current.state != "running" or step is None:
                return None
            seen = await self._context(current, now)
            if seen.step.advance != "auto":
                return None
            if not self.handler_for(seen.step).is_complete(seen, step):
                return None
            return await self._move_on(current, now, seen.present)

        try:
            applied = await self._as_read_then_fresh(run, apply)
            if applied is None:
                return None
            return await self._as_read_then_fresh(applied, move)
        except (NotFound, RunChanged):
            return None

    def _release_anonymous(self, run_id: int, step_index: int, author_id: int) -> None:
        """Their write failed: they may answer again (and an emptied entry goes)."""
        answered = self._anonymous_answered.get((run_id, step_index))
        if answered is not None:
            answered.discard(author_id)
            if not answered:
                del self._anonymous_answered[(run_id, step_index)]

    def forget_member(self, user_id: int) -> None:
        """Also: the member leaves the anonymous-answer guard (their answers are not linked to
        them any more), so they may answer an open anonymous step once more."""
        super().forget_member(user_id)
        for key, answered in list(self._anonymous_answered.items()):
            answered.discard(user_id)
            if not answered:
                del self._anonymous_answered[key]

    async def _complete(
        self, run: RunRecord, now: float, present: Sequence[int]
    ) -> RunUpdate | None:
        """Everyone has answered: move on, unless something else moved, paused or ended the run
        meanwhile (also another process: the move is a compare-and-set on the run as read,
        decided again on a fresh read)."""
        async with self._lock(run.id):
            try:
                return await self._decide_fresh(
                    run.id, lambda current: self._complete_at(current, run.step_index, now, present)
                )
            except (NotFound, RunChanged):
                return None

    async def _complete_at(
        self, run: RunRecord, step_index: int, now: float, present: Sequence[int]
    ) -> RunUpdate | None:
        if run.step_index != step_index or run.state != "running":
            return None
        return await self._move_on(run, now, present)

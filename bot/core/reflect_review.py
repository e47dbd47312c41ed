"""Reviewed sharing on a reflect step (`review: facilitator`): the facilitator reads the shared
answers privately, without their authors, may hold one back, and releases the rest.

What was held back and whether the answers were released is kept in the run's step state as the
reflect kind's `ReflectState` (under `REVIEW_STATE`: ``{"held": [contribution ids], "released":
bool}``), so a restart keeps it. The answer itself stores no author; to tell the author of an
anonymous answer privately that it was held back (or removed after the release), the link from
answer to member is stored apart, in `review_authors` (`bot/store/review_authors.py`), written
in the same commit as the answer. It is shown to nobody and never logged, and it goes as soon as
it has served: taken when the author is told, deleted with /forget and by the daily retention
job once the step has ended. So a restart keeps it, and the author is still told.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from bot.core.clock import Clock, timestamp
from bot.core.errors import Conflict, NotFound
from bot.core.runner import Runner
from bot.core.step_state import StepState
from bot.core.steps.reflect import ReflectState, ReflectStep
from bot.i18n import N_
from bot.records.sessions import RunRecord
from bot.store.contribution_job import Mirror
from bot.store.store import Store

T = TypeVar("T")

STEP_ENDED = N_("That step has ended.")


@dataclass(frozen=True, slots=True)
class SharedAnswer:
    """One shared answer as the facilitator reviews it: its id and words, never its author."""

    contribution_id: int
    text: str
    held_back: bool


@dataclass(frozen=True, slots=True)
class Review:
    """A reviewed step's shared answers (oldest first) and whether they were released."""

    answers: tuple[SharedAnswer, ...]
    released: bool

    @property
    def shown(self) -> list[SharedAnswer]:
        """The answers the group sees on release: all but those held back."""
        return [a for a in self.answers if not a.held_back]


def review_state(run: RunRecord) -> ReflectState:
    """The facilitator's review in a reflect step's state: held-back answers and whether they were
    released (nothing held, not released when there is no review yet). Raises ValueError for a
    corrupt step state."""
    return StepState.of(run).kind(ReflectState)


class ReflectReview:
    """The facilitator's review of shared reflections; no Discord here."""

    def __init__(self, store: Store, runner: Runner, clock: Clock) -> None:
        self._store = store
        self._runner = runner
        self._clock = clock

    def author_link(self, guild_id: int, user_id: int) -> Mirror:
        """For `Runner.contribute(mirror=...)` of a shared answer on a reviewed step: who wrote
        it, stored with it when it is anonymous (see the module doc), so they can be told."""
        return self._store.review_authors.link(guild_id, user_id, timestamp(self._clock))

    @staticmethod
    def _with(run: RunRecord, review: ReflectState) -> StepState:
        """The run's step state with `review` in it (every other key as it was)."""
        return StepState.of(run).with_values(review.stored())

    def _check_reviewed(self, run: RunRecord, step_index: int) -> ReflectStep:
        """The reviewed step `run` is at. Raises Conflict when it has moved on from
        `step_index` or ended, or the step's answers aren't reviewed."""
        if not run.live or run.step_index != step_index:
            raise Conflict(STEP_ENDED)
        step = self._runner.step(run)
        if not isinstance(step, ReflectStep) or step.review != "facilitator":
            raise Conflict(N_("This step's answers aren't reviewed; they are shared when it ends."))
        return step

    async def _reviewed_run(self, run_id: int, step_index: int) -> tuple[RunRecord, ReflectStep]:
        run = await self._store.runs.get(run_id)
        if run is None:
            raise Conflict(STEP_ENDED)
        return run, self._check_reviewed(run, step_index)

    async def _change(self, run_id: int, decide: Callable[[RunRecord], Awaitable[T]]) -> T:
        """`decide` on the run as committed, holding it; its write is a compare-and-set on the
        run as read (`Runner.save_state`), decided again on a fresh read when another process
        changed the run meanwhile (another facilitator's hold-back or release, a pause, a
        timer). Raises Conflict when the step ended (also meanwhile), RunChanged (a
        Conflict) when the run kept changing, and what `decide` raises."""
        async with self._runner.holding([run_id]):
            try:
                return await self._runner.decide_state(run_id, decide)
            except NotFound:
                raise Conflict(STEP_ENDED) from None

    async def review(self, run_id: int, step_index: int) -> Review:
        """The shared answers so far, without authors. Raises Conflict when the step ended."""
        run, _ = await self._reviewed_run(run_id, step_index)
        return await self._review(run)

    async def _review(self, run: RunRecord) -> Review:
        state = review_state(run)
        held = set(state.held)
        contributions = await self._store.contributions.for_step(run.id, run.step_index)
        answers = tuple(
            SharedAnswer(c.id, str(c.payload.get("text", "")), c.id in held)
            for c in sorted(contributions, key=lambda c: (c.created_at, c.id))
            if c.payload.get("shared")
        )
        return Review(answers=answers, released=state.released)

    async def hold_back(
        self, run_id: int, step_index: int, contribution_id: int
    ) -> tuple[Review, int | None]:
        """Hold one shared answer back, or after the release remove it from what was posted; the
        review after it and the member to tell privately (None when nobody can be: an answer
        already held back, or whose author used /forget).

        Raises Conflict when the step ended or the answer isn't among its shared answers.
        """

        async def decide(run: RunRecord) -> tuple[Review, int | None]:
            self._check_reviewed(run, step_index)
            before = await self._review(run)
            found = [a for a in before.answers if a.contribution_id == contribution_id]
            if not found:
                raise Conflict(N_("That answer isn't among this step's shared answers any more."))
            if found[0].held_back:
                return before, None
            review = review_state(run)
            held = replace(review, held=(*review.held, contribution_id))
            updated = await self._runner.save_state(run, self._with(run, held))
            contributions = await self._store.contributions.for_step(run.id, step_index)
            author = next((c.author_id for c in contributions if c.id == contribution_id), None)
            if author is None:
                author = await self._store.review_authors.take(contribution_id)
            return await self._review(updated), author

        return await self._change(run_id, decide)

    async def release(self, run_id: int, step_index: int) -> Review:
        """Release the answers not held back (once). Raises Conflict when already released or
        the step ended."""

        async def decide(run: RunRecord) -> Review:
            self._check_reviewed(run, step_index)
            review = review_state(run)
            if review.released:
                raise Conflict(N_("These answers were already released."))
            released = replace(review, released=True)
            return await self._review(await self._runner.save_state(run, self._with(run, released)))

        return await self._change(run_id, decide)

    async def remember_posts(self, run_id: int, step_index: int, message_ids: list[int]) -> None:
        """The channel messages the release posted, so a removal after it can edit them. Raises
        Conflict when the step has ended or isn't reviewed."""

        async def decide(run: RunRecord) -> None:
            self._check_reviewed(run, step_index)
            posted = replace(review_state(run), posts=tuple(message_ids))
            await self._runner.save_state(run, self._with(run, posted))

        await self._change(run_id, decide)

    async def posts(self, run_id: int, step_index: int) -> list[int]:
        """The messages the release posted (empty before it). Raises Conflict when the step has
        ended or isn't reviewed."""
        run, _ = await self._reviewed_run(run_id, step_index)
        return list(review_state(run).posts or ())

    async def authors_shown(
        self, guild_id: int, run_id: int, step_index: int, review: Review
    ) -> dict[int, str | None]:
        """For a released step that isn't anonymous: each shown answer's author's name by
        answer id (the member chose to share with their name); None where nobody is stored."""
        wanted = {a.contribution_id for a in review.shown}
        contributions = [
            c
            for c in await self._store.contributions.for_step(run_id, step_index)
            if c.id in wanted
        ]
        ids = sorted({c.author_id for c in contributions if c.author_id is not None})
        names = await self._store.members.names(guild_id, ids)
        return {
            c.id: names.get(c.author_id) if c.author_id is not None else None for c in contributions
        }

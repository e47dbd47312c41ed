"""ReflectReview without Discord: the facilitator sees the shared answers without authors, holds
one back (its anonymous author found once, through the link stored apart), releases the rest
once; the step state keeps it all (a real store on both engines)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.core.activities import Activity
from bot.core.errors import Conflict
from bot.core.reflect_review import ReflectReview, review_state
from bot.core.runner import Runner
from bot.core.session import SessionService
from bot.core.step_state import StepState
from bot.core.steps import step_handlers
from bot.core.steps.reflect import REVIEW_STATE, ReflectState
from bot.store.store import Store
from tests.core.runner_setup import stopped_at

GUILD, CHANNEL, FAY, ANA, BEN, CAI = 1, 2, 3, 11, 12, 13


def reflect_step(**fields: Any) -> dict[str, Any]:
    return {"type": "reflect", "title": "Reflect", "question": "What stays with you?", **fields}


def activity(step: dict[str, Any]) -> Activity:
    return Activity.model_validate(
        {
            "id": "review-test",
            "title": "Review test",
            "summary": "s",
            "version": 1,
            "duration_minutes": 5,
            "steps": [step, {"type": "prompt", "title": "After", "text": "Thanks."}],
        }
    )


clock = stopped_at(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


async def started(
    store: Store, step: dict[str, Any], channel: int = CHANNEL
) -> tuple[Runner, ReflectReview, int]:
    runner = Runner(store, clock, step_handlers())
    sessions = SessionService(store, clock)
    session = await sessions.open(
        guild_id=GUILD, channel_id=channel, title="Circle", facilitator_id=FAY
    )
    for member in (ANA, BEN, CAI):
        await sessions.join(session, member, f"member {member}")
    update = await runner.start(session.id, activity(step))
    return runner, ReflectReview(store, runner, clock), update.run.id


async def answer(
    runner: Runner, review: ReflectReview, run_id: int, who: int, text: str, *, shared: bool
) -> int:
    outcome = await runner.contribute(
        run_id,
        0,
        who,
        "reflection",
        {"text": text, "shared": shared},
        anonymous=True,
        mirror=review.author_link(GUILD, who) if shared else None,
    )
    return outcome.record.id


async def test_the_review_shows_shared_answers_only_and_never_their_authors(store: Store) -> None:
    runner, review, run_id = await started(
        store, reflect_step(anonymous=True, review="facilitator")
    )
    first = await answer(runner, review, run_id, ANA, "The low notes", shared=True)
    await answer(runner, review, run_id, BEN, "Just for me", shared=False)
    second = await answer(runner, review, run_id, CAI, "Calmer now", shared=True)
    seen = await review.review(run_id, 0)
    assert [(a.contribution_id, a.text, a.held_back) for a in seen.answers] == [
        (first, "The low notes", False),
        (second, "Calmer now", False),
    ]
    assert not seen.released and seen.shown == list(seen.answers)


async def test_holding_back_tells_the_anonymous_author_once_and_release_skips_it(
    store: Store,
) -> None:
    runner, review, run_id = await started(
        store, reflect_step(anonymous=True, review="facilitator")
    )
    kept = await answer(runner, review, run_id, ANA, "The low notes", shared=True)
    held = await answer(runner, review, run_id, CAI, "Something too personal", shared=True)
    after, author = await review.hold_back(run_id, 0, held)
    assert author == CAI  # the link stored apart, taken now
    assert [a.contribution_id for a in after.shown] == [kept]
    # Holding it back again tells nobody again.
    again, nobody = await review.hold_back(run_id, 0, held)
    assert nobody is None and again == after
    with pytest.raises(Conflict, match="isn't among this step's shared answers"):
        await review.hold_back(run_id, 0, held + 100)
    released = await review.release(run_id, 0)
    assert released.released and [a.contribution_id for a in released.shown] == [kept]
    with pytest.raises(Conflict, match="already released"):
        await review.release(run_id, 0)
    await review.remember_posts(run_id, 0, [555, 556])
    assert await review.posts(run_id, 0) == [555, 556]
    run = await store.runs.get(run_id)
    assert run is not None
    assert review_state(run) == ReflectState(held=(held,), released=True, posts=(555, 556))
    # Stored as before the typed state: runs already in databases read back the same.
    stored = StepState.of(run).values[REVIEW_STATE]
    assert stored == {"held": [held], "released": True, "posts": [555, 556]}


async def test_names_are_shown_on_release_only_for_a_step_that_is_not_anonymous(
    store: Store,
) -> None:
    runner, review, run_id = await started(store, reflect_step(review="facilitator"))
    outcome = await runner.contribute(
        run_id, 0, ANA, "reflection", {"text": "Warm", "shared": True}
    )
    released = await review.release(run_id, 0)
    names = await review.authors_shown(GUILD, run_id, 0, released)
    assert names == {outcome.record.id: f"member {ANA}"}


async def test_a_step_without_review_or_one_that_ended_is_refused(store: Store) -> None:
    runner, review, run_id = await started(store, reflect_step())
    with pytest.raises(Conflict, match="aren't reviewed"):
        await review.review(run_id, 0)
    runner, review, run_id = await started(
        store, reflect_step(review="facilitator"), channel=CHANNEL + 1
    )
    await runner.advance(run_id, 0, by_facilitator=True)
    with pytest.raises(Conflict, match="That step has ended"):
        await review.release(run_id, 0)
    with pytest.raises(Conflict, match="That step has ended"):
        await review.posts(run_id, 0)

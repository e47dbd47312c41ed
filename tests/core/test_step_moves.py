"""bot/core/step_moves.py, what every part of the runner shares: a run's steps as shown, the
handler of a step's kind, the live-run look-ups a button or command makes, and holding runs
still. Runs are started by a real Runner on the shared two-engine store."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.activities import Activity
from bot.core.errors import Conflict, NotFound
from bot.core.run_memory import SessionFacts
from bot.core.runner import Runner
from bot.core.step_moves import STATE_RETRIES, RunChanged, StepMoves
from bot.core.steps import step_handlers
from bot.core.steps.prompt import PromptStep
from bot.core.steps.reflect import ReflectStep
from bot.records.sessions import RunRecord
from bot.store.store import Store
from tests.core.runner_setup import ACTIVITY, Clock, activity, session

POOLED = {
    **ACTIVITY,
    "id": "pooled",
    "steps": [
        {"type": "prompt", "title": "Read", "text": {"pool": ["One", "Two"]}},
        {"type": "reflect", "title": "Say", "question": "q?"},
    ],
}


def moves_of(store: Store, clock: Clock) -> StepMoves:
    return StepMoves(store, clock, step_handlers())


async def started(runner: Runner, store: Store, chosen: Activity | None = None) -> RunRecord:
    s = await session(store, 5)
    return (await runner.start(s.id, chosen or activity())).run


async def test_a_runs_steps_are_those_of_its_activity_as_started(
    store: Store, clock: Clock
) -> None:
    runner = Runner(store, clock, step_handlers())
    run = await started(runner, store)
    moves = moves_of(store, clock)
    assert moves.definition(run).id == "core-test"
    assert isinstance(moves.step(run), PromptStep)
    assert isinstance(moves.step_at(run, 1), ReflectStep)
    assert moves.step_as(run, PromptStep).title == "Read"
    with pytest.raises(Conflict, match="That step has ended"):
        moves.step_as(run, ReflectStep)  # a button of a step the run has left
    assert not moves.has_pools(run)


async def test_a_pooled_step_is_shown_with_the_text_drawn(store: Store, clock: Clock) -> None:
    runner = Runner(store, clock, step_handlers())
    pooled = Activity.model_validate({**POOLED, "version_hash": "pooled"})
    run = await started(runner, store, pooled)
    moves = moves_of(store, clock)
    assert moves.has_pools(run)
    shown = moves.step_as(run, PromptStep).text
    assert shown in ("One", "Two")
    assert moves.step(run).text == shown  # the same draw each time it is shown


async def test_a_kind_without_a_handler_is_refused(store: Store, clock: Clock) -> None:
    handlers = step_handlers()
    prompt_only = StepMoves(store, clock, {"prompt": handlers["prompt"]})
    steps = activity().steps
    assert prompt_only.handler_for(steps[0]) is handlers["prompt"]
    with pytest.raises(Conflict, match="can't run 'reflect' steps yet"):
        prompt_only.handler_for(steps[1])


async def test_the_live_run_is_looked_up_as_a_button_names_it(store: Store, clock: Clock) -> None:
    runner = Runner(store, clock, step_handlers())
    run = await started(runner, store)
    moves = moves_of(store, clock)
    assert await moves.live_run(run.session_id) == run
    assert await moves.running(run.session_id) == run
    assert await moves.live_at(run.session_id, run.id, 0) == run
    with pytest.raises(Conflict, match="That step has ended"):
        await moves.live_at(run.session_id, run.id, 1)
    with pytest.raises(Conflict, match="That step has ended"):
        await moves.live_at(run.session_id, run.id + 1, 0)
    await runner.stop(run.id)
    assert await moves.live_run(run.session_id) is None
    with pytest.raises(NotFound, match="Start one with /activity start"):
        await moves.running(run.session_id)
    with pytest.raises(Conflict, match="That step has ended"):
        await moves.live_at(run.session_id, run.id, 0)


async def test_holding_runs_keeps_their_locks_until_released(store: Store, clock: Clock) -> None:
    moves = moves_of(store, clock)
    assert moves.locks_held == 0
    entered = asyncio.Event()
    release = asyncio.Event()

    async def hold() -> None:
        async with moves.holding([3, 1]):
            entered.set()
            await release.wait()

    holder = asyncio.create_task(hold())
    await entered.wait()
    assert moves.locks_held == 2
    second = asyncio.create_task(hold())
    await asyncio.sleep(0)
    assert not second.done()  # waits for the first holder
    release.set()
    await asyncio.gather(holder, second)
    assert moves.locks_held == 0


async def test_a_forgotten_member_is_dropped_from_memory(store: Store, clock: Clock) -> None:
    runner = Runner(store, clock, step_handlers())
    run = await started(runner, store)
    # Looked up once when the run started: the session's facilitator (9) and server.
    assert runner.memory.session(run.session_id) == SessionFacts(9, 1)
    runner.forget_member(5)
    assert runner.memory.session(run.session_id) == SessionFacts(9, 1)
    runner.forget_member(9)  # /forget by the facilitator: read again, as anonymised
    assert runner.memory.session(run.session_id) is None


def test_a_refused_compare_and_set_says_to_try_again() -> None:
    assert STATE_RETRIES >= 2
    changed = RunChanged()
    assert isinstance(changed, Conflict)
    assert changed.message == "The activity has just changed; try again."

"""Deadlines and handler timers (bot/core/step_timers.py); a real store on each engine, a
hand-moved clock."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.core.activities import Activity
from bot.core.errors import Conflict
from bot.core.runner import Runner
from bot.core.step_timers import FAILED_WAKE_HOLD
from bot.core.steps import step_handlers
from bot.core.steps.base import StepContext, Wake
from bot.core.steps.reflect import ReflectHandler, ReflectStep
from bot.i18n import N_
from bot.store.store import Store
from tests.core.runner_setup import ACTIVITY, Clock, activity, session


@pytest.fixture
def runner(store: Store, clock: Clock) -> Runner:
    return Runner(store, clock, step_handlers())


async def test_deadlines_pause_extend_and_wake(runner: Runner, store: Store, clock: Clock) -> None:
    s = await session(store, 1)
    run = (await runner.start(s.id, activity())).run
    advanced = await runner.advance(run.id, 0)
    assert advanced is not None
    run = advanced.run
    start = clock().timestamp()
    assert run.step_deadline == start + 60
    assert await runner.next_wake() == start + 60
    clock.tick(20)
    paused = (await runner.pause(run.id)).run
    assert paused.state == "paused" and paused.paused_remaining == 40
    assert await runner.next_wake() is None
    with pytest.raises(Conflict):
        await runner.pause(run.id)
    clock.tick(500)
    assert await runner.wake_due() == []
    extended = (await runner.extend(run.id, 120)).run
    assert extended.paused_remaining == 160
    resumed = (await runner.resume(run.id)).run
    assert resumed.step_deadline == clock().timestamp() + 160
    clock.tick(159)
    assert await runner.wake_due() == []
    clock.tick(2)
    woken = await runner.wake_due()
    assert len(woken) == 1 and woken[0].entered_step == 2


async def test_facilitator_step_waits_after_time_is_up(
    runner: Runner, store: Store, clock: Clock
) -> None:
    s = await session(store, 1)
    run = (await runner.start(s.id, activity())).run
    await runner.advance(run.id, 0)
    await runner.advance(run.id, 1)
    clock.tick(31)
    woken = await runner.wake_due()
    assert len(woken) == 1 and woken[0].time_up and woken[0].run.step_index == 2
    assert await runner.next_wake() is None  # nothing more to wake for
    assert await runner.wake_due() == []


class PoisonReflect(ReflectHandler):
    """A reflect step that cannot be entered when it is titled "Poison"."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.entered_poison = 0

    def enter(self, ctx: StepContext[ReflectStep]) -> Wake:
        if ctx.step.title == "Poison":
            self.entered_poison += 1
            raise self.error
        return super().enter(ctx)


def poisoned_activity() -> Activity:
    """ACTIVITY with a shorter auto step (due first) before a step that cannot be entered."""
    steps: list[dict[str, Any]] = [dict(step) for step in ACTIVITY["steps"]]  # type: ignore[attr-defined]
    steps[1]["time_limit"] = 30
    steps[2]["title"] = "Poison"
    return Activity.model_validate(
        {**ACTIVITY, "id": "poisoned", "steps": steps, "version_hash": "def"}
    )


@pytest.mark.parametrize(
    ("error", "level"),
    [
        (RuntimeError("a bug in a step kind"), logging.ERROR),
        (Conflict(N_("That step has ended.")), logging.WARNING),
    ],
)
async def test_a_run_whose_wake_raises_does_not_stop_the_others(
    store: Store, clock: Clock, caplog: pytest.LogCaptureFixture, error: Exception, level: int
) -> None:
    """The poisoned run is due first; the healthy run after it still moves on, the failure is
    logged with the run's id, and the poisoned run is held, not retried at once."""
    poison = PoisonReflect(error)
    runner = Runner(store, clock, {**step_handlers(), "reflect": poison})
    first, second = await session(store, 1), await session(store, 2, channel_id=3)
    poisoned = (await runner.start(first.id, poisoned_activity())).run
    healthy = (await runner.start(second.id, activity())).run
    for run in (poisoned, healthy):
        assert await runner.advance(run.id, 0) is not None
    clock.tick(61)
    now = clock().timestamp()

    with caplog.at_level(logging.WARNING, logger="bot.core.step_timers"):
        woken = await runner.wake_due()

    assert [(u.run.id, u.run.step_index) for u in woken] == [(healthy.id, 2)]
    assert poison.entered_poison == 1
    failures = [r for r in caplog.records if f"run {poisoned.id}:" in r.getMessage()]
    assert [r.levelno for r in failures] == [level]
    assert (failures[0].exc_info is not None) == (level == logging.ERROR)
    stuck = await store.runs.get(poisoned.id)
    assert stuck is not None and stuck.step_index == 1 and stuck.state == "running"
    # Held: not due again at once, and the timer sleeps until the hold lapses.
    assert poisoned.id not in [u.run.id for u in await runner.wake_due()]
    assert poison.entered_poison == 1
    next_wake = await runner.next_wake()
    assert next_wake is not None and next_wake > now  # the timer does not fire again at once
    # Tried again when the hold lapses, then held twice as long.
    for seconds, tries in (
        (FAILED_WAKE_HOLD - 1, 1),
        (1, 2),
        (FAILED_WAKE_HOLD, 2),
        (FAILED_WAKE_HOLD, 3),
    ):
        clock.tick(seconds)
        assert poisoned.id not in [u.run.id for u in await runner.wake_due()]
        assert poison.entered_poison == tries

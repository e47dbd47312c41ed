"""Deadlines and handler timers (bot/core/step_timers.py); a real store on each engine, a
hand-moved clock."""

from __future__ import annotations

import pytest

from bot.core.errors import Conflict
from bot.core.runner import Runner
from bot.core.steps import step_handlers
from bot.store.store import Store
from tests.core.runner_setup import Clock, activity, session


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

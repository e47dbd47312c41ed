"""A run's check-in step as the check-in services read it (`CheckinSteps`): live at its index
only, its session, its scale also after it ended. A real store on each engine."""

from __future__ import annotations

import pytest

from bot.core.checkin_steps import CheckinSteps
from bot.core.errors import Conflict
from bot.core.runner import Runner
from bot.store.store import Store
from tests.core.checkin_setup import GUILD, clock, start_run


async def test_only_the_live_checkin_step_is_answered_and_its_scale_stays_readable(
    store: Store, runner: Runner
) -> None:
    steps = CheckinSteps(store, clock, runner)
    run_id = await start_run(store, runner)
    session, step = await steps.step_of(run_id, 0)
    assert session.guild_id == GUILD and step.question == "How are you arriving?"
    with pytest.raises(Conflict, match="That check-in has ended"):
        await steps.step_of(run_id, 1)  # not the run's step
    with pytest.raises(Conflict, match="That check-in has ended"):
        await steps.step_of(run_id + 1000, 0)  # no such run
    assert await runner.advance(run_id, 0) is not None  # on to the prompt step
    moved = await store.runs.get(run_id)
    with pytest.raises(Conflict, match="That step isn't a check-in"):
        steps.live_step(moved, 1)
    scale = await steps.step_scale(run_id, 0)  # the check-in has ended: its scale is kept
    assert scale is not None and scale.kind == "0-10"
    assert await steps.step_scale(run_id, 1) is None  # a prompt
    assert await steps.step_scale(run_id, 7) is None  # no such step
    assert await steps.step_scale(run_id + 1000, 0) is None

"""The base of the services that read runs (`RunService`; listening's and lyrics' `StepService`
is one): the time they read and the runs a step's cog looks up, live or ended (a real store on
both engines)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.activities import Activity
from bot.core.run_service import RunService
from bot.core.runner import Runner
from bot.core.session import SessionService
from bot.core.step_service import StepService
from bot.core.steps import step_handlers
from bot.store.store import Store
from tests.core.runner_setup import stopped_at

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ACTIVITY = {
    "id": "step-service-test",
    "title": "Step service test",
    "summary": "s",
    "version": 1,
    "duration_minutes": 5,
    "steps": [{"type": "prompt", "title": "One", "text": "hello"}],
}


clock = stopped_at(NOW)


async def test_runs_are_found_live_or_ended_and_only_live_ones_are_listed(store: Store) -> None:
    runner = Runner(store, clock, step_handlers())
    service = StepService(store, clock, runner, lambda guild_id: "de")
    sessions = SessionService(store, clock)
    runs = []
    for channel in (2, 3):
        session = await sessions.open(
            guild_id=1, channel_id=channel, title="Circle", facilitator_id=9
        )
        runs.append((await runner.start(session.id, Activity.model_validate(ACTIVITY))).run)
    assert {r.id for r in await service.live_runs()} == {r.id for r in runs}
    await runner.advance(runs[0].id, 0, by_facilitator=True)  # the last step: the run ends
    ended = await service.run(runs[0].id)
    assert ended is not None and not ended.live
    assert [r.id for r in await service.live_runs()] == [runs[1].id]
    assert await service.run(runs[1].id + 100) is None


def test_the_time_is_the_clocks_and_a_step_service_reads_it_the_same_way(store: Store) -> None:
    runner = Runner(store, clock, step_handlers())
    step_service = StepService(store, clock, runner, lambda guild_id: "de")
    assert isinstance(step_service, RunService)
    assert RunService(store, clock, runner).now() == step_service.now() == NOW.timestamp()

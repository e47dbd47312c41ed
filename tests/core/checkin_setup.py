"""The check-in service's test set-up, shared by tests/core/test_checkin_*.py: a check-in
activity, a stopped clock and a run started at its check-in step (the `runner` and `service`
fixtures built on them are in tests/core/conftest.py)."""

from __future__ import annotations

from bot.core.activities import Activity
from bot.core.runner import Runner
from bot.records.sessions import NewSession
from bot.store.store import Store
from tests.core.runner_setup import stopped_at
from tests.engines import TestDatabase, rows_outside

GUILD = 1
ACTIVITY = {
    "id": "checkin-service-test",
    "title": "Check-in service test",
    "summary": "s",
    "version": 1,
    "duration_minutes": 5,
    "steps": [
        {
            "type": "checkin",
            "title": "Arriving",
            "question": "How are you arriving?",
            "scale": "0-10",
            "phase": "before",
            "measure": "mood",
            "time_limit": 180,
            "advance": "auto",
        },
        {"type": "prompt", "title": "Read", "text": "hello"},
    ],
}


clock = stopped_at()


async def start_run(store: Store, runner: Runner) -> int:
    """A run at its check-in step with four members present (so one answer doesn't end it)."""
    session = await store.sessions.create(
        NewSession(
            guild_id=GUILD, channel_id=2, voice_channel_id=None, title="t", facilitator_id=9
        ),
        0.0,
    )
    for member in (1, 2, 3, 4):
        await store.sessions.join(session.id, member, 0.0)
    activity = Activity.model_validate({**ACTIVITY, "version_hash": "abc"})
    started = await runner.start(session.id, activity)
    return started.run.id


async def contributions(engine: TestDatabase, run_id: int) -> list[tuple[object, ...]]:
    return await rows_outside(
        engine,
        "SELECT step_index, author_id, kind FROM contributions WHERE run_id = ? ORDER BY id",
        run_id,
    )


async def checkins(engine: TestDatabase) -> list[tuple[object, ...]]:
    return await rows_outside(engine, "SELECT user_id, value, passed FROM checkins ORDER BY id")

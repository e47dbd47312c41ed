"""The step state machine without Discord: a real store, a hand-moved clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import default_step_handlers
from bot.core.activities import Activity
from bot.core.errors import Conflict, InvalidInput
from bot.core.runner import Runner
from bot.store.records import SessionRecord
from bot.store.store import Store

ACTIVITY = {
    "id": "core-test",
    "title": "Core test",
    "summary": "s",
    "version": 1,
    "duration_minutes": 5,
    "steps": [
        {"type": "prompt", "title": "Read", "text": "hello"},
        {"type": "reflect", "title": "Say", "question": "q?", "time_limit": 60, "advance": "auto"},
        {"type": "reflect", "title": "Again", "question": "q?", "time_limit": 30},
    ],
}


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    s = Store(tmp_path / "c.db")
    await s.open()
    yield s
    await s.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def runner(store: Store, clock: Clock) -> Runner:
    return Runner(store, clock, default_step_handlers())


async def session(store: Store, *members: int) -> SessionRecord:
    s = await store.sessions.create(
        guild_id=1, channel_id=2, voice_channel_id=None, title="t", facilitator_id=9, now=0.0
    )
    for m in members:
        await store.sessions.join(s.id, m, 0.0)
    return s


def activity() -> Activity:
    return Activity.model_validate({**ACTIVITY, "version_hash": "abc"})


async def test_start_next_and_finish(runner: Runner, store: Store) -> None:
    s = await session(store, 1, 2)
    started = await runner.start(s.id, activity())
    assert started.entered_step == 0 and started.run.step_deadline is None
    with pytest.raises(Conflict):
        await runner.start(s.id, activity())
    moved = await runner.advance(started.run.id, 0)
    assert moved is not None and moved.entered_step == 1 and moved.exited_step == 0
    # A double-clicked Next for the same step does nothing the second time.
    assert await runner.advance(started.run.id, 0) is None
    await runner.advance(started.run.id, 1)
    done = await runner.advance(started.run.id, 2)
    assert done is not None and done.ended == "finished" and done.run.state == "finished"


async def test_auto_step_moves_on_when_everyone_answered(runner: Runner, store: Store) -> None:
    s = await session(store, 1, 2)
    run = (await runner.start(s.id, activity())).run
    await runner.advance(run.id, 0)
    first = await runner.contribute(run.id, 1, 1, "reflection", {"text": "calm"})
    assert first.update is None and not first.replaced
    again = await runner.contribute(run.id, 1, 1, "reflection", {"text": "calmer"})
    assert again.replaced and again.update is None
    rows = await store.contributions.for_step(run.id, 1)
    assert [r.payload["text"] for r in rows] == ["calmer"]
    last = await runner.contribute(run.id, 1, 2, "reflection", {"text": "ok"})
    assert last.update is not None and last.update.entered_step == 2
    with pytest.raises(Conflict, match="already ended"):
        await runner.contribute(run.id, 1, 2, "reflection", {"text": "late"})


async def test_bad_contributions_are_refused(runner: Runner, store: Store) -> None:
    s = await session(store, 1)
    run = (await runner.start(s.id, activity())).run
    with pytest.raises(InvalidInput):
        await runner.contribute(run.id, 0, 1, "reflection", {"text": "x"})
    await runner.advance(run.id, 0)
    with pytest.raises(InvalidInput, match="empty"):
        await runner.contribute(run.id, 1, 1, "reflection", {"text": "  \u200b "})


async def test_deadlines_pause_extend_and_wake(runner: Runner, store: Store, clock: Clock) -> None:
    s = await session(store, 1)
    run = (await runner.start(s.id, activity())).run
    run = (await runner.advance(run.id, 0)).run  # type: ignore[union-attr]
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


async def test_anonymous_answers_store_no_id_and_cannot_be_repeated(
    runner: Runner, store: Store
) -> None:
    s = await session(store, 1, 2)
    run = (await runner.start(s.id, activity())).run
    await runner.advance(run.id, 0)
    await runner.contribute(run.id, 1, 1, "reflection", {"text": "hidden"}, anonymous=True)
    with pytest.raises(Conflict, match="anonymous"):
        await runner.contribute(run.id, 1, 1, "reflection", {"text": "again"}, anonymous=True)
    rows = await store.contributions.for_step(run.id, 1)
    assert [r.author_id for r in rows] == [None]


async def test_reload_never_changes_a_running_definition(runner: Runner, store: Store) -> None:
    s = await session(store, 1)
    run = (await runner.start(s.id, activity())).run
    stored = await store.runs.get(run.id)
    assert stored is not None
    fresh = Runner(store, Clock(), default_step_handlers())  # as after a restart
    assert fresh.definition(stored) == activity()
    assert stored.version_hash == "abc"


async def test_stop(runner: Runner, store: Store) -> None:
    s = await session(store, 1)
    run = (await runner.start(s.id, activity())).run
    stopped = await runner.stop(run.id)
    assert stopped.ended == "stopped"
    assert await runner.live_run(s.id) is None


async def test_auto_steps_do_not_wait_for_the_facilitator(runner: Runner, store: Store) -> None:
    s = await session(store, 9, 1)  # 9 is the facilitator, present but leading
    run = (await runner.start(s.id, activity())).run
    await runner.advance(run.id, 0)
    done = await runner.contribute(run.id, 1, 1, "reflection", {"text": "here"})
    assert done.update is not None and done.update.entered_step == 2

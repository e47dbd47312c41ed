"""The step state machine without Discord: a real store, a hand-moved clock."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.core.activities import Activity
from bot.core.errors import Conflict, InvalidInput
from bot.core.run_updates import RunUpdate
from bot.core.runner import Runner
from bot.core.steps import step_handlers
from bot.records.errors import StorageUnavailable
from bot.records.sessions import RunRecord, SessionRecord
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
    return Runner(store, clock, step_handlers())


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
    fresh = Runner(store, Clock(), step_handlers())  # as after a restart
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


async def _ready_at_auto_step(runner: Runner, store: Store, *members: int) -> RunRecord:
    """A run of ACTIVITY at its auto 'Say' step (index 1), with these members present."""
    s = await session(store, *members)
    run = (await runner.start(s.id, activity())).run
    moved = await runner.advance(run.id, 0)
    assert moved is not None and moved.run.step_index == 1
    return moved.run


def _hold_write_lock(path: Path) -> sqlite3.Connection:
    """Another process holding SQLite's write lock, mid-transaction."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO guilds (id, created_at) VALUES (12345, 0)")
    return other


async def test_twenty_simultaneous_answers_are_all_kept_and_move_on_once(
    runner: Runner, store: Store
) -> None:
    members = list(range(101, 121))
    run = await _ready_at_auto_step(runner, store, *members)
    outcomes = await asyncio.gather(
        *(runner.contribute(run.id, 1, m, "reflection", {"text": f"from {m}"}) for m in members)
    )
    rows = await store.contributions.for_step(run.id, 1)
    assert sorted(r.author_id or 0 for r in rows) == members
    assert sorted(r.payload["text"] for r in rows) == sorted(f"from {m}" for m in members)
    updates = [o.update for o in outcomes if o.update is not None]
    assert len(updates) == 1, f"the step moved on {len(updates)} times"
    assert updates[0].exited_step == 1 and updates[0].entered_step == 2
    store.db.invalidate()  # read the run from the file, not the cache
    stored = await store.runs.get(run.id)
    assert stored is not None and stored.step_index == 2 and stored.state == "running"
    assert await store.contributions.for_step(run.id, 2) == []


async def test_an_answer_whose_step_moves_on_before_its_write_is_refused(
    runner: Runner, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = await _ready_at_auto_step(runner, store, 1, 2, 3)
    await runner.contribute(run.id, 1, 1, "reflection", {"text": "in time"})
    real_add_with = store.contributions.add_with
    advanced: list[RunUpdate | None] = []

    async def advance_first(**job: Any) -> Any:
        # The contribution has passed the runner's own check of the step; now the facilitator's
        # Next commits before the contribution's write does.
        advanced.append(await runner.advance(run.id, 1))
        return await real_add_with(**job)

    monkeypatch.setattr(store.contributions, "add_with", advance_first)
    with pytest.raises(Conflict, match="already ended"):
        await runner.contribute(run.id, 1, 2, "reflection", {"text": "too late"})
    assert advanced and advanced[0] is not None and advanced[0].entered_step == 2
    rows = await store.contributions.for_step(run.id, 1)
    assert [(r.author_id, r.payload["text"]) for r in rows] == [(1, "in time")]
    assert await store.contributions.for_step(run.id, 2) == []


async def test_an_answer_racing_next_is_either_kept_in_its_step_or_refused(
    runner: Runner, store: Store
) -> None:
    run = await _ready_at_auto_step(runner, store, 1, 2, 3)
    moved, answer = await asyncio.gather(
        runner.advance(run.id, 1),
        runner.contribute(run.id, 1, 2, "reflection", {"text": "racing"}),
        return_exceptions=True,
    )
    assert isinstance(moved, RunUpdate) and moved.entered_step == 2
    rows = await store.contributions.for_step(run.id, 1)
    if isinstance(answer, Conflict):
        assert "already ended" in str(answer) and rows == []
    else:
        assert not isinstance(answer, BaseException), answer
        assert [(r.author_id, r.payload["text"]) for r in rows] == [(2, "racing")]
    assert await store.contributions.for_step(run.id, 2) == []


async def test_the_same_anonymous_answer_twice_at_once_counts_once(
    runner: Runner, store: Store
) -> None:
    run = await _ready_at_auto_step(runner, store, 1, 2)
    first, second = await asyncio.gather(
        runner.contribute(run.id, 1, 1, "reflection", {"text": "one"}, anonymous=True),
        runner.contribute(run.id, 1, 1, "reflection", {"text": "two"}, anonymous=True),
        return_exceptions=True,
    )
    kept = [o for o in (first, second) if not isinstance(o, BaseException)]
    refused = [o for o in (first, second) if isinstance(o, BaseException)]
    assert len(kept) == 1 and len(refused) == 1
    assert isinstance(refused[0], Conflict) and "already answered" in str(refused[0])
    rows = await store.contributions.for_step(run.id, 1)
    assert len(rows) == 1 and rows[0].author_id is None
    assert rows[0].id == kept[0].record.id


async def test_a_failed_anonymous_write_lets_the_member_answer_again(
    runner: Runner, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.store.writer.BUSY_RETRIES", 2)
    run = await _ready_at_auto_step(runner, store, 1, 2)
    other = _hold_write_lock(tmp_path / "c.db")
    try:
        with pytest.raises(StorageUnavailable):
            await runner.contribute(run.id, 1, 1, "reflection", {"text": "lost"}, anonymous=True)
    finally:
        other.execute("COMMIT")
        other.close()
    assert await store.contributions.for_step(run.id, 1) == []
    # Nothing was saved, so the member is not held to have answered.
    again = await runner.contribute(run.id, 1, 1, "reflection", {"text": "saved"}, anonymous=True)
    rows = await store.contributions.for_step(run.id, 1)
    assert [(r.id, r.author_id, r.payload["text"]) for r in rows] == [
        (again.record.id, None, "saved")
    ]
    with pytest.raises(Conflict, match="already answered"):
        await runner.contribute(run.id, 1, 1, "reflection", {"text": "third"}, anonymous=True)

"""The runner's lifecycle (bot/core/runner.py): start, next, stop, and what it keeps in memory;
a real store on each engine, a hand-moved clock."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.core.errors import Conflict, NotFound
from bot.core.runner import Runner
from bot.core.steps import step_handlers
from bot.store.store import Store
from tests.core.runner_setup import Clock, activity, session


@pytest.fixture
def runner(store: Store, clock: Clock) -> Runner:
    return Runner(store, clock, step_handlers())


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


async def test_a_run_keeps_nothing_in_memory_once_it_ends(runner: Runner, store: Store) -> None:
    first, second = await session(store, 1, 2), await session(store, 3, channel_id=3)
    finishing = (await runner.start(first.id, activity())).run
    stopping = (await runner.start(second.id, activity())).run
    await runner.advance(finishing.id, 0)
    await runner.contribute(finishing.id, 1, 1, "reflection", {"text": "calm"})
    assert len(runner.memory) == 2 and runner.memory.sessions_held == 2
    assert runner.locks_held == 0  # a lock exists only while a change holds it
    await runner.advance(finishing.id, 1)
    done = await runner.advance(finishing.id, 2)
    assert done is not None and done.ended == "finished"
    assert len(runner.memory) == 1
    stopped = await runner.stop(stopping.id)
    assert len(runner.memory) == 0 and runner.memory.sessions_held == 0
    # An ended run is still shown (its last card, the summary) without being kept again.
    assert runner.step_at(stopped.run, 0).title == "Read"
    assert runner.definition(done.run) == activity()
    assert len(runner.memory) == 0


async def test_runs_of_one_activity_share_its_definition(runner: Runner, store: Store) -> None:
    runs = [
        (await runner.start((await session(store, m, channel_id=m)).id, activity())).run
        for m in (1, 2)
    ]
    stored = [await store.runs.get(r.id) for r in runs]
    store.db.invalidate()  # and as read back from the file
    fresh = Runner(store, Clock(), step_handlers())
    again = [await store.runs.get(r.id) for r in runs]
    assert all(r is not None for r in (*stored, *again))
    texts = {id(r.definition) for r in (*runs, *stored, *again) if r is not None}
    assert len(texts) == 1, "each run record holds its own copy of the definition text"
    assert runner.definition(runs[0]) is runner.definition(runs[1])
    parsed = [fresh.definition(r) for r in again if r is not None]
    assert parsed[0] is parsed[1] and parsed[0] == activity()
    assert fresh.memory.definitions_held == 1


async def test_a_note_in_the_step_state_is_claimed_once_and_the_mark_is_stored(
    runner: Runner, store: Store, clock: Clock
) -> None:
    s = await session(store, 1)
    run = (await runner.start(s.id, activity())).run
    assert not await runner.claim_note(run.id, 0, "note")  # no note: nothing to tell
    await store.runs.update(run.id, 0, step_state=json.dumps({"note": {"user": 1}}))
    assert await runner.claim_note(run.id, 0, "note")
    # Told: a second caller (or this runner after a restart) finds the stored mark.
    assert not await runner.claim_note(run.id, 0, "note")
    assert not await Runner(store, clock, step_handlers()).claim_note(run.id, 0, "note")
    stored = await store.runs.get(run.id)
    assert stored is not None and json.loads(stored.step_state)["note"] == {
        "user": 1,
        "told": True,
    }
    await store.runs.update(run.id, 0, step_state=json.dumps({"note": {"user": 2}}))
    assert not await runner.claim_note(run.id, 1, "note")  # another step's: refused
    await runner.stop(run.id)
    assert not await runner.claim_note(run.id, 0, "note")  # the run has ended


async def _until_dropped(process: Store, runner: Runner) -> None:
    """Let `process` hear the other's notifications (PostgreSQL; at most 5 s)."""
    for _ in range(500):
        await process.changes.settled()
        if len(runner.memory) == 0:
            return
        await asyncio.sleep(0.01)


async def test_a_run_another_process_ends_leaves_this_processs_memory(
    two: tuple[Store, Store], clock: Clock
) -> None:
    """Shards share one database: a run stopped (or its session ended) by one process is
    dropped from the other's memory: at once on PostgreSQL (it hears the change), on its next
    read of the run on either engine."""
    first, second = two
    here, there = Runner(first, clock, step_handlers()), Runner(second, clock, step_handlers())
    stopped_session, ended_session = await session(first, 1), await session(first, 2, channel_id=3)
    for s in (stopped_session, ended_session):
        await here.start(s.id, activity())
        seen = await there.live_run(s.id)  # the other process works on it: kept in its memory
        assert seen is not None and there.step(seen).title == "Read"
    assert len(there.memory) == 2 and there.memory.sessions_held == 0

    stopping = await first.runs.live_for_session(stopped_session.id)
    assert stopping is not None
    await here.stop(stopping.id)
    await first.sessions.end(ended_session.id, 10.0)
    if second.changes.shared:
        await _until_dropped(second, there)
        assert len(there.memory) == 0  # heard, without reading anything
    # The next read notices it (SQLite: the only way; PostgreSQL: already done, harmless).
    with pytest.raises(NotFound):
        await there.pause(stopping.id)
    assert await there.live_run(ended_session.id) is None
    assert len(there.memory) == 0 and there.memory.sessions_held == 0

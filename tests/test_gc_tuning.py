"""The collector policy (bot/gc_tuning.py): a burst of run set-ups is settled (collected, then
frozen) once set-up goes quiet, so no later middle-generation pass walks those sessions; and
frozen sessions still go when they end (nothing accumulates in the frozen generation).

Real store (a SQLite file), real runner; the policy is process-wide, so each test turns it off
and unfreezes afterwards.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot import gc_tuning
from bot.core.runner import Runner
from bot.core.steps import step_handlers
from bot.records.sessions import AttendanceRecord, RunRecord, SessionRecord
from bot.store.store import Store
from tests.core.runner_setup import Clock, activity, open_store, session

SESSIONS = 30
MEMBERS = 3
CYCLES = 5


@pytest.fixture
def settling() -> Iterator[None]:
    thresholds = gc.get_threshold()
    gc_tuning.tune_garbage_collector()
    try:
        yield
    finally:
        gc_tuning.stop_settling()
        gc.unfreeze()
        gc.set_threshold(*thresholds)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """SQLite only, on purpose (not tests/conftest.py's two-engine `store`): the policy under test
    is the process's collector, not the engine, and each test waits seconds of real time for it."""
    async for opened in open_store(tmp_path / "c.db"):
        yield opened


def frozen(obj: object) -> bool:
    """Tracked by the collector but in none of its three generations: in the frozen one."""
    if not gc.is_tracked(obj):
        return False
    return all(all(o is not obj for o in gc.get_objects(g)) for g in range(3))


async def start_circles(store: Store, runner: Runner, first: int) -> list[int]:
    """SESSIONS sessions of MEMBERS each, an activity started in each at once; the run ids."""
    sessions = [
        await session(store, *range(100 * i, 100 * i + MEMBERS), channel_id=i)
        for i in range(first, first + SESSIONS)
    ]
    updates = await asyncio.gather(*(runner.start(s.id, activity()) for s in sessions))
    return [u.run.id for u in updates]


async def until_settled(count: int) -> None:
    for _ in range(400):  # the quiet period is SETTLE_AFTER seconds; this waits up to 20 s
        if gc_tuning.settles.count > count:
            return
        await asyncio.sleep(0.05)


async def test_a_burst_of_starts_is_settled_once_and_its_runs_are_frozen(
    settling: None, store: Store
) -> None:
    runner = Runner(store, Clock(), step_handlers())
    before = gc_tuning.settles.count
    frozen_before = gc.get_freeze_count()

    run_ids = await start_circles(store, runner, 0)
    runs = [await store.runs.get(run_id) for run_id in run_ids]
    await until_settled(before)
    await asyncio.sleep(gc_tuning.SETTLE_AFTER * 2)  # no second settle without new set-up

    assert gc_tuning.settles.count == before + 1
    assert gc_tuning.settles.frozen > frozen_before
    # The runs as cached and held since: frozen, so no middle pass walks them again.
    assert all(run is not None and frozen(run) for run in runs)
    young = [o for g in (0, 1) for o in gc.get_objects(g)]
    assert not any(o is run for o in young for run in runs)


async def test_posting_the_steps_is_settled_too(settling: None, store: Store) -> None:
    """The step shown when a step message is posted lives as long as its run: settled too."""
    runner = Runner(store, Clock(), step_handlers())
    run_ids = await start_circles(store, runner, 0)
    gc_tuning.settle()
    before = gc_tuning.settles.count

    shown = []
    for run_id in run_ids:
        run = await store.runs.get(run_id)
        assert run is not None
        shown.append(runner.step_at(run, run.step_index))
    await until_settled(before)

    assert gc_tuning.settles.count == before + 1
    assert all(frozen(step) for step in shown)


async def test_without_the_policy_nothing_is_settled(store: Store) -> None:
    runner = Runner(store, Clock(), step_handlers())
    before = gc_tuning.settles.count
    run_ids = await start_circles(store, runner, 0)
    await asyncio.sleep(gc_tuning.SETTLE_AFTER * 2)
    assert len(run_ids) == SESSIONS
    assert gc_tuning.settles.count == before
    assert not gc_tuning.settles.enabled


def records_held() -> int:
    """Session, attendance and run records alive anywhere, the frozen ones included."""
    gc.unfreeze()
    try:
        kinds = (RunRecord, SessionRecord, AttendanceRecord)
        return sum(1 for o in gc.get_objects() if isinstance(o, kinds))
    finally:
        gc.freeze()


def frozen_garbage() -> int:
    """Unreachable objects in the frozen generation (what the collector can't reclaim while
    they are frozen): everything else is collected first, then the frozen ones once."""
    gc.collect()
    gc.unfreeze()
    try:
        return gc.collect()
    finally:
        gc.freeze()


async def test_ended_sessions_leave_the_frozen_generation(settling: None, store: Store) -> None:
    """Start, settle and end sessions again and again: what was frozen goes when it ends."""
    runner = Runner(store, Clock(), step_handlers())
    held_before = records_held()
    for cycle in range(CYCLES):
        run_ids = await start_circles(store, runner, cycle * SESSIONS)
        gc_tuning.settle()
        assert records_held() >= held_before + SESSIONS * 2  # each run and its session
        for run_id in run_ids:
            await runner.stop(run_id)
        for session_id in [s.id for s in await store.sessions.all_open()]:
            assert await store.sessions.end(session_id, 1.0)
        del run_ids
        assert frozen_garbage() == 0, f"cycle {cycle}"
        assert records_held() == held_before, f"cycle {cycle}"
    assert len(runner.memory) == 0

"""Two processes (shards on one database) changing the same run's step state at once.

A run's changes are serialised per process (RunLocks); two processes can still touch one run:
while a dead process's shards are adopted and handed back (bot/shards.py), the returning home
process answers its guilds' members while the adopter may still fire that run's timers. The
race is made certain here by a third connection holding the run for writing while both
processes read it, then letting go.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from bot.core.activities import Activity
from bot.core.errors import Conflict, NotFound
from bot.core.run_updates import RunUpdate
from bot.core.runner import STATE_RETRIES, Runner
from bot.core.step_moves import RunChanged
from bot.core.steps import step_handlers
from bot.records.sessions import RunRecord
from bot.store.run_update_job import RUN_COLUMNS
from bot.store.runs import RunRepository
from bot.store.store import Store
from tests.core.runner_setup import ACTIVITY, Clock, activity, session
from tests.engines import TestDatabase

HELD_SECONDS = 0.5
"""How long the third connection holds the run: both processes read it meanwhile (the
outcome asserted is the same whatever the interleaving; this makes the racy one likely)."""


@asynccontextmanager
async def run_held_for_writing(engine: TestDatabase, run_id: int) -> AsyncIterator[None]:
    """Another connection holding the run's row (PostgreSQL) or the write lock (SQLite): reads
    go on, writes wait until the block ends."""
    if engine.is_postgres:
        import asyncpg

        conn = await asyncpg.connect(engine.url)
        transaction = conn.transaction()
        await transaction.start()
        await conn.execute("SELECT id FROM activity_runs WHERE id = $1 FOR UPDATE", run_id)
        try:
            yield
        finally:
            await transaction.rollback()
            await conn.close()
    else:
        assert engine.path is not None
        other = sqlite3.connect(engine.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()


async def test_a_note_is_claimed_once_across_two_processes(
    engine: TestDatabase, two: tuple[Store, Store], clock: Clock
) -> None:
    first, second = two
    here, there = Runner(first, clock, step_handlers()), Runner(second, clock, step_handlers())
    s = await session(first, 1)
    run = (await here.start(s.id, activity())).run
    await first.runs.update(run.id, 0, step_state=json.dumps({"note": {"user": 1}}))
    assert await there.live_run(s.id) is not None  # the other process knows the run too
    async with run_held_for_writing(engine, run.id):
        claims = asyncio.gather(
            here.claim_note(run.id, 0, "note"), there.claim_note(run.id, 0, "note")
        )
        await asyncio.sleep(HELD_SECONDS)
    assert sorted(await claims) == [False, True]  # told once, by one of them
    stored = await second.runs.get(run.id)
    assert stored is not None and json.loads(stored.step_state)["note"] == {
        "user": 1,
        "told": True,
    }


POOLED = Activity.model_validate(
    {
        **ACTIVITY,
        "id": "core-pooled",
        "version_hash": "pooled",
        "steps": [
            {
                "type": "reflect",
                "title": "Look back",
                "question": {"pool": ["What stayed?", "What surprised you?", "What moved?"]},
            }
        ],
    }
)


async def test_another_question_is_drawn_once_per_step_across_two_processes(
    engine: TestDatabase, two: tuple[Store, Store], clock: Clock
) -> None:
    first, second = two
    here, there = Runner(first, clock, step_handlers()), Runner(second, clock, step_handlers())
    s = await session(first, 1)
    run = (await here.start(s.id, POOLED)).run
    assert await there.live_run(s.id) is not None
    async with run_held_for_writing(engine, run.id):
        drawn = asyncio.gather(
            here.draw_again(run.id, 0), there.draw_again(run.id, 0), return_exceptions=True
        )
        await asyncio.sleep(HELD_SECONDS)
    outcomes = await drawn
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(refused) == 1, outcomes  # one draws again; the other is told it was done
    assert "already drawn another question" in refused[0].message


# ------------------------------------------------- pause, resume, extend, timers, stop
#
# The other process acts at a fixed point: between this process's read of the run and its
# write (the write waits for it), through `ActsBeforeWriting`, a real repository that runs a
# step of the test just before its compare-and-set is sent. No sleeps: the order is certain.

Between = Callable[[], Awaitable[object]]


class ActsBeforeWriting(RunRepository):
    """This process's runs (`store`'s database, cache and change feed), where `between` (set
    by the test) is awaited just before the next step-guarded write of a run (a compare-and-
    set, or a plain update at the step read), once; `always` keeps it for every write.
    `refused` counts the compare-and-sets the database turned down."""

    def __init__(self, store: Store) -> None:
        super().__init__(store.db, store.changes)
        self.between: Between | None = None
        self.always = False
        self.refused = 0

    async def _other_process_acts(self) -> None:
        between = self.between
        if not self.always:
            self.between = None
        if between is not None:
            await between()

    async def update(self, run_id: int, expected_step: int, **fields: Any) -> RunRecord | None:
        await self._other_process_acts()
        return await super().update(run_id, expected_step, **fields)

    async def update_unchanged(self, run: RunRecord, **fields: Any) -> RunRecord | None:
        await self._other_process_acts()
        updated = await super().update_unchanged(run, **fields)
        self.refused += updated is None
        return updated


@dataclass
class TwoProcesses:
    """Two runners on one database: `here` writes through `runs` (the hook), `there` is the
    other process, which acts in between."""

    here: Runner
    there: Runner
    runs: ActsBeforeWriting
    session_id: int
    run_id: int


async def two_runners(first: Store, second: Store, clock: Clock, at_step: int) -> TwoProcesses:
    """ACTIVITY started on `first` and moved to step `at_step` (1: 60 s, moves on by itself;
    2: 30 s, waits for the facilitator), both processes knowing the run."""
    runs = first.runs = ActsBeforeWriting(first)
    here, there = Runner(first, clock, step_handlers()), Runner(second, clock, step_handlers())
    s = await session(first, 1)
    run = (await here.start(s.id, activity())).run
    for step in range(at_step):
        assert await here.advance(run.id, step) is not None
    assert await there.live_run(s.id) is not None
    return TwoProcesses(here, there, runs, s.id, run.id)


async def stored(store: Store, run_id: int) -> RunRecord:
    """The run as committed (read past every cache)."""
    row = await store.db.fetch_one(
        f"SELECT {RUN_COLUMNS} FROM activity_runs WHERE id = ?", (run_id,)
    )
    assert row is not None
    return RunRecord(*tuple(row))


async def test_two_extensions_at_once_from_two_processes_both_count(
    two: tuple[Store, Store], clock: Clock
) -> None:
    p = await two_runners(*two, clock, at_step=1)
    start = clock().timestamp()
    p.runs.between = lambda: p.there.extend(p.run_id, 30)
    mine = await p.here.extend(p.run_id, 45)
    assert p.runs.refused == 1  # the other's extension came between this read and write
    assert mine.run.step_deadline == start + 60 + 30 + 45
    run = await stored(two[1], p.run_id)
    assert (run.step_deadline, run.wake_at) == (start + 135, start + 135)


async def test_two_extensions_of_a_paused_step_both_count(
    two: tuple[Store, Store], clock: Clock
) -> None:
    p = await two_runners(*two, clock, at_step=1)
    await p.here.pause(p.run_id)
    p.runs.between = lambda: p.there.extend(p.run_id, 30)
    await p.here.extend(p.run_id, 45)
    assert (await stored(two[1], p.run_id)).paused_remaining == 60 + 30 + 45


async def test_a_resume_racing_a_resume_and_pause_elsewhere_keeps_the_time_left(
    two: tuple[Store, Store], clock: Clock
) -> None:
    """This process resumes from what it read; meanwhile the other resumed, ran 20 s and
    paused again. The resume is decided again on the run as it is now: the 20 s that ran
    are not given back (written from the stale read, the deadline would be 5 s late), and
    the other's pause isn't silently overwritten with an old deadline."""
    p = await two_runners(*two, clock, at_step=1)
    await p.here.pause(p.run_id)  # 60 s left
    clock.tick(10)

    async def resumed_ran_and_paused_elsewhere() -> None:
        await p.there.resume(p.run_id)
        clock.tick(20)
        assert (await p.there.pause(p.run_id)).run.paused_remaining == 40
        clock.tick(5)

    p.runs.between = resumed_ran_and_paused_elsewhere
    mine = await p.here.resume(p.run_id)
    now = clock().timestamp()
    assert p.runs.refused == 1
    run = await stored(two[1], p.run_id)
    assert run == mine.run
    assert (run.state, run.paused_remaining) == ("running", None)
    assert (run.step_deadline, run.wake_at) == (now + 40, now + 40)


async def test_a_pause_racing_a_pause_elsewhere_is_told_it_is_paused(
    two: tuple[Store, Store], clock: Clock
) -> None:
    p = await two_runners(*two, clock, at_step=1)
    clock.tick(15)
    p.runs.between = lambda: p.there.pause(p.run_id)
    with pytest.raises(Conflict) as refused:
        await p.here.pause(p.run_id)
    assert "already paused" in refused.value.message
    run = await stored(two[1], p.run_id)
    assert (run.state, run.paused_remaining, run.step_deadline) == ("paused", 45, None)


async def test_a_pause_after_the_step_moved_elsewhere_pauses_the_new_step(
    two: tuple[Store, Store], clock: Clock
) -> None:
    """Before: the write at the step read was refused and `assert updated is not None` failed."""
    p = await two_runners(*two, clock, at_step=1)
    p.runs.between = lambda: p.there.advance(p.run_id, 1)
    paused = await p.here.pause(p.run_id)
    assert (paused.run.step_index, paused.run.state, paused.run.paused_remaining) == (
        2,
        "paused",
        30,
    )


async def test_a_pause_resume_or_extend_of_a_run_stopped_meanwhile_is_not_found(
    two: tuple[Store, Store], clock: Clock
) -> None:
    p = await two_runners(*two, clock, at_step=1)
    p.runs.between = lambda: p.there.stop(p.run_id)
    with pytest.raises(NotFound):
        await p.here.pause(p.run_id)
    assert (await stored(two[1], p.run_id)).state == "stopped"
    for act in (p.here.resume, p.here.pause, lambda run_id: p.here.extend(run_id, 30)):
        with pytest.raises(NotFound):
            await act(p.run_id)


async def test_a_timer_firing_while_another_process_extends_keeps_the_extension(
    two: tuple[Store, Store], clock: Clock
) -> None:
    """The timer read the run due (its 60 s step moves on by itself), then the facilitator's
    extension landed: the timer decides again, doesn't move on, and fires at the new time."""
    p = await two_runners(*two, clock, at_step=1)
    start = clock().timestamp()
    clock.tick(60)
    p.runs.between = lambda: p.there.extend(p.run_id, 30)
    assert await p.here.wake_due() == []
    assert p.runs.refused == 1
    run = await stored(two[1], p.run_id)
    assert (run.step_index, run.step_deadline, run.wake_at) == (1, start + 90, start + 90)
    assert await p.here.next_wake() == start + 90
    clock.tick(30)
    woken = await p.here.wake_due()
    assert [(w.exited_step, w.entered_step) for w in woken] == [(1, 2)]


async def test_a_time_up_while_another_process_extends_keeps_the_wake(
    two: tuple[Store, Store], clock: Clock
) -> None:
    """A facilitator's step (30 s): time up would clear the wake time; written from the stale
    read it would also clear the extended deadline's, which then never fires."""
    p = await two_runners(*two, clock, at_step=2)
    start = clock().timestamp()
    clock.tick(30)
    p.runs.between = lambda: p.there.extend(p.run_id, 30)
    assert await p.here.wake_due() == []
    run = await stored(two[1], p.run_id)
    assert (run.step_deadline, run.wake_at) == (start + 60, start + 60)
    clock.tick(30)
    woken = await p.here.wake_due()
    assert len(woken) == 1 and woken[0].time_up and woken[0].run.wake_at is None


async def test_a_stop_racing_a_timer_move_on_elsewhere_ends_the_run_once(
    two: tuple[Store, Store], clock: Clock
) -> None:
    """The stop read step 1; the other process's timer moved the run on to step 2 meanwhile:
    the stop ends it there (before: `assert stopped is not None` failed)."""
    p = await two_runners(*two, clock, at_step=1)
    clock.tick(60)
    moved: list[RunUpdate] = []

    async def timer_elsewhere() -> None:
        moved.extend(await p.there.wake_due())

    p.runs.between = timer_elsewhere
    stopped = await p.here.stop(p.run_id)
    assert [(m.exited_step, m.entered_step) for m in moved] == [(1, 2)]
    assert (stopped.ended, stopped.exited_step) == ("stopped", 2)
    run = await stored(two[1], p.run_id)
    assert (run.state, run.step_index, run.wake_at) == ("stopped", 2, None)
    with pytest.raises(NotFound):
        await p.there.stop(p.run_id)


async def test_a_timer_move_on_racing_a_stop_elsewhere_leaves_it_stopped(
    two: tuple[Store, Store], clock: Clock
) -> None:
    p = await two_runners(*two, clock, at_step=1)
    clock.tick(60)
    stops: list[RunUpdate] = []

    async def stop_elsewhere() -> None:
        stops.append(await p.there.stop(p.run_id))

    p.runs.between = stop_elsewhere
    assert await p.here.wake_due() == []
    assert [(s.ended, s.exited_step) for s in stops] == [("stopped", 1)]
    run = await stored(two[1], p.run_id)
    assert (run.state, run.step_index, run.ended_at) == ("stopped", 1, clock().timestamp())
    assert await p.here.live_run(p.session_id) is None


async def test_a_run_changed_elsewhere_before_every_try_is_a_conflict_to_try_again(
    two: tuple[Store, Store], clock: Clock
) -> None:
    """Retries are bounded: when the other process changes the run before each of them, the
    facilitator is told to try again; every one of the other's extensions counted."""
    p = await two_runners(*two, clock, at_step=1)
    start = clock().timestamp()
    p.runs.between, p.runs.always = (lambda: p.there.extend(p.run_id, 10)), True
    with pytest.raises(RunChanged) as refused:
        await p.here.pause(p.run_id)
    assert isinstance(refused.value, Conflict) and "try again" in refused.value.message
    assert p.runs.refused == STATE_RETRIES
    run = await stored(two[1], p.run_id)
    assert (run.state, run.step_deadline) == ("running", start + 60 + 10 * STATE_RETRIES)

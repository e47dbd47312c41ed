"""Two processes (shards on one database) changing the same run at once.

A run's changes are serialised per process (RunLocks); two processes can still touch one run:
while a dead process's shards are adopted and handed back (bot/shards.py), or a restart
overlaps, the returning home process answers its guilds' members while the adopter may still
fire that run's timers. Every change decided from the run as read is a compare-and-set on it,
decided again on a fresh read when it lost (bot/core/step_moves.py `_decide_fresh`).

The race is made certain, with no sleeps: the other process acts at a fixed point, between this
process's read of the run and its write (the write waits for it), through `ActsBeforeWriting`,
a real repository that runs a step of the test just before the run's write is sent.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.core.activities import Activity
from bot.core.errors import Conflict, NotFound
from bot.core.listening_service import ListeningService
from bot.core.reflect_review import ReflectReview, Review, review_state
from bot.core.run_updates import RunUpdate
from bot.core.runner import Runner
from bot.core.step_moves import STATE_RETRIES, RunChanged
from bot.core.steps import step_handlers
from bot.records.sessions import RunRecord
from bot.store.run_update_job import RUN_COLUMNS
from bot.store.runs import RunRepository
from bot.store.store import Store
from bot.ui.format import plain_name
from tests.core.runner_setup import ACTIVITY, Clock, activity, session

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


async def two_runners(
    first: Store, second: Store, clock: Clock, at_step: int, started: Activity | None = None
) -> TwoProcesses:
    """`started` (ACTIVITY by default) started on `first` and moved to step `at_step` (of
    ACTIVITY, 1: 60 s, moves on by itself; 2: 30 s, waits for the facilitator), both processes
    knowing the run."""
    runs = first.runs = ActsBeforeWriting(first)
    here, there = Runner(first, clock, step_handlers()), Runner(second, clock, step_handlers())
    s = await session(first, 1, 2)
    run = (await here.start(s.id, started or activity())).run
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


async def test_a_note_is_claimed_once_across_two_processes(
    two: tuple[Store, Store], clock: Clock
) -> None:
    """The other process claims the note between this one's read and its write: told once."""
    p = await two_runners(*two, clock, at_step=0)
    await two[0].runs.update(p.run_id, 0, step_state=json.dumps({"note": {"user": 1}}))
    claims: list[bool] = []

    async def claimed_elsewhere() -> None:
        claims.append(await p.there.claim_note(p.run_id, 0, "note"))

    p.runs.between = claimed_elsewhere
    assert await p.here.claim_note(p.run_id, 0, "note") is False
    assert claims == [True] and p.runs.refused == 1  # told once, by the other
    run = await stored(two[1], p.run_id)
    assert json.loads(run.step_state)["note"] == {"user": 1, "told": True}


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
    two: tuple[Store, Store], clock: Clock
) -> None:
    """The other process draws again between this one's read and its write: this one is told
    it was done (one draw again per step), and the other's draw stands."""
    p = await two_runners(*two, clock, at_step=0, started=POOLED)
    drawn: list[RunUpdate] = []

    async def drawn_elsewhere() -> None:
        drawn.append(await p.there.draw_again(p.run_id, 0))

    p.runs.between = drawn_elsewhere
    with pytest.raises(Conflict) as refused:
        await p.here.draw_again(p.run_id, 0)
    assert "already drawn another question" in refused.value.message
    assert len(drawn) == 1 and p.runs.refused == 1
    assert await stored(two[1], p.run_id) == drawn[0].run


async def pool_history(store: Store) -> list[int]:
    """Every draw recorded in the test's channels, oldest first."""
    rows = await store.db.fetch_all("SELECT alternative FROM pool_draws ORDER BY id")
    return [int(row[0]) for row in rows]


async def test_a_draw_again_refused_by_a_race_takes_its_draw_back(
    two: tuple[Store, Store], clock: Clock
) -> None:
    """The draw this process made for a write that was refused was never shown: the
    channel's history keeps only the draws shown (the first, the other's again)."""
    p = await two_runners(*two, clock, at_step=0, started=POOLED)
    first = await pool_history(two[1])
    drawn: list[RunUpdate] = []

    async def drawn_elsewhere() -> None:
        drawn.append(await p.there.draw_again(p.run_id, 0))

    p.runs.between = drawn_elsewhere
    with pytest.raises(Conflict):
        await p.here.draw_again(p.run_id, 0)
    shown = json.loads(drawn[0].run.step_state)["pools"]["0"]
    assert len(first) == 1 and await pool_history(two[1]) == [*first, *shown.values()]


POOLED_NEXT = Activity.model_validate(
    {
        **ACTIVITY,
        "id": "core-pooled-next",
        "version_hash": "pooled-next",
        "steps": [
            {"type": "prompt", "title": "Read", "text": "hello"},
            {
                "type": "reflect",
                "title": "Look back",
                "question": {"pool": ["What stayed?", "What surprised you?", "What moved?"]},
            },
        ],
    }
)


async def test_a_move_on_refused_by_a_race_takes_its_draw_back(
    two: tuple[Store, Store], clock: Clock
) -> None:
    """This process's Next drew the next step's question, then found the other process had
    moved the run on (drawing its own): its draw goes back, one draw is counted, the one shown
    (before: the channel's history counted an unseen alternative as shown)."""
    p = await two_runners(*two, clock, at_step=0, started=POOLED_NEXT)
    moved: list[RunUpdate | None] = []

    async def moved_elsewhere() -> None:
        moved.append(await p.there.advance(p.run_id, 0))

    p.runs.between = moved_elsewhere
    assert await p.here.advance(p.run_id, 0) is None
    entered = moved[0]
    assert entered is not None and p.runs.refused == 1
    shown = json.loads(entered.run.step_state)["pools"]["1"]
    assert await pool_history(two[1]) == list(shown.values())


async def test_a_move_on_racing_a_pause_elsewhere_counts_the_retrys_draw_only(
    two: tuple[Store, Store], clock: Clock
) -> None:
    """Next is decided again on the paused run and enters the pooled step: the refused try's
    draw went back, the retry's is the one shown and the only one counted."""
    p = await two_runners(*two, clock, at_step=0, started=POOLED_NEXT)
    p.runs.between = lambda: p.there.pause(p.run_id)
    entered = await p.here.advance(p.run_id, 0)
    assert entered is not None and entered.run.step_index == 1 and p.runs.refused == 1
    shown = json.loads(entered.run.step_state)["pools"]["1"]
    assert await pool_history(two[1]) == list(shown.values())


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


ROUND = Activity.model_validate(
    {
        **ACTIVITY,
        "id": "core-round",
        "version_hash": "round",
        "steps": [
            {"type": "round", "title": "Go-around", "question": "One word?", "turn_seconds": 30}
        ],
    }
)


async def test_a_late_joiner_racing_a_turn_timeout_elsewhere_keeps_the_floor_moved_on(
    two: tuple[Store, Store], clock: Clock
) -> None:
    """This process puts a late joiner at the end of the round's order from the state it read;
    meanwhile the other's timer ended the first speaker's turn. Decided again on the fresh
    state: the floor stays with the second speaker (written from the stale read, the first
    got the floor back, with a timer already past)."""
    p = await two_runners(*two, clock, at_step=0, started=ROUND)
    start = clock().timestamp()
    first = json.loads((await stored(two[0], p.run_id)).step_state)
    assert (first["speaker"], first["order"]) == (1, [1, 2])
    clock.tick(30)
    await two[0].sessions.join(p.session_id, 3, clock().timestamp())
    timed_out: list[RunUpdate] = []

    async def turn_timed_out_elsewhere() -> None:
        timed_out.extend(await p.there.wake_due())

    p.runs.between = turn_timed_out_elsewhere
    # The other's timer moved the floor on with the joiner already at the end of the order:
    # decided again, nothing is left to change.
    assert await p.here.attendance_changed(p.session_id) is None
    assert len(timed_out) == 1 and p.runs.refused == 1
    run = await stored(two[1], p.run_id)
    assert run == timed_out[0].run
    state = json.loads(run.step_state)
    assert (state["speaker"], state["order"]) == (2, [1, 2, 3])
    assert run.wake_at == state["wake_at"] == start + 60


async def test_the_last_answer_racing_a_pause_elsewhere_leaves_the_step_paused(
    two: tuple[Store, Store], clock: Clock
) -> None:
    """The last answer completes a step that moves on by itself; the other process paused the
    run between this one's read and its move: the run stays paused at the step (a paused run
    doesn't move on; written from the stale read, the move would also have unpaused it)."""
    p = await two_runners(*two, clock, at_step=1)
    await p.here.contribute(p.run_id, 1, 1, "reflection", {"text": "calm"})
    paused: list[RunUpdate] = []

    async def paused_elsewhere() -> None:
        paused.append(await p.there.pause(p.run_id))

    p.runs.between = paused_elsewhere
    outcome = await p.here.contribute(p.run_id, 1, 2, "reflection", {"text": "warm"})
    assert outcome.update is None and len(paused) == 1 and p.runs.refused == 1
    run = await stored(two[1], p.run_id)
    assert run == paused[0].run and (run.state, run.step_index) == ("paused", 1)


# A member's answer to a stateful step (a round's turn, a song's line) is committed first; the
# handler's change after it (the floor or the pen moving on) is a compare-and-set on the run as
# read. When another process changed the run meanwhile, it is decided again on the fresh state
# and applies only while the answer's turn is still current (`StepHandler.still_applies`).


def round_state(run: RunRecord) -> dict[str, Any]:
    state = json.loads(run.step_state)
    assert isinstance(state, dict)
    return state


async def test_a_done_racing_its_turn_timing_out_elsewhere_closes_each_turn_once(
    two: tuple[Store, Store], clock: Clock
) -> None:
    """Speaker 1 presses Done as their time runs out; between this process's read and its
    write the other process's timer closed turn 1 (time) and speaker 2 pressed Done there.
    Decided again on the fresh state, turn 1 is no longer current: nothing is left to do
    (written from the stale read, turn 1 was closed twice and speaker 2 got the floor back,
    a second turn). The round then goes on to 3 and is complete with every turn closed once."""
    p = await two_runners(*two, clock, at_step=0, started=ROUND)
    start = clock().timestamp()
    await two[0].sessions.join(p.session_id, 3, start)
    clock.tick(30)
    elsewhere: list[RunUpdate] = []

    async def timed_out_and_next_done_elsewhere() -> None:
        elsewhere.extend(await p.there.wake_due())
        done = await p.there.contribute(p.run_id, 0, 2, "spoke", {"by": 2})
        assert done.record.payload["turn_no"] == 2

    p.runs.between = timed_out_and_next_done_elsewhere
    mine = await p.here.contribute(p.run_id, 0, 1, "spoke", {"by": 1})
    assert mine.record.payload["turn_no"] == 1 and mine.update is None
    assert len(elsewhere) == 1 and p.runs.refused == 1
    run = await stored(two[1], p.run_id)
    state = round_state(run)
    assert state["turns"] == [{"user": 1, "outcome": "time"}, {"user": 2, "outcome": "spoke"}]
    assert (state["speaker"], state["turn_no"], state["order"]) == (3, 3, [1, 2, 3])
    assert run.wake_at == state["turn_deadline"] == start + 60
    await p.here.contribute(p.run_id, 0, 3, "spoke", {"by": 3})
    final = round_state(await stored(two[1], p.run_id))
    assert [t["user"] for t in final["turns"]] == [1, 2, 3] and final["finished"] is True


async def test_a_done_racing_a_pause_elsewhere_gives_the_floor_for_after_resume(
    two: tuple[Store, Store], clock: Clock
) -> None:
    """The other process paused the run between this one's read and its write: decided again
    on the paused run (turn 1 still current), the floor goes to speaker 2, whose whole turn
    starts at Resume; the paused run keeps no wake time (written from the stale read, which
    was running, the timer would have fired during the pause)."""
    p = await two_runners(*two, clock, at_step=0, started=ROUND)
    clock.tick(10)
    paused: list[RunUpdate] = []

    async def paused_elsewhere() -> None:
        paused.append(await p.there.pause(p.run_id))

    p.runs.between = paused_elsewhere
    mine = await p.here.contribute(p.run_id, 0, 1, "spoke", {"by": 1})
    assert mine.update is None and len(paused) == 1 and p.runs.refused == 1
    run = await stored(two[1], p.run_id)
    state = round_state(run)
    assert (run.state, run.wake_at) == ("paused", None)
    assert state["turns"] == [{"user": 1, "outcome": "spoke"}]
    assert (state["speaker"], state["turn_no"]) == (2, 2)
    assert state["_paused_wake_remaining"] == 30 and state["whole_turn_at_resume"] is True
    clock.tick(100)
    resumed = await p.there.resume(p.run_id)
    now = clock().timestamp()
    assert resumed.run.wake_at == round_state(resumed.run)["turn_deadline"] == now + 30


SONG = Activity.model_validate(
    {
        **ACTIVITY,
        "id": "core-song",
        "version_hash": "song",
        "steps": [
            {
                "type": "write",
                "title": "Our song",
                "theme": "Home",
                "structure": [{"name": "verse", "lines": 4}],
                "turn_seconds": 60,
            }
        ],
    }
)


async def test_a_line_racing_a_pause_elsewhere_passes_the_pen_for_after_resume(
    two: tuple[Store, Store], clock: Clock
) -> None:
    p = await two_runners(*two, clock, at_step=0, started=SONG)
    clock.tick(20)

    async def paused_elsewhere() -> None:
        await p.there.pause(p.run_id)

    p.runs.between = paused_elsewhere
    line = await p.here.contribute(p.run_id, 0, 1, "line", {"writer": 1, "text": "Home is near"})
    assert line.record.payload["turn_no"] == 1 and p.runs.refused == 1
    run = await stored(two[1], p.run_id)
    state = round_state(run)
    assert (run.state, run.wake_at) == ("paused", None)
    assert state["lines"]["0"]["id"] == line.record.id and state["last"]["id"] == line.record.id
    assert (state["turn"], state["turn_no"], state["_paused_wake_remaining"]) == (2, 2, 60)


async def test_a_line_racing_its_turn_timing_out_elsewhere_leaves_the_pen_moved_on(
    two: tuple[Store, Store], clock: Clock
) -> None:
    """Writer 1's line comes as their time runs out; the other process's timer passed their
    turn meanwhile and gave the pen to writer 2. Decided again on the fresh state: the line
    still goes in at its free place (it is saved, so the song as stored and as shown agree),
    but the turn, already moved on, stays with writer 2, now for line 2 (written from the
    stale read, the timeout was lost; moved again, writer 2's turn would have been closed
    before they wrote and writer 1 had the next)."""
    p = await two_runners(*two, clock, at_step=0, started=SONG)
    start = clock().timestamp()
    clock.tick(60)
    timed_out: list[RunUpdate] = []

    async def timed_out_elsewhere() -> None:
        timed_out.extend(await p.there.wake_due())

    p.runs.between = timed_out_elsewhere
    line = await p.here.contribute(p.run_id, 0, 1, "line", {"writer": 1, "text": "Home is near"})
    assert line.record.payload["turn_no"] == 1
    assert len(timed_out) == 1 and p.runs.refused == 1
    run = await stored(two[1], p.run_id)
    state = round_state(run)
    assert state["lines"]["0"]["id"] == line.record.id and state["last"]["id"] == line.record.id
    assert (state["turn"], state["turn_no"]) == (2, 2)
    assert [(t["pos"], t["turn_no"], t["user"]) for t in state["timeouts"]] == [(0, 1, 1)]
    assert run.wake_at == state["turn_deadline"] == start + 120
    second = await p.here.contribute(
        p.run_id, 0, 2, "line", {"writer": 2, "text": "Lights are on", "expected_position": 1}
    )
    after = round_state(await stored(two[1], p.run_id))
    assert after["lines"]["1"]["id"] == second.record.id
    assert (after["turn"], after["turn_no"]) == (1, 3)


async def test_a_pass_racing_its_turn_timing_out_elsewhere_changes_nothing(
    two: tuple[Store, Store], clock: Clock
) -> None:
    """A pass for a turn the other process's timer already passed: nothing is left to do (it
    doesn't close writer 2's turn, just given)."""
    p = await two_runners(*two, clock, at_step=0, started=SONG)
    clock.tick(60)
    timed_out: list[RunUpdate] = []

    async def timed_out_elsewhere() -> None:
        timed_out.extend(await p.there.wake_due())

    p.runs.between = timed_out_elsewhere
    await p.here.contribute(p.run_id, 0, 1, "pass", {"writer": 1})
    assert len(timed_out) == 1 and p.runs.refused == 1
    assert await stored(two[1], p.run_id) == timed_out[0].run


REVIEWED = Activity.model_validate(
    {
        **ACTIVITY,
        "id": "core-reviewed",
        "version_hash": "reviewed",
        "steps": [
            {
                "type": "reflect",
                "title": "Look back",
                "question": "What stays?",
                "review": "facilitator",
            }
        ],
    }
)


async def reviewed(
    two: tuple[Store, Store], clock: Clock
) -> tuple[TwoProcesses, ReflectReview, ReflectReview, int]:
    """A reviewed reflect step with one shared answer (its id last); each process's review."""
    p = await two_runners(*two, clock, at_step=0, started=REVIEWED)
    shared = await p.here.contribute(
        p.run_id, 0, 1, "reflection", {"text": "The low notes", "shared": True}
    )
    await p.here.contribute(p.run_id, 0, 2, "reflection", {"text": "Quiet", "shared": True})
    here, there = ReflectReview(two[0], p.here, clock), ReflectReview(two[1], p.there, clock)
    return p, here, there, shared.record.id


async def test_a_hold_back_racing_a_release_elsewhere_keeps_both(
    two: tuple[Store, Store], clock: Clock
) -> None:
    """The other facilitator released the answers between this one's read and its write: the
    hold-back is decided again on the released state (a removal from what was posted), and the
    release stands (written from the stale read, the step was unreleased again and the
    answers could be released twice)."""
    p, here, there, answer = await reviewed(two, clock)
    released: list[Review] = []

    async def released_elsewhere() -> None:
        released.append(await there.release(p.run_id, 0))

    p.runs.between = released_elsewhere
    review, author = await here.hold_back(p.run_id, 0, answer)
    assert len(released) == 1 and p.runs.refused == 1
    assert author == 1 and review.released
    assert [a.contribution_id for a in review.answers if a.held_back] == [answer]
    state = review_state(await stored(two[1], p.run_id))
    assert (state.held, state.released) == ((answer,), True)
    with pytest.raises(Conflict, match="already released"):
        await here.release(p.run_id, 0)


async def test_a_release_racing_a_hold_back_elsewhere_leaves_the_answer_out(
    two: tuple[Store, Store], clock: Clock
) -> None:
    p, here, there, answer = await reviewed(two, clock)

    async def held_back_elsewhere() -> None:
        await there.hold_back(p.run_id, 0, answer)

    p.runs.between = held_back_elsewhere
    review = await here.release(p.run_id, 0)
    assert p.runs.refused == 1
    assert answer not in [a.contribution_id for a in review.shown] and len(review.shown) == 1
    state = review_state(await stored(two[1], p.run_id))
    assert (state.held, state.released) == ((answer,), True)


async def test_a_review_of_a_run_stopped_meanwhile_says_the_step_ended(
    two: tuple[Store, Store], clock: Clock
) -> None:
    p, here, _there, answer = await reviewed(two, clock)
    p.runs.between = lambda: p.there.stop(p.run_id)
    with pytest.raises(Conflict, match="That step has ended"):
        await here.hold_back(p.run_id, 0, answer)
    assert review_state(await stored(two[1], p.run_id)).held == ()


ANONYMOUS = Activity.model_validate(
    {
        **ACTIVITY,
        "id": "core-anonymous",
        "version_hash": "anonymous",
        "steps": [
            {
                "type": "reflect",
                "title": "Say",
                "question": "q?",
                "time_limit": 60,
                "advance": "auto",
                "anonymous": True,
            }
        ],
    }
)


async def test_an_anonymous_step_kept_by_a_pause_elsewhere_still_takes_one_answer_each(
    two: tuple[Store, Store], clock: Clock
) -> None:
    """The last answer's move was refused (paused elsewhere) and decided again to stay: the
    step goes on, and so does its guard that counts each member's anonymous answer once
    (before, the refused move had dropped it, and a second answer was taken)."""
    p = await two_runners(*two, clock, at_step=0, started=ANONYMOUS)
    await p.here.contribute(p.run_id, 0, 1, "reflection", {"text": "calm"}, anonymous=True)
    p.runs.between = lambda: p.there.pause(p.run_id)
    last = await p.here.contribute(p.run_id, 0, 2, "reflection", {"text": "warm"}, anonymous=True)
    assert last.update is None and p.runs.refused == 1
    with pytest.raises(Conflict, match="already answered this anonymous step"):
        await p.here.contribute(p.run_id, 0, 1, "reflection", {"text": "again"}, anonymous=True)


CHOSEN = Activity.model_validate(
    {
        **ACTIVITY,
        "id": "core-chosen",
        "version_hash": "chosen",
        "steps": [
            {"type": "vote", "title": "Pick", "question": "Which one?", "from": "playlist"},
            {"type": "listen", "title": "The chosen piece", "track": "from_vote"},
        ],
    }
)


async def test_a_piece_decided_for_a_run_stopped_meanwhile_is_still_the_vote_winner(
    two: tuple[Store, Store], clock: Clock, tmp_path: Path
) -> None:
    """The other process stops the run between this one's read and its write of the piece
    decided for a `from_vote` step: nothing is written, and the piece is still the vote's
    winner (the ended step's card shows it), not a NotFound from the runner's
    compare-and-set (`Runner.decide_state`)."""
    p = await two_runners(*two, clock, at_step=0, started=CHOSEN)
    service = ListeningService(two[0], clock, p.here, tmp_path, plain_name, lambda _guild: "en")
    s = await two[0].sessions.get(p.session_id)
    assert s is not None
    for user, title in ((1, "Morning"), (2, "Evening")):
        await service.suggest(s, user, service.suggestion(title, None, None, None))
    run = await p.here.live_run(p.session_id)
    assert run is not None
    choices = await service.choices_for(s, run, 0, "en")
    evening = await service.choice(s, run, 0, [choices[1].key], "en")
    for user in (1, 2):
        await service.vote(p.run_id, 0, user, evening)
    moved = await p.here.advance(p.run_id, 0)
    assert moved is not None and moved.run.step_index == 1
    p.runs.between = lambda: p.there.stop(p.run_id)
    track = await service.resolve_track(s, moved.run, 1)
    assert track is not None and track.title == "Evening"
    assert p.runs.refused == 1
    ended = await stored(two[1], p.run_id)
    assert ended.state == "stopped" and "piece" not in json.loads(ended.step_state or "{}")

"""Answers that arrive in the same turn of the event loop are validated and written together
(bot/core/checkin_batch.py, bot/store/checkin_answers.py), on both engines: one write job for
the batch, yet each caller gets its own outcome; what the batch doesn't write (a second answer,
an anonymous step, a batch the database refused) is written by itself, as before."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.core.activities import Activity
from bot.core.checkin_batch import REPLIES_AT_ONCE
from bot.core.checkin_service import CheckinService, ConsentNeeded, Saved
from bot.core.errors import Conflict, InvalidInput
from bot.core.runner import Runner
from bot.core.steps import step_handlers
from bot.records.sessions import NewSession
from bot.settings import CheckinSettings
from bot.store.engine import IntegrityError
from bot.store.store import Store
from tests.core.checkin_setup import ACTIVITY as SERVICE_ACTIVITY
from tests.core.runner_setup import stopped_at
from tests.engines import TestDatabase

GUILD = 1
FACILITATOR = 99
ACTIVITY: dict[str, Any] = {
    **SERVICE_ACTIVITY,
    "id": "checkin-batch-test",
    "title": "Checkin batch test",
}


clock = stopped_at()


async def _session_run(
    store: Store, runner: Runner, channel: int, members: range, activity: dict[str, Any]
) -> int:
    session = await store.sessions.create(
        NewSession(
            guild_id=GUILD,
            channel_id=channel,
            voice_channel_id=None,
            title="t",
            facilitator_id=FACILITATOR,
        ),
        0.0,
    )
    for member in members:
        await store.sessions.join(session.id, member, 0.0)
    started = await runner.start(
        session.id, Activity.model_validate({**activity, "version_hash": "abc"})
    )
    return started.run.id


async def _opened(engine: TestDatabase) -> tuple[Store, Runner, CheckinService]:
    store = Store(engine.url)
    await store.open()
    runner = Runner(store, clock, step_handlers())
    return store, runner, CheckinService(store, clock, runner, CheckinSettings())


async def _rows(store: Store, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in await store.db.fetch_all(sql, params)]


async def test_each_answer_of_a_batch_gets_its_own_outcome(engine: TestDatabase) -> None:
    """One batch: agreed answers, a pass and an answer without consent, a member who declined,
    a value the scale doesn't offer, an answer to a step that isn't the run's, and a member
    answering twice in the same moment: one group commit for what it writes, and each caller
    its own Saved or refusal."""
    store, runner, service = await _opened(engine)
    try:
        run_id = await _session_run(store, runner, 2, range(1, 11), ACTIVITY)
        for member in (1, 2, 3, 8):
            await store.privacy.set_consent(GUILD, member, "agreed", 0.0)
        await store.privacy.set_consent(GUILD, 6, "declined", 0.0)
        before = store.db.writer.batches
        calls = [
            service.answer_step(run_id, 0, 1, 7),
            service.answer_step(run_id, 0, 2, 1),
            service.answer_step(run_id, 0, 3, None),  # a pass, with consent
            service.answer_step(run_id, 0, 4, None),  # a pass, never asked
            service.answer_step(run_id, 0, 5, 6),  # an answer, never asked
            service.answer_step(run_id, 0, 6, 4),  # declined earlier
            service.answer_step(run_id, 0, 7, 11),  # not on a 0-10 scale
            service.answer_step(run_id, 1, 9, 5),  # not the run's step
            service.answer_step(run_id, 0, 8, 3),
            service.answer_step(run_id, 0, 8, 9),  # the same member again, same moment
        ]
        (
            first,
            low,
            passed,
            unasked_pass,
            unasked,
            declined,
            invalid,
            wrong_step,
            once,
            again,
        ) = await asyncio.gather(*calls, return_exceptions=True)
        assert store.db.writer.batches - before == 2, "the batch, then the second answer alone"
        assert isinstance(first, Saved) and first.record is not None
        assert (first.record.user_id, first.record.value, first.low) == (1, 7, False)
        assert isinstance(low, Saved) and low.low and low.record is not None
        assert isinstance(passed, Saved) and passed.passed and passed.record is not None
        assert passed.record.passed and passed.record.value is None
        assert isinstance(unasked_pass, Saved)
        assert unasked_pass.passed and unasked_pass.record is None and not unasked_pass.declined
        assert isinstance(unasked, ConsentNeeded)
        assert isinstance(declined, Saved) and declined.declined and declined.record is None
        assert not declined.passed
        assert isinstance(invalid, InvalidInput)
        assert isinstance(wrong_step, Conflict)
        assert isinstance(once, Saved) and once.record is not None and not once.replaced
        assert isinstance(again, Saved) and again.record is not None and again.replaced
        assert again.record.id == once.record.id and again.record.value == 9
        for saved in (first, low, passed, unasked_pass, declined, once, again):
            assert isinstance(saved, Saved) and saved.update is None  # members still to answer
        stored = await _rows(
            store,
            "SELECT user_id, value, passed FROM checkins WHERE run_id = ? ORDER BY user_id",
            (run_id,),
        )
        assert stored == [(1, 7, 0), (2, 1, 0), (3, None, 1), (8, 9, 0)]
        kinds = await _rows(
            store,
            "SELECT author_id, kind FROM contributions WHERE run_id = ? ORDER BY author_id",
            (run_id,),
        )
        assert kinds == [
            (1, "checkin"),
            (2, "checkin"),
            (3, "pass"),
            (4, "pass"),
            (6, "pass"),
            (8, "checkin"),
        ]
        # The records handed back are the rows as committed.
        for saved in (first, low, passed, again):
            assert isinstance(saved, Saved) and saved.record is not None
            assert saved.record == await store.checkins.get(saved.record.id)
    finally:
        await store.close()


async def test_a_batch_over_two_runs_moves_each_on_once_and_a_stopped_one_writes_nothing(
    engine: TestDatabase,
) -> None:
    store, runner, service = await _opened(engine)
    try:
        members = range(1, 5)
        runs = [await _session_run(store, runner, c, members, ACTIVITY) for c in (2, 3, 4)]
        for member in members:
            await store.privacy.set_consent(GUILD, member, "agreed", 0.0)
        await runner.stop(runs[2])
        outcomes = await asyncio.gather(
            *(service.answer_step(run, 0, m, 5) for m in members for run in runs),
            return_exceptions=True,
        )
        by_run: dict[int, list[Any]] = {run: [] for run in runs}
        for index, outcome in enumerate(outcomes):
            by_run[runs[index % 3]].append(outcome)
        for run in runs[:2]:
            assert all(isinstance(o, Saved) for o in by_run[run]), by_run[run]
            moved = [o.update for o in by_run[run] if o.update is not None]
            assert len(moved) == 1 and moved[0].run.id == run and moved[0].entered_step == 1
            current = await store.runs.get(run)
            assert current is not None and current.step_index == 1
        assert all(isinstance(o, Conflict) for o in by_run[runs[2]]), by_run[runs[2]]
        written = await _rows(
            store, "SELECT COUNT(*) FROM contributions WHERE run_id = ?", (runs[2],)
        )
        assert written == [(0,)]
        assert await store.checkins.count() == 8
    finally:
        await store.close()


async def test_an_anonymous_step_is_answered_one_by_one_and_counted_once(
    engine: TestDatabase,
) -> None:
    anonymous = {
        **ACTIVITY,
        "steps": [{**ACTIVITY["steps"][0], "anonymous": True}, ACTIVITY["steps"][1]],
    }
    store, runner, service = await _opened(engine)
    try:
        run_id = await _session_run(store, runner, 2, range(1, 4), anonymous)
        for member in (1, 2, 3):
            await store.privacy.set_consent(GUILD, member, "agreed", 0.0)
        outcomes = await asyncio.gather(
            service.answer_step(run_id, 0, 1, 4),
            service.answer_step(run_id, 0, 1, 6),  # twice: an anonymous answer can't change
            service.answer_step(run_id, 0, 2, 5),
            return_exceptions=True,
        )
        assert isinstance(outcomes[0], Saved) and outcomes[0].anonymous
        assert isinstance(outcomes[1], Conflict)
        assert isinstance(outcomes[2], Saved) and outcomes[2].anonymous
        stored = await _rows(
            store, "SELECT user_id, value FROM checkins WHERE run_id = ? ORDER BY id", (run_id,)
        )
        assert stored == [(None, 4), (None, 5)]
    finally:
        await store.close()


async def test_a_batch_the_database_refuses_is_written_answer_by_answer(
    engine: TestDatabase,
) -> None:
    """A statement refused for one member's row (here a trigger) fails the batch's INSERT; the
    answers are then written one by one, so only that member's answer fails."""
    store, runner, service = await _opened(engine)
    try:
        run_id = await _session_run(store, runner, 2, range(1, 7), ACTIVITY)
        for member in range(1, 7):
            await store.privacy.set_consent(GUILD, member, "agreed", 0.0)
        async with store.db.writer.exclusive() as conn:
            if engine.is_postgres:
                await conn.execute(
                    "CREATE FUNCTION refuse_five() RETURNS trigger AS $$ BEGIN"
                    " IF NEW.user_id = 5 THEN RAISE EXCEPTION 'refused'"
                    " USING ERRCODE = 'check_violation'; END IF; RETURN NEW; END $$"
                    " LANGUAGE plpgsql"
                )
                await conn.execute(
                    "CREATE TRIGGER refuse_five BEFORE INSERT ON checkins FOR EACH ROW"
                    " EXECUTE FUNCTION refuse_five()"
                )
            else:
                await conn.execute(
                    "CREATE TRIGGER refuse_five BEFORE INSERT ON checkins"
                    " WHEN NEW.user_id = 5 BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
        before = store.db.writer.batches
        outcomes = await asyncio.gather(
            *(service.answer_step(run_id, 0, m, m) for m in range(1, 6)),
            return_exceptions=True,
        )
        # The batch (its job refused, nothing of it kept), then the answers one by one.
        assert store.db.writer.batches - before == 2
        assert isinstance(outcomes[4], IntegrityError), outcomes[4]
        assert all(isinstance(o, Saved) for o in outcomes[:4]), outcomes
        stored = await _rows(
            store, "SELECT user_id FROM checkins WHERE run_id = ? ORDER BY user_id", (run_id,)
        )
        assert stored == [(1,), (2,), (3,), (4,)]
        authors = await _rows(
            store,
            "SELECT author_id FROM contributions WHERE run_id = ? ORDER BY author_id",
            (run_id,),
        )
        assert authors == [(1,), (2,), (3,), (4,)]  # nothing of member 5's answer
    finally:
        await store.close()


async def test_a_cancelled_caller_leaves_the_others_answers_alone(engine: TestDatabase) -> None:
    cancelled = 1
    store, runner, service = await _opened(engine)
    try:
        run_id = await _session_run(store, runner, 2, range(1, 5), ACTIVITY)
        for member in range(1, 5):
            await store.privacy.set_consent(GUILD, member, "agreed", 0.0)
        tasks = [asyncio.ensure_future(service.answer_step(run_id, 0, m, 5)) for m in range(1, 4)]
        await asyncio.sleep(0)  # they have joined the batch
        tasks[cancelled].cancel()
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        assert isinstance(outcomes[cancelled], asyncio.CancelledError)
        others = [o for i, o in enumerate(outcomes) if i != cancelled]
        assert all(isinstance(o, Saved) for o in others), outcomes
        stored = await _rows(
            store, "SELECT user_id FROM checkins WHERE run_id = ? ORDER BY user_id", (run_id,)
        )
        assert {1, 3} <= {r[0] for r in stored}
    finally:
        await store.close()


async def test_a_step_completes_when_everyone_present_answered_not_at_a_count(
    engine: TestDatabase,
) -> None:
    """The completion read is the step's author ids: an answer by a member who has left counts
    towards the count that triggers the read, but not as one of those present."""
    store, runner, service = await _opened(engine)
    try:
        run_id = await _session_run(store, runner, 2, range(1, 5), ACTIVITY)
        for member in range(1, 5):
            await store.privacy.set_consent(GUILD, member, "agreed", 0.0)
        left = await service.answer_step(run_id, 0, 4, 5)
        assert left.update is None
        run = await store.runs.get(run_id)
        assert run is not None
        await store.sessions.leave(run.session_id, 4, 1.0)
        # Three present (1-3), three answers in the step once 1 and 2 answer: not complete.
        first = await asyncio.gather(*(service.answer_step(run_id, 0, m, 5) for m in (1, 2)))
        assert all(saved.update is None for saved in first)
        current = await store.runs.get(run_id)
        assert current is not None and current.step_index == 0
        last = await service.answer_step(run_id, 0, 3, 5)
        assert last.update is not None and last.update.entered_step == 1
    finally:
        await store.close()


async def test_callers_answered_over_several_turns_each_get_their_own_outcome(
    engine: TestDatabase,
) -> None:
    """A batch with more callers than are answered in one turn of the loop (REPLIES_AT_ONCE,
    where the writer waits on a server: PostgreSQL; SQLite answers them all at once):
    one group commit for all of them, each caller its own check-in, and the step's last answer
    (only) carries the step as committed, whichever turn it is answered in."""
    store, runner, service = await _opened(engine)
    try:
        members = range(1, 2 * REPLIES_AT_ONCE + 8)
        run_id = await _session_run(store, runner, 2, members, ACTIVITY)
        for member in members:
            await store.privacy.set_consent(GUILD, member, "agreed", 0.0)
        answered = await asyncio.gather(
            *(service.answer_step(run_id, 0, member, member % 11) for member in members)
        )
        mine = [
            (saved.record.user_id, saved.record.value)
            for saved in answered
            if saved.record is not None
        ]
        assert mine == [(member, member % 11) for member in members]
        assert [saved.update is not None for saved in answered] == [
            member == members[-1] for member in members
        ], "only the last answer moves the run on"
        stored = await _rows(store, "SELECT COUNT(*) FROM checkins WHERE run_id = ?", (run_id,))
        assert stored == [(len(members),)]
    finally:
        await store.close()


async def test_a_burst_of_several_batches_writes_each_once_and_answers_each_caller(
    engine: TestDatabase,
) -> None:
    """More answers at once than one job holds (the writer's batch size, lowered here): several
    jobs, each its own group commit, validated one after another (on PostgreSQL each from the
    turn after the one before it was submitted, so the server writes the first while the rest
    are validated); every caller its own check-in, and only the step's last answer moves the
    run on."""
    store, runner, service = await _opened(engine)
    try:
        store.db.writer.max_batch = 10
        service = CheckinService(store, clock, runner, CheckinSettings())
        members = range(1, 36)
        run_id = await _session_run(store, runner, 2, members, ACTIVITY)
        for member in members:
            await store.privacy.set_consent(GUILD, member, "agreed", 0.0)
        before = store.db.writer.batches
        answered = await asyncio.gather(
            *(service.answer_step(run_id, 0, member, member % 11) for member in members)
        )
        mine = [(s.record.user_id, s.record.value) for s in answered if s.record is not None]
        assert mine == [(member, member % 11) for member in members]
        assert [saved.update is not None for saved in answered] == [
            member == members[-1] for member in members
        ], "only the last answer moves the run on"
        # Four jobs of at most 10 answers, and the run's move on.
        assert store.db.writer.batches - before == 5
        stored = await _rows(store, "SELECT COUNT(*) FROM checkins WHERE run_id = ?", (run_id,))
        assert stored == [(len(members),)]
    finally:
        await store.close()

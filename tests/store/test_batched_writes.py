"""Hot writes in a group commit run together: one statement per table per batch, on both engines,
with each member's outcome the same as if their write had run alone."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest

from bot.records.sessions import NewContribution, NewRun, NewSession, RunRecord
from bot.store.checkins import CheckinAnswer, NewCheckin, NoConsent
from bot.store.engine import Conn, IntegrityError
from bot.store.postgres import PLANNED_ONCE_FROM
from bot.store.runs import Added, StepMoved
from bot.store.store import Store
from tests.engines import TestDatabase

GUILD = 1


async def _open_run(store: Store, channel_id: int = 2) -> tuple[int, int]:
    session = await store.sessions.create(
        NewSession(
            guild_id=GUILD,
            channel_id=channel_id,
            voice_channel_id=None,
            title="t",
            facilitator_id=3,
        ),
        0,
    )
    run = await store.runs.create(
        NewRun(
            session_id=session.id,
            activity_id="a",
            version_hash="h",
            definition="{}",
            step_deadline=None,
        ),
        0,
    )
    return session.id, run.id


def _answer(
    store: Store,
    session_id: int,
    run_id: int,
    user_id: int,
    value: int | None,
    *,
    step_index: int = 0,
    phase: str = "before",
) -> Any:
    """What CheckinService.answer_step asks of the store for one member (a coroutine)."""
    passed = value is None
    new = NewCheckin(
        guild_id=GUILD,
        user_id=user_id,
        session_id=session_id,
        run_id=run_id,
        step_index=step_index,
        scale="0-10",
        phase=phase,
        measure="mood",
        value=value,
        value2=None,
        passed=passed,
        created_at=10.0 + user_id,
    )
    return store.contributions.add_with(
        NewContribution(
            run_id=run_id,
            step_index=step_index,
            author_id=user_id,
            kind="pass" if passed else "checkin",
            payload={},
            replace=True,
            replaces=("checkin", "pass"),
            with_step=True,
            step_at_least=12,
        ),
        10.0 + user_id,
        also=CheckinAnswer(new, (GUILD, user_id), passed),
    )


def _traced(store: Store) -> list[str]:
    """Every statement the SQLite writer's connection runs from now on."""
    statements: list[str] = []
    conn: Any = store.db.writer.seam()
    conn.raw.set_trace_callback(statements.append)
    return statements


async def test_a_batch_of_answers_is_one_insert_per_table_and_each_outcome_is_its_own(
    engine: TestDatabase,
) -> None:
    store = Store(engine.url)
    await store.open()
    try:
        session_id, run_id = await _open_run(store)
        for user in range(1, 12):
            await store.privacy.set_consent(GUILD, user, "agreed", 0)
        await store.privacy.set_consent(GUILD, 20, "declined", 0)
        statements = _traced(store) if not engine.is_postgres else []
        before = store.db.writer.batches
        outcomes = await asyncio.gather(
            *(_answer(store, session_id, run_id, user, user % 10) for user in range(1, 11)),
            _answer(store, session_id, run_id, 11, 3),  # 11 answers twice in the same batch
            _answer(store, session_id, run_id, 11, 8),
            _answer(store, session_id, run_id, 21, 5),  # never asked: nothing is stored
            _answer(store, session_id, run_id, 20, None),  # said no, passes: no check-in row
            _answer(store, session_id, run_id, 1, 4, step_index=1),  # not the run's step
            return_exceptions=True,
        )
        assert store.db.writer.batches - before == 1, "all in one group commit"
        answers, (first, again, unasked, declined_pass, wrong_step) = outcomes[:10], outcomes[10:]
        for user, added in enumerate(answers, start=1):
            assert isinstance(added, Added), added
            assert added.record.author_id == user and not added.replaced
            assert added.also is not None and added.also.value == user % 10
        assert isinstance(first, Added) and isinstance(again, Added)
        assert first.record.id == again.record.id  # the second replaced the first
        assert again.also is not None and again.also.value == 8 and again.replaced
        assert isinstance(unasked, NoConsent) and not unasked.declined
        assert isinstance(declined_pass, Added) and declined_pass.also is None
        assert isinstance(wrong_step, StepMoved)
        # The step (12 contributions) came back to the batch's last new answer (and to the
        # replacement that ran after it, as alone), not to every answer of the batch.
        assert isinstance(declined_pass, Added) and len(declined_pass.step or []) == 12
        assert len(again.step or []) == 12
        assert all(isinstance(o, Added) and o.step is None for o in [*answers, first])

        rows = await store.db.fetch_all(
            "SELECT author_id, kind FROM contributions WHERE run_id = ? ORDER BY author_id",
            (run_id,),
        )
        assert [(r[0], r[1]) for r in rows] == [
            *((u, "checkin") for u in range(1, 12)),
            (20, "pass"),
        ]
        stored = await store.checkins.for_session(session_id)
        assert sorted((r.user_id, r.value) for r in stored) == [
            *((u, u % 10) for u in range(1, 11)),
            (11, 8),
        ]
        assert {r.id for r in stored} == {o.also.id for o in answers if isinstance(o, Added)} | {
            again.also.id
        }
        if statements:
            inserts = [s for s in statements if "INSERT INTO" in s]
            assert sum("INSERT INTO contributions" in s for s in inserts) == 1, inserts
            assert sum("INSERT INTO checkins" in s for s in inserts) == 1, inserts
    finally:
        await store.close()


async def test_a_batch_the_database_refuses_is_redone_job_by_job(engine: TestDatabase) -> None:
    store = Store(engine.url)
    await store.open()
    try:
        session_id, run_id = await _open_run(store)
        for user in range(1, 6):
            await store.privacy.set_consent(GUILD, user, "agreed", 0)
        before = store.db.writer.batches
        outcomes = await asyncio.gather(
            _answer(store, session_id, run_id, 1, 1),
            _answer(store, session_id, run_id, 2, 2),
            # A phase the schema's CHECK refuses: the batch's one INSERT fails as a whole.
            _answer(store, session_id, run_id, 3, 3, phase="during"),
            _answer(store, session_id, run_id, 4, 4),
            return_exceptions=True,
        )
        assert store.db.writer.batches - before == 1
        assert isinstance(outcomes[2], IntegrityError)
        assert all(isinstance(outcomes[i], Added) for i in (0, 1, 3))
        rows = await store.db.fetch_all(
            "SELECT author_id FROM contributions WHERE run_id = ? ORDER BY author_id", (run_id,)
        )
        assert [r[0] for r in rows] == [1, 2, 4]  # nothing of member 3's answer is kept
        stored = await store.checkins.for_session(session_id)
        assert Counter(r.user_id for r in stored) == Counter([1, 2, 4])
    finally:
        await store.close()


async def test_joins_in_one_batch_are_one_insert_and_a_second_join_is_no_change(
    engine: TestDatabase,
) -> None:
    store = Store(engine.url)
    await store.open()
    try:
        session_id, _ = await _open_run(store)
        assert await store.sessions.join(session_id, 1, 1.0)
        statements = _traced(store) if not engine.is_postgres else []
        before = store.db.writer.batches
        results = await asyncio.gather(
            store.sessions.join(session_id, 1, 2.0),  # already here
            store.sessions.join(session_id, 2, 2.0),
            store.sessions.join(session_id, 3, 2.0),
            store.sessions.join(session_id, 3, 2.5),  # twice in the batch: the first counts
        )
        assert store.db.writer.batches - before == 1
        assert list(results) == [False, True, True, False]
        present = await store.sessions.present(session_id)
        assert sorted(a.user_id for a in present) == [1, 2, 3]
        if statements:
            assert sum("INSERT INTO attendance" in s for s in statements) == 1, statements
    finally:
        await store.close()


async def test_a_burst_of_joins_with_one_to_a_missing_session_loses_only_that_join(
    engine: TestDatabase,
) -> None:
    """Enough joins for their key checks to be planned once (PostgreSQL): a join to a session
    that doesn't exist fails alone, the others are kept, and the next job has the session's
    own plan setting again."""
    store = Store(engine.url)
    await store.open()
    try:
        session_id, _ = await _open_run(store)
        members = range(100, 100 + PLANNED_ONCE_FROM)
        joins = [store.sessions.join(session_id, user_id, 3.0) for user_id in members]
        missing = store.sessions.join(session_id + 1000, 99, 3.0)

        async def plans(conn: Conn) -> str | None:
            return (
                None
                if conn.engine == "sqlite"
                else str(await conn.fetch_val("SHOW plan_cache_mode"))
            )

        results = await asyncio.gather(
            *joins, missing, store.db.write(plans, invalidate=()), return_exceptions=True
        )
        assert results[:-2] == [True] * PLANNED_ONCE_FROM
        assert isinstance(results[-2], IntegrityError)
        assert results[-1] == (None if not engine.is_postgres else "force_custom_plan")
        present = await store.sessions.present(session_id)
        assert sorted(a.user_id for a in present) == list(members)
    finally:
        await store.close()


async def test_run_updates_in_a_batch_are_one_statement_per_column_set_and_cas_is_per_run(
    engine: TestDatabase,
) -> None:
    store = Store(engine.url)
    await store.open()
    try:
        runs = [(await _open_run(store, channel))[1] for channel in range(8)]
        r1, r2, r3, r4, r5, r6, r7, r8 = runs
        assert await store.runs.update(r7, 0, state="finished", ended_at=1.0, wake_at=None)
        async with store.db.transaction() as conn:
            await conn.execute(
                "UPDATE activity_runs SET wake_claimed_until = 50 WHERE id = ?", (r3,)
            )
        statements = _traced(store) if not engine.is_postgres else []
        before = store.db.writer.batches

        def move(run_id: int, expected: int) -> Any:
            return store.runs.update(
                run_id,
                expected,
                step_index=expected + 1,
                step_started_at=20.0 + run_id,
                step_state=f'{{"run": {run_id}}}',
                wake_at=30.0 + run_id,
            )

        outcomes = await asyncio.gather(
            *(move(run_id, 0) for run_id in (r1, r2, r3, r4, r5)),
            move(r6, 1),  # not at step 1: refused
            move(r7, 0),  # finished: refused
            move(r1, 0),  # r1 moved to step 1 earlier in this same batch: refused
            move(r2, 1),  # r2's second move in the batch, after its first
            store.runs.set_step_message(r8, 88),  # no compare-and-set
        )
        assert store.db.writer.batches - before == 1, "all in one group commit"
        moved = outcomes[:5]
        for run_id, run in zip((r1, r2, r3, r4, r5), moved, strict=True):
            assert run is not None and run.id == run_id
            assert run.step_state == f'{{"run": {run_id}}}'
            assert run.wake_at == 30.0 + run_id and run.step_started_at == 20.0 + run_id
        assert [run.step_index for run in moved if run is not None] == [1, 1, 1, 1, 1]
        assert outcomes[5] is None and outcomes[6] is None and outcomes[7] is None
        again = outcomes[8]
        assert again is not None and again.id == r2 and again.step_index == 2
        assert outcomes[9] is None  # set_step_message returns nothing

        committed = {
            int(r[0]): (int(r[1]), r[2], r[3], r[4])
            for r in await store.db.fetch_all(
                "SELECT id, step_index, state, step_message_id, wake_claimed_until"
                " FROM activity_runs"
            )
        }
        assert committed[r1] == (1, "running", None, None)
        assert committed[r2] == (2, "running", None, None)
        assert committed[r3] == (1, "running", None, None)  # the new wake ended the claim
        assert committed[r6] == (0, "running", None, None)
        assert committed[r7] == (0, "finished", None, None)
        assert committed[r8] == (0, "running", 88, None)
        # What the writer committed is what later reads see (kept in the cache).
        cached = await store.runs.get(r2)
        assert cached is not None and cached.step_index == 2
        assert (await store.runs.get(r8) or cached).step_message_id == 88
        if statements:
            updates = [
                s for s in statements if s.startswith("WITH") and "UPDATE activity_runs" in s
            ]
            # Round one: r1-r7's moves; round two: r1's and r2's second moves. r8 alone.
            assert len(updates) == 2, statements
            alone = [s for s in statements if s.startswith("UPDATE activity_runs")]
            assert len(alone) == 1 and "step_message_id" in alone[0], alone
    finally:
        await store.close()


async def test_a_run_update_the_database_refuses_loses_only_itself(engine: TestDatabase) -> None:
    store = Store(engine.url)
    await store.open()
    try:
        runs = [(await _open_run(store, channel))[1] for channel in range(3)]
        before = store.db.writer.batches
        outcomes = await asyncio.gather(
            store.runs.update(runs[0], 0, state="paused", paused_remaining=5.0),
            store.runs.update(runs[1], 0, state="dancing", paused_remaining=5.0),  # CHECK
            store.runs.update(runs[2], 0, state="paused", paused_remaining=6.0),
            return_exceptions=True,
        )
        assert store.db.writer.batches - before == 1
        assert isinstance(outcomes[1], IntegrityError)
        assert [getattr(o, "state", None) for o in outcomes] == ["paused", None, "paused"]
        states = {
            int(r[0]): str(r[1])
            for r in await store.db.fetch_all("SELECT id, state FROM activity_runs")
        }
        assert states == {runs[0]: "paused", runs[1]: "running", runs[2]: "paused"}
        with pytest.raises(ValueError):
            await store.runs.update(runs[0], 0, session_id=9)
    finally:
        await store.close()


async def test_a_state_guarded_run_update_changes_only_the_state_it_read(
    engine: TestDatabase,
) -> None:
    """`update_unchanged`: refused (None, the row as the other writer left it) when the step
    state changed since it was read, also in a batch beside plain updates; taken otherwise."""
    store = Store(engine.url)
    await store.open()
    try:
        r1, r2 = [(await _open_run(store, channel))[1] for channel in range(2)]
        read = await store.runs.get(r1)
        assert read is not None
        assert await store.runs.update(r1, 0, step_state='{"other": 1}')  # another change
        before = store.db.writer.batches
        stale, plain, fresh_read = await asyncio.gather(
            store.runs.update_unchanged(read, step_state='{"mine": 1}'),
            store.runs.update(r2, 0, step_state='{"plain": 1}'),
            store.runs.get(r1),
        )
        assert store.db.writer.batches - before == 1, "one group commit"
        assert stale is None and plain is not None
        assert fresh_read is not None and fresh_read.step_state == '{"other": 1}'
        taken = await store.runs.update_unchanged(fresh_read, step_state='{"mine": 1}')
        assert taken is not None and taken.step_state == '{"mine": 1}'
        kept = await store.db.fetch_one("SELECT step_state FROM activity_runs WHERE id = ?", (r1,))
        assert kept is not None and kept[0] == '{"mine": 1}'
    finally:
        await store.close()


@pytest.mark.parametrize(
    "change",
    [
        {"state": "paused"},
        {"step_deadline": 90.5},
        {"paused_remaining": 12.25},
        {"wake_at": 90.5},
    ],
    ids=lambda change: next(iter(change)),
)
async def test_a_run_compare_and_set_is_refused_when_its_clock_changed(
    engine: TestDatabase, change: dict[str, Any]
) -> None:
    """`update_unchanged` also finds the run's state, deadline, time left while paused and
    wake time as read (NULLs compared as values): an extension or a pause elsewhere refuses
    it, with the step state untouched. The same read, written back unchanged, is taken."""
    store = Store(engine.url)
    await store.open()
    try:
        _, run_id = await _open_run(store)
        assert await store.runs.update(run_id, 0, step_deadline=60.5, wake_at=60.5)
        read = await store.runs.get(run_id)
        assert read is not None and read.paused_remaining is None
        assert await store.runs.update(run_id, 0, **change)  # another process's change
        assert await store.runs.update_unchanged(read, step_state='{"mine": 1}') is None
        fresh = await store.runs.get(run_id)
        assert fresh is not None and fresh.step_state == read.step_state
        taken = await store.runs.update_unchanged(fresh, step_state='{"mine": 1}')
        assert taken is not None and taken.step_state == '{"mine": 1}'
    finally:
        await store.close()


async def test_compare_and_sets_of_runs_as_read_in_a_batch_are_one_statement(
    engine: TestDatabase,
) -> None:
    """Moves of many runs, each only if the run is still as read (a step completed by its
    last answer, bot/core/contributing.py `_complete`): one `UPDATE ... FROM` the batch, the
    compare-and-set per run: a run paused or extended since its read (NULL and number
    columns alike), or moved by its own earlier update in the batch, is left as it is."""
    store = Store(engine.url)
    await store.open()
    try:
        runs = [(await _open_run(store, channel))[1] for channel in range(5)]
        for run_id in runs:
            assert await store.runs.update(run_id, 0, step_deadline=60.5, wake_at=60.5)
        read = [await store.runs.get(run_id) for run_id in runs]
        r1, r2, r3, r4, r5 = (run for run in read if run is not None)
        assert await store.runs.update(r3.id, 0, state="paused", step_deadline=None)
        assert await store.runs.update(r4.id, 0, step_deadline=90.5, wake_at=90.5)
        statements = _traced(store) if not engine.is_postgres else []
        before = store.db.writer.batches

        def move(run: RunRecord) -> Any:
            return store.runs.update_unchanged(
                run, step_index=1, step_state=f'{{"run": {run.id}}}', wake_at=None
            )

        outcomes = await asyncio.gather(move(r1), move(r2), move(r3), move(r4), move(r5), move(r1))
        assert store.db.writer.batches - before == 1, "all in one group commit"
        assert [None if o is None else (o.id, o.step_index) for o in outcomes] == [
            (r1.id, 1),
            (r2.id, 1),
            None,  # paused since it was read
            None,  # extended since it was read
            (r5.id, 1),
            None,  # moved by its first update in this batch
        ]
        committed = {
            int(r[0]): (int(r[1]), r[2], r[3])
            for r in await store.db.fetch_all(
                "SELECT id, step_index, state, step_deadline FROM activity_runs"
            )
        }
        assert committed[r3.id] == (0, "paused", None)
        assert committed[r4.id] == (0, "running", 90.5)
        assert committed[r5.id] == (1, "running", 60.5)
        if statements:
            updates = [
                s for s in statements if s.startswith("WITH") and "UPDATE activity_runs" in s
            ]
            # Round one: the five runs' moves; round two: r1's second, a group of one alone.
            assert len(updates) == 1, statements
            alone = [s for s in statements if s.startswith("UPDATE activity_runs")]
            assert len(alone) == 1 and "IS NOT DISTINCT FROM" in alone[0], alone
    finally:
        await store.close()

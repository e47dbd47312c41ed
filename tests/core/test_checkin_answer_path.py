"""The check-in answer's hot path on both engines: CheckinService.answer_step reads the run once
and hands it to the runner (`Runner.contribute_to`), whose write is a future the answer waits on
(`Database.submit`). The guarantees stay: acknowledged only after COMMIT, consent read in the
same commit, an answer to a step that has moved on refused with nothing written, a batch of
answers one INSERT per table."""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bot.core.activities import Activity
from bot.core.checkin_service import CheckinService, ConsentNeeded, Saved
from bot.core.errors import Conflict
from bot.core.runner import Runner
from bot.core.steps import step_handlers
from bot.records.errors import StorageUnavailable
from bot.records.sessions import NewSession
from bot.settings import CheckinSettings
from bot.store.engine import Conn
from bot.store.store import Store
from tests.core.checkin_setup import ACTIVITY as SERVICE_ACTIVITY
from tests.core.runner_setup import stopped_at
from tests.engines import TestDatabase

GUILD = 1
FACILITATOR = 99
MEMBERS = range(1, 13)
# The check-in service's two-step activity (a check-in, then a prompt) under its own id.
ACTIVITY = {**SERVICE_ACTIVITY, "id": "answer-path-test", "title": "Answer path test"}


clock = stopped_at()


async def _running(store: Store) -> tuple[Runner, CheckinService, int]:
    """A run at its check-in step with MEMBERS present; all but the last agreed to storage."""
    runner = Runner(store, clock, step_handlers())
    service = CheckinService(store, clock, runner, CheckinSettings())
    session = await store.sessions.create(
        NewSession(
            guild_id=GUILD,
            channel_id=2,
            voice_channel_id=None,
            title="t",
            facilitator_id=FACILITATOR,
        ),
        0.0,
    )
    for member in MEMBERS:
        await store.sessions.join(session.id, member, 0.0)
        if member != MEMBERS[-1]:
            await store.privacy.set_consent(GUILD, member, "agreed", 0.0)
    activity = Activity.model_validate({**ACTIVITY, "version_hash": "abc"})
    started = await runner.start(session.id, activity)
    return runner, service, started.run.id


def _traced(store: Store) -> list[str]:
    """Every statement the SQLite writer's connection runs from now on."""
    statements: list[str] = []
    conn: Any = store.db.writer.seam()
    conn.raw.set_trace_callback(statements.append)
    return statements


async def test_a_burst_of_answers_is_one_insert_per_table_and_each_is_acknowledged_committed(
    engine: TestDatabase,
) -> None:
    store = Store(engine.url)
    await store.open()
    try:
        _, service, run_id = await _running(store)
        statements = [] if engine.is_postgres else _traced(store)
        before = store.db.writer.batches
        outcomes = await asyncio.gather(
            *(service.answer_step(run_id, 0, member, member % 11) for member in MEMBERS),
            return_exceptions=True,
        )
        assert store.db.writer.batches - before == 1, "all answers in one group commit"
        *answered, unasked = outcomes
        assert isinstance(unasked, ConsentNeeded)  # consent read in the same commit
        stored = {r.user_id: r for r in await store.checkins.for_session(1)}
        assert Counter(stored.keys()) == Counter(MEMBERS[:-1])
        for member, saved in zip(MEMBERS, answered, strict=False):
            assert isinstance(saved, Saved), saved
            assert saved.record is not None and saved.record == stored[member]
            assert saved.record.value == member % 11 and not saved.passed
            assert saved.low == (member % 11 <= 2)
            assert saved.update is None  # one member still to answer: the step stays
        rows = await store.db.fetch_all(
            "SELECT author_id FROM contributions WHERE run_id = ? ORDER BY author_id", (run_id,)
        )
        assert [r[0] for r in rows] == list(MEMBERS[:-1])  # nothing for the unasked member
        if not engine.is_postgres:
            inserts = [s for s in statements if "INSERT INTO" in s]
            assert sum("INSERT INTO contributions" in s for s in inserts) == 1, inserts
            assert sum("INSERT INTO checkins" in s for s in inserts) == 1, inserts
    finally:
        await store.close()


async def test_the_last_answer_moves_the_step_on_once(engine: TestDatabase) -> None:
    store = Store(engine.url)
    await store.open()
    try:
        _, service, run_id = await _running(store)
        await store.privacy.set_consent(GUILD, MEMBERS[-1], "agreed", 0.0)
        outcomes = await asyncio.gather(
            *(service.answer_step(run_id, 0, member, 5) for member in MEMBERS)
        )
        moved = [o.update for o in outcomes if o.update is not None]
        assert len(moved) == 1 and moved[0].entered_step == 1
        run = await store.runs.get(run_id)
        assert run is not None and run.step_index == 1
        with pytest.raises(Conflict):  # the step has ended: a late answer is refused
            await service.answer_step(run_id, 0, MEMBERS[0], 3)
    finally:
        await store.close()


async def test_an_answer_for_a_run_that_stopped_meanwhile_is_refused_and_writes_nothing(
    engine: TestDatabase,
) -> None:
    store = Store(engine.url)
    await store.open()
    try:
        runner, service, run_id = await _running(store)
        seen = await store.runs.get(run_id)  # what the service read a moment before
        assert seen is not None
        await runner.stop(run_id)
        with pytest.raises(Conflict):
            await runner.contribute_to(seen, MEMBERS[0], "checkin", {}, now=1.0)
        with pytest.raises(Conflict):  # and through the service, which reads it again
            await service.answer_step(run_id, 0, MEMBERS[0], 5)
        rows = await store.db.fetch_all(
            "SELECT COUNT(*) FROM contributions WHERE run_id = ?", (run_id,)
        )
        assert rows[0][0] == 0
        assert await store.checkins.count() == 0
    finally:
        await store.close()


async def test_a_submitted_write_is_answered_after_its_commit_with_its_own_outcome(
    engine: TestDatabase,
) -> None:
    store = Store(engine.url)
    await store.open()
    try:

        async def add(conn: Conn) -> int:
            await conn.execute("INSERT INTO guilds (id, created_at) VALUES (7, 0)")
            return 7

        async def refuse(conn: Conn) -> None:
            await conn.execute("INSERT INTO guilds (id, created_at) VALUES (8, 0)")
            raise ValueError("refused")

        done = store.db.submit(add, invalidate=())
        failed = store.db.submit(refuse, invalidate=())
        assert not done.done()  # queued: nothing is acknowledged before the commit
        assert await done == 7
        with pytest.raises(ValueError, match="refused"):
            await failed
        rows = await store.db.fetch_all("SELECT id FROM guilds ORDER BY id")
        assert [r[0] for r in rows] == [7]  # committed when answered; the refused job left nothing
    finally:
        await store.close()


async def test_a_submitted_write_that_cannot_be_written_is_storage_unavailable(
    tmp_path: Path,
) -> None:
    """SQLite: a database file another process holds locked past the writer's retries, and a
    statement SQLite itself can't run, reach the answer as StorageUnavailable (PostgreSQL's
    lost server: tests/reliability)."""
    path = tmp_path / "c.db"
    store = Store(path)
    await store.open()
    try:

        async def add(conn: Conn) -> None:
            await conn.execute("INSERT INTO guilds (id, created_at) VALUES (7, 0)")

        async def broken(conn: Conn) -> None:
            await conn.execute("INSERT INTO no_such_table (id) VALUES (1)")

        with pytest.raises(StorageUnavailable):
            await store.db.submit(broken, invalidate=())
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StorageUnavailable):
                await store.db.submit(add, invalidate=())
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert await store.db.fetch_all("SELECT id FROM guilds") == []
    finally:
        await store.close()

"""Group commit: many simultaneous writers share a transaction, and none is lost or undone."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg
import pytest

from bot.records.errors import StorageUnavailable
from bot.records.sessions import NewSession
from bot.store.engine import Conn, IntegrityError
from bot.store.postgres import PLANNED_ONCE_FROM
from bot.store.store import Store
from tests.engines import TestDatabase


async def test_simultaneous_writes_share_commits_and_all_persist(engine: TestDatabase) -> None:
    store = Store(engine.url)
    await store.open()
    session = await store.sessions.create(
        NewSession(guild_id=1, channel_id=1, voice_channel_id=None, title="t", facilitator_id=1),
        0.0,
    )
    before = store.db.writer.batches
    results = await asyncio.gather(
        *(store.sessions.join(session.id, uid, 1.0) for uid in range(500))
    )
    assert all(results)
    batches = store.db.writer.batches - before
    assert batches < 50, f"{batches} commits for 500 joins"
    assert len(await store.sessions.present(session.id)) == 500
    await store.close()


async def test_a_failing_job_is_rolled_back_alone(engine: TestDatabase) -> None:
    store = Store(engine.url)
    await store.open()

    def good(n: int) -> Callable[[Conn], Awaitable[int]]:
        async def job(conn: Conn) -> int:
            await conn.execute("INSERT INTO guilds (id, created_at) VALUES (?, 0)", (n,))
            return n

        return job

    async def bad(conn: Conn) -> None:
        await conn.execute("INSERT INTO guilds (id, created_at) VALUES (99, 0)")
        raise ValueError("nope")

    outcomes = await asyncio.gather(
        store.db.write(good(1), invalidate=()),
        store.db.write(bad, invalidate=()),
        store.db.write(good(2), invalidate=()),
        return_exceptions=True,
    )
    assert outcomes[0] == 1 and outcomes[2] == 2 and isinstance(outcomes[1], ValueError)
    ids = [r[0] for r in await store.db.fetch_all("SELECT id FROM guilds ORDER BY id")]
    assert ids == [1, 2]
    await store.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
async def test_read_only_database_reports_storage_unavailable(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    await store.open()
    os.chmod(tmp_path / "c.db", 0o400)
    with pytest.raises(StorageUnavailable):
        await store.sessions.join(1, 1, 0.0)
    await store.close()


def _guild_job(guild_id: int) -> Callable[[Conn], Awaitable[int]]:
    async def job(conn: Conn) -> int:
        await conn.execute("INSERT INTO guilds (id, created_at) VALUES (?, 0)", (guild_id,))
        return guild_id

    return job


def _hold_write_lock(path: Path, guild_id: int) -> sqlite3.Connection:
    """Another process (a backup, a second bot) holding SQLite's write lock, mid-transaction."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO guilds (id, created_at) VALUES (?, 0)", (guild_id,))
    return other


def _guild_ids(path: Path) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM guilds ORDER BY id")]
    finally:
        conn.close()


async def test_a_write_waits_for_another_process_without_holding_the_loop(
    tmp_path: Path,
) -> None:
    path = tmp_path / "c.db"
    store = Store(path)
    await store.open()
    other = _hold_write_lock(path, 1)
    try:
        write = asyncio.create_task(store.db.write(_guild_job(2), invalidate=()))
        ticks: list[int] = []

        async def ticker() -> None:
            for n in range(5):
                await asyncio.sleep(0.01)
                ticks.append(n)

        # Another coroutine runs to the end while the write waits for the lock: the loop is free.
        await asyncio.create_task(ticker())
        assert ticks == [0, 1, 2, 3, 4]
        assert not write.done(), "the write cannot have committed while another process writes"
        other.execute("COMMIT")
    finally:
        if other.in_transaction:
            other.execute("ROLLBACK")
        other.close()
    assert await write == 2
    assert _guild_ids(path) == [1, 2]
    await store.close()


async def test_a_lock_held_past_the_retries_fails_the_write_and_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.store.writer.BUSY_RETRIES", 2)
    path = tmp_path / "c.db"
    store = Store(path)
    await store.open()
    other = _hold_write_lock(path, 1)
    try:
        with pytest.raises(StorageUnavailable):
            await store.db.write(_guild_job(2), invalidate=())
        other.execute("COMMIT")
    finally:
        if other.in_transaction:
            other.execute("ROLLBACK")
        other.close()
    assert _guild_ids(path) == [1]  # the other process's row, nothing of the failed write
    # Once the lock is free the writer works again.
    assert await store.db.write(_guild_job(3), invalidate=()) == 3
    assert _guild_ids(path) == [1, 3]
    await store.close()


def _attendance_in_main_file(path: Path) -> int:
    """Rows in the database file itself: immutable=1 ignores the WAL (uncheckpointed pages)."""
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM attendance").fetchone()[0])
    finally:
        conn.close()


async def _joins_after_schema_checkpoint(path: Path, members: int) -> Store:
    store = Store(path)
    await store.open()
    session = await store.sessions.create(
        NewSession(guild_id=1, channel_id=1, voice_channel_id=None, title="t", facilitator_id=1),
        0.0,
    )
    # Put the schema and the session into the file first, so only the joins can be missing.
    outside = sqlite3.connect(path, isolation_level=None)
    try:
        outside.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    finally:
        outside.close()
    assert _attendance_in_main_file(path) == 0
    joined = await asyncio.gather(
        *(store.sessions.join(session.id, uid, 1.0) for uid in range(members))
    )
    assert all(joined)
    assert len(await store.sessions.present(session.id)) == members
    return store


async def test_group_commits_are_checkpointed_into_the_database_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.store.database.CHECKPOINT_JOBS", 5)
    path = tmp_path / "c.db"
    store = await _joins_after_schema_checkpoint(path, 20)
    checkpoint = store.db._checkpoint
    assert checkpoint is not None, "20 jobs past a threshold of 5 should start a checkpoint"
    await checkpoint
    assert _attendance_in_main_file(path) == 20
    await store.close()


async def test_without_a_checkpoint_group_commits_stay_in_the_wal(tmp_path: Path) -> None:
    """The control for the test above: the writer never checkpoints on its own."""
    path = tmp_path / "c.db"
    store = await _joins_after_schema_checkpoint(path, 20)
    assert store.db._checkpoint is None
    assert _attendance_in_main_file(path) == 0
    await store.close()


async def test_batches_are_capped_at_max_batch_and_all_land(engine: TestDatabase) -> None:
    store = Store(engine.url)
    await store.open()
    store.db.writer.max_batch = 10
    session = await store.sessions.create(
        NewSession(guild_id=1, channel_id=1, voice_channel_id=None, title="t", facilitator_id=1),
        0.0,
    )
    before = store.db.writer.batches
    joined = await asyncio.gather(*(store.sessions.join(session.id, uid, 1.0) for uid in range(95)))
    assert all(joined)
    assert store.db.writer.batches - before >= 10
    rows = await store.db.fetch_all(
        "SELECT user_id FROM attendance WHERE session_id = ? ORDER BY user_id", (session.id,)
    )
    assert [r[0] for r in rows] == list(range(95))
    await store.close()


class _Weighted:
    """A job that counts as `weight` jobs towards the writer's batch size (like a job holding
    a burst's answers: bot/store/checkin_answers.py)."""

    def __init__(self, guild_id: int, weight: int, batches: list[int], store: Store) -> None:
        self.guild_id = guild_id
        self.weight = weight
        self._batches = batches
        self._store = store

    async def __call__(self, conn: Conn) -> int:
        await conn.execute("INSERT INTO guilds (id, created_at) VALUES (?, 0)", (self.guild_id,))
        self._batches.append(self._store.db.writer.batches)  # the batch it runs in
        return self.guild_id


async def test_a_job_counts_its_weight_towards_the_batch_size(engine: TestDatabase) -> None:
    store = Store(engine.url)
    await store.open()
    try:
        store.db.writer.max_batch = 10
        seen: list[int] = []
        jobs = [
            _Weighted(1, 6, seen, store),
            _Weighted(2, 4, seen, store),  # 6 + 4: the same batch
            _Weighted(3, 1, seen, store),  # 11 would be over: the next one
            _Weighted(4, 25, seen, store),  # heavier than a batch: alone
            _Weighted(5, 1, seen, store),
        ]
        done = await asyncio.gather(*(store.db.write(job, invalidate=()) for job in jobs))
        assert done == [1, 2, 3, 4, 5]
        first = seen[0]
        assert [n - first for n in seen] == [0, 0, 1, 2, 3]
        rows = await store.db.fetch_all("SELECT id FROM guilds ORDER BY id")
        assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    finally:
        await store.close()


async def test_a_write_is_committed_when_it_is_acknowledged(engine: TestDatabase) -> None:
    """Another connection (another process) sees each write the moment `write` returns."""
    store = Store(engine.url)
    other = Store(engine.url)
    await store.open()
    await other.open()
    try:
        for guild in range(10, 20):
            assert await store.db.write(_guild_job(guild), invalidate=()) == guild
            row = await other.db.fetch_one("SELECT COUNT(*) FROM guilds WHERE id = ?", (guild,))
            assert row is not None and row[0] == 1
    finally:
        await other.close()
        await store.close()


async def test_a_job_refused_by_the_database_is_redone_alone(engine: TestDatabase) -> None:
    """A constraint error (which aborts a PostgreSQL transaction) loses only its own job."""
    store = Store(engine.url)
    await store.open()
    try:
        await store.db.write(_guild_job(7), invalidate=())
        outcomes = await asyncio.gather(
            *(store.db.write(_guild_job(g), invalidate=()) for g in (1, 7, 2, 3)),
            return_exceptions=True,
        )
        assert outcomes[0] == 1 and outcomes[2] == 2 and outcomes[3] == 3
        assert isinstance(outcomes[1], IntegrityError)
        ids = [r[0] for r in await store.db.fetch_all("SELECT id FROM guilds ORDER BY id")]
        assert ids == [1, 2, 3, 7]
    finally:
        await store.close()


async def test_postgres_writer_reconnects_after_losing_its_connection(
    postgres: TestDatabase,
) -> None:
    store = Store(postgres.url)
    await store.open()
    admin = await asyncpg.connect(postgres.url)
    try:
        assert await store.db.write(_guild_job(1), invalidate=()) == 1
        killed = await admin.fetchval(
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE application_name = 'chorus' AND pid <> pg_backend_pid()"
        )
        assert killed >= 2  # the writer's connection and the read pool's
        lost = 0
        for guild in (2, 3, 4):
            try:
                assert await store.db.write(_guild_job(guild), invalidate=()) == guild
            except StorageUnavailable:
                lost += 1  # the batch that found the connection gone; nothing of it kept
        assert lost <= 1
        found = {int(r[0]) for r in await admin.fetch("SELECT id FROM guilds")}
        assert found == {1, 2, 3, 4} - ({2} if lost else set())
    finally:
        await admin.close()
        await store.close()


async def test_postgres_connections_force_custom_plans(postgres: TestDatabase) -> None:
    """Generic plans (chosen after five executions) made batches ~10x slower: never use them."""
    store = Store(postgres.url)
    await store.open()
    try:
        read = await store.db.fetch_one("SHOW plan_cache_mode")
        assert read is not None and read[0] == "force_custom_plan"

        async def show(conn: Conn) -> str:
            return str(await conn.fetch_val("SHOW plan_cache_mode"))

        assert await store.db.write(show, invalidate=()) == "force_custom_plan"
    finally:
        await store.close()


async def test_key_checks_use_one_plan_only_inside_the_block_and_a_failure_undoes_it(
    postgres: TestDatabase,
) -> None:
    """A batch INSERT's foreign-key checks run under generic plans (planned once, not once per
    row); the writer's statements before and after keep custom plans, and a job that fails
    inside the block leaves nothing of the setting behind for the next job."""
    store = Store(postgres.url)
    await store.open()
    try:

        async def inside(conn: Conn) -> tuple[str, str, str, str]:
            before = str(await conn.fetch_val("SHOW plan_cache_mode"))
            async with conn.key_checks_planned_once(PLANNED_ONCE_FROM - 1):
                few = str(await conn.fetch_val("SHOW plan_cache_mode"))
            async with conn.key_checks_planned_once(PLANNED_ONCE_FROM):
                during = str(await conn.fetch_val("SHOW plan_cache_mode"))
            return before, few, during, str(await conn.fetch_val("SHOW plan_cache_mode"))

        assert await store.db.write(inside, invalidate=()) == (
            "force_custom_plan",
            "force_custom_plan",  # a few rows: not worth the two SETs
            "force_generic_plan",
            "force_custom_plan",
        )

        async def failing(conn: Conn) -> None:
            async with conn.key_checks_planned_once(PLANNED_ONCE_FROM):
                await conn.execute("INSERT INTO no_such_table VALUES (1)")

        async def show(conn: Conn) -> str:
            return str(await conn.fetch_val("SHOW plan_cache_mode"))

        failed = store.db.writer.submit(failing)
        after = store.db.writer.submit(show)
        with pytest.raises(asyncpg.UndefinedTableError):
            await failed
        assert await after == "force_custom_plan"
        assert await store.db.write(show, invalidate=()) == "force_custom_plan"
    finally:
        await store.close()

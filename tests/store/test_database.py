"""bot/store/database.py: the cache of hot reads, writes and transactions (both engines: the
PostgreSQL database is the same class's API), and the SQLite file itself."""

from __future__ import annotations

import asyncio
import sqlite3
import stat
from pathlib import Path

import pytest

from bot.store.cached_reads import StaleRead, run
from bot.store.database import Conn, Database
from bot.store.store import Store


async def counted(loads: list[str], value: str) -> str:
    loads.append(value)
    await asyncio.sleep(0)
    return value


async def test_a_cached_read_is_loaded_once_until_it_is_invalidated(store: Store) -> None:
    db = store.db
    loads: list[str] = []
    assert await db.cached("k", lambda: counted(loads, "one")) == "one"
    assert await db.cached("k", lambda: counted(loads, "two")) == "one"
    assert db.peek("k") == "one" and db.peek("other", "none") == "none"
    db.invalidate("k")
    assert db.peek("k") is None
    assert await db.cached("k", lambda: counted(loads, "two")) == "two"
    assert loads == ["one", "two"]


async def test_callers_asking_at_once_share_one_load(store: Store) -> None:
    loads: list[str] = []
    both = await asyncio.gather(
        store.db.cached("k", lambda: counted(loads, "a")),
        store.db.cached("k", lambda: counted(loads, "b")),
    )
    assert list(both) == ["a", "a"] and loads == ["a"]


async def test_a_load_that_raced_an_invalidation_is_not_kept(store: Store) -> None:
    db = store.db

    async def load() -> str:
        db.invalidate("k")  # a write of the key lands while the load is under way
        return "stale"

    assert await db.cached("k", load) == "stale"
    assert db.peek("k") is None


async def test_keep_writes_through_unless_the_key_moved_on(store: Store) -> None:
    db = store.db
    before = db.version_of("k")
    db.keep("k", "committed")
    assert db.peek("k") == "committed" and db.version_of("k") != before
    queued = db.version_of("k")
    db.invalidate("k")  # another write meanwhile
    db.keep("k", "mine", unchanged_since=queued)
    assert db.peek("k") is None
    db.keep("k", "fresh", unchanged_since=db.version_of("k"))
    assert db.peek("k") == "fresh"
    db.invalidate()
    assert db.peek("k") is None


async def test_a_write_forgets_the_reads_it_names(store: Store) -> None:
    db = store.db
    db.keep(run(1), 1)
    db.keep(run(2), 2)

    async def job(conn: Conn) -> int:
        await conn.execute("INSERT INTO guilds (id, created_at) VALUES (?, ?)", (77, 0.0))
        return 77

    assert await db.write(job, invalidate=(run(1),)) == 77
    assert db.peek(run(1)) is None and db.peek(run(2)) == 2
    assert await db.write_apart(job_reading_guild) == 1
    assert await db.submit(job_reading_guild, invalidate=()) == 1
    assert db.peek(run(2)) == 2
    await db.write(job_reading_guild, invalidate=None)
    assert db.peek(run(2)) is None


async def job_reading_guild(conn: Conn) -> int:
    row = await conn.fetch_one("SELECT COUNT(*) FROM guilds WHERE id = ?", (77,))
    assert row is not None
    return int(row[0])


async def test_a_transaction_commits_its_block_or_nothing(store: Store) -> None:
    db = store.db
    db.keep("k", "v")
    async with db.transaction(invalidate=()) as conn:
        await conn.execute("INSERT INTO guilds (id, created_at) VALUES (?, ?)", (5, 0.0))
    assert db.peek("k") == "v"
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO guilds (id, created_at) VALUES (?, ?)", (6, 0.0))
            raise RuntimeError("the block failed")
    assert db.peek("k") is None  # the default forgets everything
    rows = await db.fetch_all("SELECT id FROM guilds WHERE id IN (?, ?) ORDER BY id", (5, 6))
    assert [r[0] for r in rows] == [5]
    assert await db.fetch_one("SELECT id FROM guilds WHERE id = ?", (6,)) is None


async def test_the_schema_is_migrated_and_described(store: Store) -> None:
    db = store.db
    assert await db.version() >= 1
    assert await db.migrate() == []  # nothing left to apply
    tables = await db.tables()
    assert "activity_runs" in tables and "guilds" in tables
    assert not [t for t in tables if t.startswith("sqlite_")]
    assert {"id", "created_at"} <= await db.columns("guilds")
    assert await db.columns("no_such_table") == set()


async def test_the_sqlite_file_is_owner_only_and_backs_up(tmp_path: Path) -> None:
    # SQLite's own: the file, its mode, WAL and the online backup.
    db = Database(tmp_path / "sub" / "c.db")
    with pytest.raises(RuntimeError, match="not open"):
        _ = db.conn
    await db.open()
    await db.open()  # a second open is a no-op
    try:
        await db.migrate()
        await db.open_writer()

        async def job(conn: Conn) -> None:
            await conn.execute("INSERT INTO guilds (id, created_at) VALUES (?, ?)", (8, 0.0))

        await db.write(job, invalidate=())
        assert stat.S_IMODE((tmp_path / "sub" / "c.db").stat().st_mode) == 0o600
        row = await db.fetch_one("PRAGMA journal_mode")
        assert row is not None and row[0] == "wal"
        await db.backup(tmp_path / "copy" / "b.db")
    finally:
        await db.close()
    assert stat.S_IMODE((tmp_path / "copy" / "b.db").stat().st_mode) == 0o600
    copy = sqlite3.connect(tmp_path / "copy" / "b.db")
    try:
        assert copy.execute("SELECT id FROM guilds").fetchall() == [(8,)]
    finally:
        copy.close()


async def test_a_refusal_forgets_what_it_shows_stale_even_when_its_caller_stopped_waiting(
    store: Store,
) -> None:
    """A job refused with a `StaleRead` forgets the read it names although the write's caller
    was cancelled before the batch ran (the copy is stale for every later reader)."""
    db = store.db
    db.keep(run(7), "old run")

    async def refused(conn: Conn) -> None:
        raise StaleRead("taken meanwhile", [run(7)])

    pending = db.submit(refused, invalidate=())
    pending.cancel()  # the member's interaction went away before the batch ran
    await db.write(job_reading_guild, invalidate=())  # the next batch: the refused one ran
    assert db.peek(run(7)) is None

"""bot/store/postgres.py, the PostgreSQL engine on a real server (the `postgres` fixture: skipped
without one, failed under CHORUS_REQUIRE_POSTGRES=1): statements through the engine seam, rows
copied in with their own ids, and what it says instead of a file backup."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.records.errors import StorageUnavailable
from bot.records.sessions import NewSession
from bot.store.engine import Conn, IntegrityError
from bot.store.postgres import PostgresDatabase
from bot.store.store import Store
from tests.engines import TestDatabase


async def test_statements_count_the_rows_they_change(postgres: TestDatabase) -> None:
    store = Store(postgres.url)
    await store.open()
    db = store.db
    assert isinstance(db, PostgresDatabase)

    async def job(conn: Conn) -> tuple[int, int, int]:
        await conn.execute_many(
            "INSERT INTO guilds (id, created_at) VALUES (?, ?)", [(1, 0.0), (2, 0.0), (3, 0.0)]
        )
        updated = await conn.execute("UPDATE guilds SET created_at = ? WHERE id > ?", (5.0, 1))
        none = await conn.execute("UPDATE guilds SET created_at = 1 WHERE id = ?", (99,))
        created = await conn.execute("CREATE TEMPORARY TABLE scratch (x INT)")
        return updated, none, created

    assert await db.write(job, invalidate=()) == (2, 0, 0)
    rows = await db.fetch_all("SELECT id, created_at FROM guilds ORDER BY id")
    assert [tuple(r) for r in rows] == [(1, 0.0), (2, 5.0), (3, 5.0)]
    one = await db.fetch_one("SELECT id FROM guilds WHERE id = ?", (3,))
    assert one is not None and one[0] == 3

    async def duplicate(conn: Conn) -> None:
        await conn.execute("INSERT INTO guilds (id, created_at) VALUES (?, ?)", (1, 0.0))

    with pytest.raises(IntegrityError):
        await db.write(duplicate, invalidate=())


async def test_the_schema_is_described_from_the_server(postgres: TestDatabase) -> None:
    store = Store(postgres.url)
    await store.open()
    assert await store.db.version() >= 1
    assert await store.db.migrate() == []
    tables = await store.db.tables()
    assert "sessions" in tables and not [t for t in tables if t.startswith("pg_")]
    assert {"id", "guild_id", "channel_id"} <= await store.db.columns("sessions")
    assert await store.db.columns("no_such_table") == set()


async def test_rows_copied_with_their_ids_move_the_identity_past_them(
    postgres: TestDatabase,
) -> None:
    store = Store(postgres.url)
    await store.open()
    async with store.db.transaction() as conn:
        await conn.execute("INSERT INTO guilds (id, created_at) VALUES (?, ?)", (1, 0.0))
        await conn.execute(
            "INSERT INTO sessions (id, guild_id, channel_id, title, facilitator_id, started_at,"
            " status) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (40, 1, 2, "copied", 9, 0.0, "ended"),
        )
        await store.db.after_bulk_insert(conn, "sessions")
        await store.db.after_bulk_insert(conn, "guilds")  # no identity sequence: nothing moves
    created = await store.sessions.create(
        NewSession(guild_id=1, channel_id=3, voice_channel_id=None, title="t", facilitator_id=9),
        0.0,
    )
    assert created.id == 41


async def test_a_file_backup_names_what_to_use_instead(
    postgres: TestDatabase, tmp_path: Path
) -> None:
    store = Store(postgres.url)
    await store.open()
    with pytest.raises(StorageUnavailable, match="pg_dump"):
        await store.db.backup(tmp_path / "b.db")
    assert not (tmp_path / "b.db").exists()

"""Migrations: from empty and idempotent on both engines; all-or-nothing on real SQLite files
(PostgreSQL's is in test_schema_parity.py, with migrating once from many processes)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bot.records.sessions import NewSession
from bot.store.database import Database
from bot.store.migrator import MigrationError, bundled_migrations, migrations_from
from bot.store.store import Store, open_database
from tests.engines import TestDatabase


async def test_migrations_apply_from_empty_and_twice_is_a_no_op(engine: TestDatabase) -> None:
    db = open_database(engine.url)
    await db.open()
    shipped = bundled_migrations(db.migrations_folder)
    applied = await db.migrate()
    latest = max(m.version for m in shipped)
    assert [m.version for m in applied] == [m.version for m in shipped]
    assert await db.version() == latest
    assert await db.migrate() == []
    tables = set(await db.tables())
    assert {
        "guilds",
        "members",
        "sessions",
        "attendance",
        "activity_runs",
        "contributions",
        "checkins",
        "songs",
        "song_lines",
        "tracks",
        "nominations",
    } <= tables
    await db.close()


async def test_database_file_is_owner_only_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = Store(tmp_path / "data" / "chorus.db")
    await store.open()
    mode = stat.S_IMODE((tmp_path / "data" / "chorus.db").stat().st_mode)
    assert mode == 0o600
    journal = await store.db.fetch_one("PRAGMA journal_mode")
    keys = await store.db.fetch_one("PRAGMA foreign_keys")
    assert journal is not None and journal[0] == "wal"
    assert keys is not None and keys[0] == 1
    await store.close()


async def test_a_failing_migration_rolls_back_and_keeps_the_old_version(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_first.sql").write_text("CREATE TABLE a (id INTEGER PRIMARY KEY);\n")
    (folder / "0002_broken.sql").write_text(
        "CREATE TABLE b (id INTEGER PRIMARY KEY);\nINSERT INTO missing_table VALUES (1);\n"
    )
    db = Database(tmp_path / "x.db")
    await db.open()
    with pytest.raises(MigrationError, match=r"0002_broken\.sql"):
        await db.migrate(migrations_from(folder))
    assert await db.version() == 1
    names = {r[0] for r in await db.fetch_all("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "a" in names and "b" not in names
    await db.close()


async def test_backup_is_a_consistent_owner_only_copy(tmp_path: Path) -> None:
    store = Store(tmp_path / "live.db")
    await store.open()
    session = await store.sessions.create(
        NewSession(guild_id=1, channel_id=2, voice_channel_id=None, title="t", facilitator_id=3),
        1.0,
    )
    await store.db.backup(tmp_path / "backup" / "copy.db")
    copy = Store(tmp_path / "backup" / "copy.db")
    await copy.open()
    assert await copy.sessions.get(session.id) == session
    assert stat.S_IMODE((tmp_path / "backup" / "copy.db").stat().st_mode) == 0o600
    await copy.close()
    await store.close()

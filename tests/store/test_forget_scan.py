"""/forget reaches every column on both engines: after it, no integer column of any table
holds the member's id (except where PRIVACY.md says shared work keeps it anonymised)."""

from __future__ import annotations

import asyncpg

from bot.store.store import Store
from tests.engines import TestDatabase
from tests.store.test_copy import FILL

GUILD, ANA, BEN = 900000000000000001, 800000000000000002, 800000000000000003


async def integer_columns(store: Store, engine: TestDatabase) -> list[tuple[str, str]]:
    """Every (table, column) of an integer type, read from the engine's own catalogue."""
    found = []
    if engine.is_postgres:
        conn = await asyncpg.connect(engine.url)
        try:
            rows = await conn.fetch(
                "SELECT table_name, column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND data_type IN ('bigint', 'integer')"
                " AND table_name <> 'schema_migrations' ORDER BY 1, 2"
            )
        finally:
            await conn.close()
        return [(str(r[0]), str(r[1])) for r in rows]
    for table in await store.db.tables():
        for column in await store.db.fetch_all(f"PRAGMA table_info({table})"):
            if "INT" in str(column[2]).upper():
                found.append((table, str(column[1])))
    return found


async def holders(store: Store, engine: TestDatabase, user_id: int) -> list[tuple[str, str]]:
    hits = []
    for table, column in await integer_columns(store, engine):
        row = await store.db.fetch_one(
            f"SELECT 1 FROM {table} WHERE {column} = ? LIMIT 1", (user_id,)
        )
        if row is not None:
            hits.append((table, column))
    return hits


async def test_forget_leaves_no_integer_column_holding_the_id(engine: TestDatabase) -> None:
    store = Store(engine.url)
    await store.open()
    try:
        async with store.db.transaction() as conn:
            for sql in FILL:
                # The series is over, so /forget may anonymise its facilitator.
                await conn.execute(sql.replace("'2026-11-30T18:00', 0, 1, 1.0", "'x', 0, 0, 1.0"))
        scanned = await integer_columns(store, engine)
        assert len(scanned) >= 60
        before = await holders(store, engine, ANA)
        assert {t for t, _ in before} >= {
            "members",
            "sessions",
            "attendance",
            "session_waitlist",
            "contributions",
            "checkins",
            "song_lines",
            "tracks",
            "schedule_series",
            "goals",
            "review_authors",
            "schedule_drafts",
            "facilitator_tells",
            "consent_asks",
        }
        report = await store.privacy.forget(GUILD, ANA, now=50.0)
        assert report.total >= len(before)
        assert await holders(store, engine, ANA) == []
        # Ben's data and the shared work stay.
        assert ("members", "user_id") in await holders(store, engine, BEN)
        line = await store.db.fetch_one("SELECT author_id, text FROM song_lines WHERE id = 101")
        assert line is not None and line[0] is None and line[1] == "the kettle sings"
    finally:
        await store.close()

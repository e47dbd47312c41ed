"""Migration 22: one line per position of a song (both engines). Positions written twice before
it keep the line /song showed (the later); a second line at a taken position is refused."""

from __future__ import annotations

import pytest

from bot.store.database import Conn
from bot.store.engine import IntegrityError
from bot.store.migrator import bundled_migrations
from bot.store.store import open_database
from tests.engines import TestDatabase

BEFORE = 21
"""The schema version before song lines claim their positions."""


async def test_lines_written_twice_at_a_position_keep_the_later(engine: TestDatabase) -> None:
    migrations = bundled_migrations("postgres" if engine.is_postgres else "sqlite")
    assert migrations[BEFORE].name == "0022_song_line_positions.sql"
    db = open_database(engine.url)
    await db.open()
    try:
        await db.migrate(migrations[:BEFORE])
        await db.open_writer()

        async def written_before(conn: Conn) -> None:
            await conn.execute(
                "INSERT INTO songs (id, guild_id, theme, structure, created_at)"
                " VALUES (1, 1, 'Home', '[]', 0)"
            )
            # (written at, position, passed, removed_at), in id order: line 1 twice at once,
            # line 2 once with a pass beside it, line 3 written, removed and written again.
            for row in (
                (10.0, 0, 0, None),
                (20.0, 0, 0, None),
                (30.0, 1, 1, None),
                (40.0, 1, 0, None),
                (50.0, 2, 0, 45.0),
                (60.0, 2, 0, None),
            ):
                await conn.execute(
                    "INSERT INTO song_lines (song_id, position, section, text, passed,"
                    " removed_at, created_at) VALUES (1, ?, 'verse', 'words', ?, ?, ?)",
                    (*row[1:], row[0]),
                )

        await db.write(written_before, invalidate=None)
        await db.migrate(migrations)
        rows = await db.fetch_all(
            "SELECT created_at, removed_at FROM song_lines WHERE song_id = 1 ORDER BY id"
        )
        removed = {float(r[0]): None if r[1] is None else float(r[1]) for r in rows}
        # The earlier line 1 is marked removed when it was written; nothing else changes.
        assert removed == {10.0: 10.0, 20.0: None, 30.0: None, 40.0: None, 50.0: 45.0, 60.0: None}

        async def line_one_again(conn: Conn) -> None:
            await conn.execute(
                "INSERT INTO song_lines (song_id, position, section, text, created_at)"
                " VALUES (1, 0, 'verse', 'once more', 70)"
            )

        with pytest.raises(IntegrityError):
            await db.write(line_one_again, invalidate=None)

        async def a_pass_there(conn: Conn) -> None:
            await conn.execute(
                "INSERT INTO song_lines (song_id, position, section, passed, created_at)"
                " VALUES (1, 0, 'verse', 1, 80)"
            )

        await db.write(a_pass_there, invalidate=None)  # a pass leaves the position free
    finally:
        await db.close()

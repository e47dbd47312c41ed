"""`chorus db copy SRC DST --guild ID`: a leaving community gets its own rows and nobody else's.

Two servers with a row in every table (the second a copy of the first under other ids, the same
members in both, and a private check-in note of its own); copying one server out must give
exactly what a database holding only that server holds: the same count and checksum (so the
same ids and values) in every table, and not one row of the other server.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.store.copy import GUILD_ROWS, TABLE_ORDER, copy_database
from bot.store.store import Store
from tests.engines import TestDatabase
from tests.store.test_copy import FILL, filled_sqlite, summaries
from tests.test_cli import run_cli

ONE = 900000000000000001
OTHER = 900000000000000009
PRIVATE = "only the other server may read this"
_IDS = re.compile(r"\b(41|51|52|61|71|72|81|91|101|111|121|131|141|151|161|171|181|191|201|211)\b")


def other_server(sql: str) -> str:
    """One FILL statement for the other server: its guild id, every row id + 1000, a private note."""
    sql = sql.replace(str(ONE), str(OTHER))
    sql = _IDS.sub(lambda m: str(int(m.group(1)) + 1000), sql)
    sql = sql.replace("'uploads/a.mp3'", "'uploads/b.mp3'")  # one media folder for all
    return sql.replace("'tired', 1", f"'{PRIVATE}', 0")


OTHER_FILL = tuple(other_server(s) for s in FILL if not s.startswith("INSERT INTO shard_leases"))


async def two_servers(path: Path) -> str:
    url = await filled_sqlite(path)
    store = Store(url)
    await store.open()
    try:
        async with store.db.transaction() as conn:
            for sql in OTHER_FILL:
                await conn.execute(sql)
    finally:
        await store.close()
    return url


def test_every_table_has_a_rule_for_one_server() -> None:
    assert set(GUILD_ROWS) == set(TABLE_ORDER)


async def test_copy_one_server_out_of_two(tmp_path: Path, engine: TestDatabase) -> None:
    both = await two_servers(tmp_path / "hosted.db")
    alone = await summaries(await filled_sqlite(tmp_path / "alone.db"))
    together = await summaries(both)
    assert all(together[t][0] == 2 * alone[t][0] for t in TABLE_ORDER if t != "shard_leases")

    lines: list[str] = []
    copied = await copy_database(both, engine.url, report=lines.append, guild_id=ONE)
    assert [c.table for c in copied] == [t for t in TABLE_ORDER if t != "shard_leases"]

    got = await summaries(engine.url)
    # Complete and nothing more: every table as in a database that only ever held this server.
    assert got == {**alone, "shard_leases": (0, got["shard_leases"][1])}
    assert got["shard_leases"][0] == 0

    store = Store(engine.url)
    await store.open()
    try:
        for table in TABLE_ORDER:
            columns = await store.db.columns(table)
            if "guild_id" in columns:
                found = await store.db.fetch_one(
                    f"SELECT COUNT(*) FROM {table} WHERE guild_id <> ?", (ONE,)
                )
                assert found is not None and found[0] == 0, table
        notes = await store.db.fetch_all("SELECT note FROM checkins")
        assert [r[0] for r in notes] == ["tired"]
        session = await store.sessions.get(41)
        assert session is not None and session.guild_id == ONE
        assert await store.sessions.get(1041) is None
    finally:
        await store.close()


async def test_db_copy_guild_command(tmp_path: Path, postgres: TestDatabase) -> None:
    both = await two_servers(tmp_path / "hosted.db")
    await copy_database(both, postgres.url, report=lambda _: None)  # the hosted database
    leaving = tmp_path / "leaving.db"
    result = run_cli(
        "db", "copy", postgres.url, f"sqlite:///{leaving}", "--guild", str(OTHER), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert f"server {OTHER} only" in result.stdout and "verified" in result.stdout
    assert "media folder" in result.stdout
    assert await _has_note(leaving, PRIVATE)
    store = Store(leaving)
    await store.open()
    try:
        guilds = await store.db.fetch_all("SELECT id FROM guilds")
        assert [r[0] for r in guilds] == [OTHER]
        assert await store.sessions.get(41) is None
        assert await store.sessions.get(1041) is not None
    finally:
        await store.close()


async def _has_note(path: Path, note: str) -> bool:
    store = Store(path)
    await store.open()
    try:
        row = await store.db.fetch_one("SELECT COUNT(*) FROM checkins WHERE note = ?", (note,))
        return row is not None and row[0] == 1
    finally:
        await store.close()


def test_the_other_server_differs_in_every_row() -> None:
    """Else the checks above would prove little."""
    assert all(a != b for a, b in zip(FILL[1:], OTHER_FILL, strict=True))
    assert sum(PRIVATE in sql for sql in OTHER_FILL) == 1

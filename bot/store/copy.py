"""`chorus db copy SRC DST [--guild ID]`: a community's history from one database to another.

SQLite -> PostgreSQL to move a self-hosted server onto a shared database, and back for a
community that leaves a hosted instance: with `--guild ID` only that server's rows are copied
(every table filtered by its `guild_id`, or through its parent rows), so a leaving community
gets its own data and nobody else's.

- The source is read in one snapshot (SQLite: one read transaction; PostgreSQL: one
  REPEATABLE READ, read-only transaction), so a copy of a running bot is consistent. A SQLite
  source that doesn't exist is refused, never created.
- The destination is written in one transaction and verified inside it, before COMMIT: the row
  count and a checksum of every table must equal the source's. On any difference it rolls
  back: nothing is left behind and the copy can simply be run again.
- PostgreSQL text can't hold NUL characters (SQLite's can): like the store's engine seam, a NUL
  is stored as U+FFFD there, and the checksum counts it as U+FFFD on both sides.
- Into PostgreSQL the copy moves each table's id sequence past the copied ids (`setval`), which
  needs UPDATE on the sequences: run it as the owner role, not the bot's (README, "Least
  privilege"). It is refused up front, naming the role, when that is missing.
- What `/forget` and the retention purges removed is not in the source any more, so it is not
  copied either. The media folder (uploaded tracks) is files, not rows: copy it yourself.

The checksum is order-independent (the sum of one SHA-256 per row, modulo 2**128) and
engine-independent: values are normalised first (a float that is a whole number counts as the
integer, text as UTF-8 with NUL as U+FFFD), so it compares what is stored, not how each driver
returns it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from bot.store.database import Database
from bot.store.engine import Conn, DatabaseUrl, SqliteConn
from bot.store.store import Store

# Parents before children (foreign keys). A table missing here stops the copy, so a new table
# can't be left behind silently.
TABLE_ORDER = (
    "guilds",
    "members",
    "sessions",
    "attendance",
    "session_limits",
    "session_waitlist",
    "activity_runs",
    "contributions",
    "checkins",
    "songs",
    "song_lines",
    "tracks",
    "nominations",
    "plays",
    "schedule_series",
    "schedule_limits",
    "schedule_occurrences",
    "reminder_optins",
    "sent_reminders",
    "goals",
    "goal_ratings",
    "guild_activities",
    "guild_settings",
    "guild_setting_changes",
    # Which process fires which shard's timers: a copy's are lapsed (their processes are not
    # the destination's), so the destination's processes simply take them.
    "shard_leases",
    "checkin_schedules",
    "checkin_notice_optins",
    "checkin_tags",
    "facilitator_tells",
    "consent_asks",
    "pool_draws",
    "series_reminders",
    "series_reminder_offers",
    "server_checkin_tags",
    "review_authors",
    "schedule_drafts",
)
CHUNK = 1000

_IN_SESSIONS = "session_id IN (SELECT id FROM sessions WHERE guild_id = ?)"
# One server's rows of each table (`?` is the guild id): by its guild_id, or through the parent
# rows that carry it. None: not a server's data (which process fires which shard's timers).
_BY_GUILD: dict[str, str | None] = {table: "guild_id = ?" for table in TABLE_ORDER}
GUILD_ROWS: dict[str, str | None] = _BY_GUILD | {
    "guilds": "id = ?",
    "attendance": _IN_SESSIONS,
    "session_limits": _IN_SESSIONS,
    "session_waitlist": _IN_SESSIONS,
    "activity_runs": _IN_SESSIONS,
    "nominations": _IN_SESSIONS,
    "plays": _IN_SESSIONS,
    "contributions": "run_id IN (SELECT r.id FROM activity_runs r JOIN sessions s"
    " ON s.id = r.session_id WHERE s.guild_id = ?)",
    "song_lines": "song_id IN (SELECT id FROM songs WHERE guild_id = ?)",
    "schedule_limits": "series_id IN (SELECT id FROM schedule_series WHERE guild_id = ?)",
    "sent_reminders": "occurrence_id IN (SELECT id FROM schedule_occurrences WHERE guild_id = ?)",
    "goal_ratings": "goal_id IN (SELECT id FROM goals WHERE guild_id = ?)",
    "shard_leases": None,
}


class CopyError(Exception):
    """The copy can't start (no source, destination not empty, unknown table, a role that may
    not move the id sequences) or didn't verify (then nothing was committed)."""


@dataclass(frozen=True)
class TableCopy:
    table: str
    rows: int
    checksum: str


@dataclass(frozen=True)
class _Plan:
    table: str
    columns: list[str]
    where: str
    params: tuple[Any, ...]

    def select(self) -> str:
        return f"SELECT {', '.join(self.columns)} FROM {self.table}{self.where}"


def _normal(value: Any) -> bytes:
    if value is None:
        return b"N"
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return b"I" + str(value).encode()
    if isinstance(value, float):
        return b"F" + repr(value).encode()
    if isinstance(value, bytes | bytearray | memoryview):
        return b"B" + bytes(value)
    # PostgreSQL stores NUL as U+FFFD (engine.render_postgres): count it so on both sides.
    return b"T" + str(value).replace("\x00", "\ufffd").encode("utf-8")


def row_digest(row: Sequence[Any]) -> int:
    """A 128-bit digest of one row's values, the same for a row read from SQLite and from
    PostgreSQL (booleans as ints, whole floats as ints, NULL distinct from every value): `chorus
    db copy` compares the two databases' rows by it."""
    digest = hashlib.sha256(b"\x1f".join(_normal(v) for v in row)).digest()
    return int.from_bytes(digest[:16], "big")


def _summary(table: str, rows: Sequence[Sequence[Any]]) -> TableCopy:
    total = sum(row_digest(tuple(r)) for r in rows) % (1 << 128)
    return TableCopy(table, len(rows), f"{total:032x}")


async def table_summary(db: Database | Conn, table: str, columns: Sequence[str]) -> TableCopy:
    """Row count and order-independent checksum of one table."""
    rows = await db.fetch_all(f"SELECT {', '.join(columns)} FROM {table}")
    return _summary(table, [tuple(r) for r in rows])


@asynccontextmanager
async def _snapshot(url: DatabaseUrl) -> AsyncIterator[Conn]:
    """A read-only connection to `url` that sees one moment of it until the block ends."""
    if url.engine == "sqlite":
        raw = sqlite3.connect(f"file:{url.path}?mode=ro", uri=True, isolation_level=None)
        try:
            raw.execute("BEGIN")
            # SQLite's read snapshot starts at the transaction's first read.
            raw.execute("SELECT COUNT(*) FROM sqlite_master").fetchall()
            yield SqliteConn(raw)
            raw.execute("COMMIT")
        finally:
            raw.close()
        return
    import asyncpg

    from bot.store.postgres import SERVER_SETTINGS, PostgresConn

    conn = await asyncpg.connect(url.dsn, server_settings=SERVER_SETTINGS)
    try:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            yield PostgresConn(conn)
    finally:
        await conn.close()


async def copy_database(
    source: str,
    destination: str,
    report: Callable[[str], None] = print,
    guild_id: int | None = None,
) -> list[TableCopy]:
    """Copy every table (or, with `guild_id`, that server's rows of every table) from `source`
    to the empty `destination`, verify it and commit.

    Both are brought to the latest schema first. Raises CopyError when the source doesn't
    exist, the destination already holds data or may not be written as needed, a table is
    unknown, or a count or checksum differs (then the destination's transaction is rolled
    back, leaving it as empty as it was). Raises StorageUnavailable (and the driver's
    connection errors) when a database can't be reached.
    """
    source_url = DatabaseUrl.parse(source)
    if source_url.path is not None and not source_url.path.is_file():
        raise CopyError(f"no database at {source_url.path.resolve()} (check the source path)")
    src, dst = Store(source), Store(destination)
    await src.open()
    try:
        await dst.open()
        try:
            plan = await _plan(src.db, dst.db, guild_id)
            async with _snapshot(source_url) as snapshot:
                return await _copy(snapshot, dst.db, plan, report)
        finally:
            await dst.close()
    finally:
        await src.close()


async def _plan(src: Database, dst: Database, guild_id: int | None) -> list[_Plan]:
    source_tables = set(await src.tables())
    unknown = sorted(source_tables - set(TABLE_ORDER))
    if unknown:
        raise CopyError(f"tables this version of chorus db copy doesn't know: {unknown}")
    tables = [t for t in TABLE_ORDER if t in source_tables]
    missing = sorted(set(tables) - set(await dst.tables()))
    if missing:
        raise CopyError(f"the destination has no tables {missing}; is it at the same version?")
    for table in tables:
        found = await dst.fetch_one(f"SELECT COUNT(*) FROM {table}")
        if found is not None and int(found[0]) > 0:
            raise CopyError(f"the destination is not empty ({table} has rows); copy into a new one")
    plan: list[_Plan] = []
    for table in tables:
        columns = sorted(await src.columns(table))
        if columns != sorted(await dst.columns(table)):
            raise CopyError(f"{table}: the two databases have different columns")
        if guild_id is None:
            plan.append(_Plan(table, columns, "", ()))
            continue
        where = GUILD_ROWS[table]
        if where == "guild_id = ?" and "guild_id" not in columns:
            raise CopyError(f"{table}: no rule for one server's rows (add it to GUILD_ROWS)")
        if where is not None:
            plan.append(_Plan(table, columns, f" WHERE {where}", (guild_id,) * where.count("?")))
    if dst.engine == "postgresql":
        await _may_move_sequences(dst, [p.table for p in plan])
    return plan


async def _may_move_sequences(dst: Database, tables: Sequence[str]) -> None:
    """Refuse, before writing anything, a role that can't `setval` the copied tables' ids."""
    for table in tables:
        row = await dst.fetch_one(
            "SELECT current_user, has_sequence_privilege(pg_get_serial_sequence(?, 'id'),"
            " 'UPDATE') FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND table_name = ? AND column_name = 'id'",
            (table, table),
        )
        if row is not None and row[1] is False:
            raise CopyError(
                f"role {row[0]!r} may not move the id sequences (setval needs UPDATE on them;"
                " the bot's role has only USAGE and SELECT): run chorus db copy into PostgreSQL"
                " with the owner role's URL (README: Least privilege)"
            )


def _nul_note(dst: Database, rows: Sequence[Sequence[Any]]) -> str:
    """Say how many text values PostgreSQL got with U+FFFD in place of NUL (none: nothing)."""
    if dst.engine != "postgresql":
        return ""
    held = sum(1 for row in rows for v in row if isinstance(v, str) and "\x00" in v)
    return f" ({held} text values held NUL, stored with U+FFFD in its place)" if held else ""


async def _copy(
    src: Conn, dst: Database, plan: list[_Plan], report: Callable[[str], None]
) -> list[TableCopy]:
    copied: list[TableCopy] = []
    async with dst.transaction() as conn:
        for step in plan:
            rows = [tuple(r) for r in await src.fetch_all(step.select(), step.params)]
            insert = (
                f"INSERT INTO {step.table} ({', '.join(step.columns)})"
                f" VALUES ({', '.join('?' for _ in step.columns)})"
            )
            for start in range(0, len(rows), CHUNK):
                await conn.execute_many(insert, rows[start : start + CHUNK])
            await dst.after_bulk_insert(conn, step.table)
            # Verified inside the transaction, before COMMIT: a difference rolls it all back.
            before = _summary(step.table, rows)
            after = await table_summary(conn, step.table, step.columns)
            if before != after:
                raise CopyError(
                    f"{step.table}: verification failed (source {before.rows} rows"
                    f" {before.checksum}, destination {after.rows} rows {after.checksum});"
                    " nothing was committed"
                )
            copied.append(after)
            report(f"{step.table}: {len(rows)} rows{_nul_note(dst, rows)}")
    return copied

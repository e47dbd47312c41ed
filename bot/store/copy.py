"""`chorus db copy SRC DST`: a community's whole history from one database to another.

SQLite -> PostgreSQL to move a self-hosted server onto a shared database, and back for a
community that leaves a hosted instance. Every table is copied with its ids, in one transaction
on the destination (all or nothing), then verified: the row count and a checksum of every
table must be equal on both sides. What `/forget` and the retention purges removed is not in the
source any more, so it is not copied either.

The checksum is order-independent (the sum of one SHA-256 per row, modulo 2**128) and
engine-independent: values are normalised first (a float that is a whole number counts as the
integer, text as UTF-8), so it compares what is stored, not how each driver returns it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.store.database import Database
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
    "pool_draws",
    "series_reminders",
    "series_reminder_offers",
    "server_checkin_tags",
    "review_authors",
)
CHUNK = 1000


class CopyError(Exception):
    """The copy can't start (destination not empty, unknown table) or didn't verify."""


@dataclass(frozen=True)
class TableCopy:
    table: str
    rows: int
    checksum: str


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
    return b"T" + str(value).encode("utf-8")


def row_digest(row: Sequence[Any]) -> int:
    """A 128-bit digest of one row's values, the same for a row read from SQLite and from
    PostgreSQL (booleans as ints, whole floats as ints, NULL distinct from every value): `chorus
    db copy` compares the two databases' rows by it."""
    digest = hashlib.sha256(b"\x1f".join(_normal(v) for v in row)).digest()
    return int.from_bytes(digest[:16], "big")


async def table_summary(db: Database, table: str, columns: Sequence[str]) -> TableCopy:
    """Row count and order-independent checksum of one table."""
    rows = await db.fetch_all(f"SELECT {', '.join(columns)} FROM {table}")
    total = sum(row_digest(tuple(r)) for r in rows) % (1 << 128)
    return TableCopy(table, len(rows), f"{total:032x}")


async def _columns(db: Database, table: str) -> list[str]:
    return sorted(await db.columns(table))


async def copy_database(
    source: str, destination: str, report: Callable[[str], None] = print
) -> list[TableCopy]:
    """Copy every table from `source` to the (empty) `destination` and verify it.

    Both are brought to the latest schema first. Raises CopyError when the destination already
    holds data, a table is unknown, or a count or checksum differs after the copy.
    """
    src, dst = Store(source), Store(destination)
    await src.open()
    try:
        await dst.open()
        try:
            return await _copy(src.db, dst.db, report)
        finally:
            await dst.close()
    finally:
        await src.close()


async def _copy(src: Database, dst: Database, report: Callable[[str], None]) -> list[TableCopy]:
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
    plan: list[tuple[str, list[str]]] = []
    for table in tables:
        columns = await _columns(src, table)
        if columns != await _columns(dst, table):
            raise CopyError(f"{table}: the two databases have different columns")
        plan.append((table, columns))
    async with dst.transaction() as conn:
        for table, columns in plan:
            rows = [
                tuple(r) for r in await src.fetch_all(f"SELECT {', '.join(columns)} FROM {table}")
            ]
            insert = (
                f"INSERT INTO {table} ({', '.join(columns)})"
                f" VALUES ({', '.join('?' for _ in columns)})"
            )
            for start in range(0, len(rows), CHUNK):
                await conn.execute_many(insert, rows[start : start + CHUNK])
            await dst.after_bulk_insert(conn, table)
            report(f"{table}: {len(rows)} rows")
    copied: list[TableCopy] = []
    for table, columns in plan:
        before, after = (
            await table_summary(src, table, columns),
            await table_summary(dst, table, columns),
        )
        if before != after:
            raise CopyError(
                f"{table}: verification failed (source {before.rows} rows {before.checksum},"
                f" destination {after.rows} rows {after.checksum})"
            )
        copied.append(after)
    return copied

"""One SQL statement as a write job of the group commit: the repositories' simple writes (with
the row it writes back, as a record, for a `RETURNING` statement)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from bot.store.cached_reads import CachedRead
from bot.store.database import Database
from bot.store.engine import Conn, Params
from bot.store.rows import returned, returned_if_any

R = TypeVar("R")
Invalidates = Iterable[CachedRead] | None
"""What a write forgets of the cached reads, as `Database.write` takes it."""


async def write_one(db: Database, sql: str, params: Params = (), *, invalidate: Invalidates) -> int:
    """Run `sql` in the writer's next commit (`Database.write`, on either engine) and return
    how many rows it changed once that commit is done; `invalidate` (required) as for
    `Database.write`. Raises what `Database.write` raises for a failed job."""

    async def job(conn: Conn) -> int:
        return await conn.execute(sql, params)

    return await db.write(job, invalidate=invalidate)


async def write_returned(
    db: Database, record: type[R], sql: str, params: Params, *, invalidate: Invalidates
) -> R:
    """Run `sql` (a write ending `RETURNING <columns(record)>`) in the writer's next commit and
    return its row as a `record` once committed; `invalidate` as for `Database.write`. Raises
    ValueError (nothing kept) when it returned no row, and what `Database.write` raises."""

    async def job(conn: Conn) -> R:
        return await returned(conn, record, sql, params)

    return await db.write(job, invalidate=invalidate)


async def write_returned_if_any(
    db: Database, record: type[R], sql: str, params: Params, *, invalidate: Invalidates
) -> R | None:
    """`write_returned` for a write that may write nothing (`INSERT ... SELECT ... WHERE`, `ON
    CONFLICT DO NOTHING`): None when it wrote no row."""

    async def job(conn: Conn) -> R | None:
        return await returned_if_any(conn, record, sql, params)

    return await db.write(job, invalidate=invalidate)

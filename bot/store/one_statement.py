"""One SQL statement as a write job of the group commit: the repositories' simple writes."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from bot.store.database import Database
from bot.store.engine import Conn, Params


async def write_one(
    db: Database, sql: str, params: Params = (), *, invalidate: Iterable[Hashable] | None
) -> int:
    """Run `sql` in the writer's next commit (`Database.write`, on either engine) and return
    how many rows it changed once that commit is done; `invalidate` (required) as for
    `Database.write`. Raises what `Database.write` raises for a failed job."""

    async def job(conn: Conn) -> int:
        return await conn.execute(sql, params)

    return await db.write(job, invalidate=invalidate)

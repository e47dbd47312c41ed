"""A member joining a session as a group-commit job, alone or a batch's worth at once.

When a session opens, its members join within moments of each other; consecutive joins in a
batch are one INSERT for all of them (see writer.Batchable).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Self

from bot.store.engine import ColumnType, Conn, batch_rows
from bot.store.writer import Batchable

_JOIN = (
    "INSERT INTO attendance (session_id, user_id, joined_at) VALUES (?, ?, ?)"
    " ON CONFLICT DO NOTHING"
)
_COLUMNS: tuple[tuple[str, ColumnType], ...] = (
    ("session_id", "BIGINT"),
    ("user_id", "BIGINT"),
    ("joined_at", "DOUBLE PRECISION"),
)


@dataclass(frozen=True, slots=True, eq=False)
class JoinJob(Batchable):
    """Record a join (`now`: UTC seconds); True if recorded, False if already present."""

    session_id: int
    user_id: int
    now: float

    async def __call__(self, conn: Conn) -> bool:
        return await conn.execute(_JOIN, (self.session_id, self.user_id, self.now)) == 1

    @classmethod
    async def run_together(cls, conn: Conn, jobs: Sequence[Self]) -> list[tuple[bool, Any]]:
        """Batchable.run_together: every join in one `INSERT ... SELECT` from the batch's rows
        (`batch_rows`: a VALUES list on SQLite, unnest on PostgreSQL) `ON CONFLICT DO NOTHING
        RETURNING`; per job (True, recorded?). A member twice in the batch: only the first is
        True. Never (False, ...): a driver error raises and the batch is redone job by job.
        """
        cte, params = batch_rows(
            conn.engine, "u", _COLUMNS, [(j.session_id, j.user_id, j.now) for j in jobs]
        )
        # Each row's session key is checked by PostgreSQL with a query of its own: planned once
        # for the batch rather than once per row (see Conn.key_checks_planned_once).
        async with conn.key_checks_planned_once(len(jobs)):
            # `WHERE true`: SQLite's parser needs it before ON CONFLICT after a SELECT.
            rows = await conn.fetch_all(
                f"WITH {cte} INSERT INTO attendance (session_id, user_id, joined_at)"
                " SELECT session_id, user_id, joined_at FROM u WHERE true ORDER BY n"
                " ON CONFLICT DO NOTHING RETURNING session_id, user_id",
                params,
            )
        added = {(int(r[0]), int(r[1])) for r in rows}
        outcomes: list[tuple[bool, Any]] = []
        for job in jobs:
            key = (job.session_id, job.user_id)
            # A member twice in one batch: the first join counts, as it would alone.
            outcomes.append((True, key in added))
            added.discard(key)
        return outcomes

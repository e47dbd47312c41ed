"""Who wrote each anonymous shared answer of a reviewed step (`review: facilitator`), so that
its author can be told privately when the facilitator holds it back or removes it.

The link is shown to nobody and lives only while it can serve: it is taken (read and deleted in
one job) when the author is told, deleted with /forget (store/privacy.py), and by the daily
retention job once its step is no longer the running step of a live run (`purge_ended`).
"""

from __future__ import annotations

from bot.records.sessions import ContributionRecord
from bot.store.contribution_job import Mirror
from bot.store.database import Conn, Database


class ReviewAuthorRepository:
    """The `review_authors` table: contribution id -> member, for anonymous answers only."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def link(self, guild_id: int, user_id: int, now: float) -> Mirror:
        """A job for `Runner.contribute(mirror=...)`: the answer just saved is linked to its
        author in the same commit, when it was saved without one (anonymous); `now` is a UTC
        timestamp in seconds."""

        async def job(conn: Conn, record: ContributionRecord) -> None:
            if record.author_id is not None:
                return  # a named answer carries its author already
            await conn.execute(
                "INSERT INTO review_authors"
                " (contribution_id, run_id, step_index, guild_id, user_id, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (contribution_id) DO NOTHING",
                (record.id, record.run_id, record.step_index, guild_id, user_id, now),
            )

        return job

    async def take(self, contribution_id: int) -> int | None:
        """The author of an anonymous answer, forgetting the link in the same job; None when
        there is none (a named answer, the author already told, or forgotten)."""

        async def job(conn: Conn) -> int | None:
            found = await conn.fetch_val(
                "DELETE FROM review_authors WHERE contribution_id = ? RETURNING user_id",
                (contribution_id,),
            )
            return None if found is None else int(found)

        # No cached read holds the links.
        return await self._db.write(job, invalidate=())

    async def purge_ended(self) -> int:
        """Retention: delete the links of steps that are no longer running; how many went."""

        async def job(conn: Conn) -> int:
            changed = await conn.execute(
                "DELETE FROM review_authors WHERE NOT EXISTS (SELECT 1 FROM activity_runs r"
                " WHERE r.id = review_authors.run_id AND r.step_index = review_authors.step_index"
                " AND r.state IN ('running', 'paused'))",
                (),
            )
            return max(0, changed)

        return await self._db.write(job, invalidate=())

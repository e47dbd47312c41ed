"""A server's own activity files: every uploaded version, the current one per id, deletions.

Times are UTC timestamps in seconds (Unix time)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.records.guild_library import GuildActivityRecord
from bot.store.database import Conn, Database
from bot.store.notify import ChangeFeed
from bot.store.repository import Repository
from bot.store.rows import columns, record_of

_COLUMNS = columns(GuildActivityRecord)


@dataclass(frozen=True, slots=True)
class LibraryLimits:
    """What one server may hold and add (the operator's settings)."""

    max_activities: int
    max_uploads_per_day: int


class LibraryFull(Exception):
    """The server already has as many activities as it may, or uploaded too many today."""

    def __init__(self, reason: str, limit: int) -> None:
        super().__init__(reason)
        self.reason = reason
        """'activities' or 'uploads_today'."""
        self.limit = limit


_DAY = 86_400.0


class GuildLibraryRepository(Repository):
    def __init__(self, db: Database, changes: ChangeFeed | None = None) -> None:
        super().__init__(db)
        self._changes = changes or ChangeFeed(db)
        """Every save and delete is announced to the other processes in its own transaction."""

    async def current(self, guild_id: int | None = None) -> list[GuildActivityRecord]:
        """The newest live version of every activity, of one server or (None) of every server."""
        where = "deleted_at IS NULL" + (" AND guild_id = ?" if guild_id is not None else "")
        return await self._select_all(
            GuildActivityRecord,
            f"SELECT {_COLUMNS} FROM guild_activities g WHERE {where}"
            " AND version = (SELECT MAX(version) FROM guild_activities h"
            "   WHERE h.guild_id = g.guild_id AND h.activity_id = g.activity_id)"
            " ORDER BY guild_id, activity_id",
            (guild_id,) if guild_id is not None else (),
        )

    async def versions(self, guild_id: int, activity_id: str) -> list[GuildActivityRecord]:
        """Every version of one activity in one server, newest first (deleted ones included)."""
        return await self._all_where(
            GuildActivityRecord,
            "guild_activities",
            "guild_id = ? AND activity_id = ? ORDER BY version DESC",
            (guild_id, activity_id),
        )

    async def add_version(
        self,
        guild_id: int,
        activity_id: str,
        source: str,
        uploaded_by: int,
        now: float,
        limits: LibraryLimits,
    ) -> GuildActivityRecord:
        """Save a new version, numbered after the last one; checks the limits in the same job.

        Raises LibraryFull when a new id would pass ``max_activities`` or the server has
        uploaded ``max_uploads_per_day`` files in the last 24 hours.
        """

        async def job(conn: Conn) -> GuildActivityRecord:
            today = await conn.fetch_val(
                "SELECT COUNT(*) FROM guild_activities WHERE guild_id = ? AND uploaded_at > ?",
                (guild_id, now - _DAY),
            )
            if int(today or 0) >= limits.max_uploads_per_day:
                raise LibraryFull("uploads_today", limits.max_uploads_per_day)
            live = await conn.fetch_one(
                "SELECT COUNT(DISTINCT activity_id),"
                " SUM(CASE WHEN activity_id = ? THEN 1 ELSE 0 END)"
                " FROM guild_activities WHERE guild_id = ? AND deleted_at IS NULL",
                (activity_id, guild_id),
            )
            assert live is not None
            is_new = not live[1]
            if is_new and int(live[0]) >= limits.max_activities:
                raise LibraryFull("activities", limits.max_activities)
            last = await conn.fetch_val(
                "SELECT version FROM guild_activities WHERE guild_id = ? AND activity_id = ?"
                " ORDER BY version DESC LIMIT 1",
                (guild_id, activity_id),
            )
            inserted = await conn.fetch_one(
                "INSERT INTO guild_activities"
                " (guild_id, activity_id, version, source, uploaded_by, uploaded_at)"
                f" VALUES (?, ?, ?, ?, ?, ?) RETURNING {_COLUMNS}",
                (guild_id, activity_id, int(last or 0) + 1, source, uploaded_by, now),
            )
            assert inserted is not None
            await self._changes.notify_in(conn, "guild_library", guild_id)
            return record_of(GuildActivityRecord, inserted)

        return await self._db.write(job, invalidate=())

    async def delete(self, guild_id: int, activity_id: str, now: float) -> int:
        """Remove an activity from the server's library (every version); how many versions.

        The rows stay, marked deleted, so version numbers are never reused and a run that
        already started keeps its own copy of the definition anyway.
        """

        async def job(conn: Conn) -> int:
            removed = await conn.execute(
                "UPDATE guild_activities SET deleted_at = ?"
                " WHERE guild_id = ? AND activity_id = ? AND deleted_at IS NULL",
                (now, guild_id, activity_id),
            )
            if removed:
                await self._changes.notify_in(conn, "guild_library", guild_id)
            return removed

        return await self._db.write(job, invalidate=())

"""Tags on a member's own check-ins (table checkin_tags), and mood by tag for that member.

Times are UTC timestamps in seconds (Unix time)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.store.database import Conn
from bot.store.repository import Repository


@dataclass(frozen=True, slots=True)
class TaggedAnswer:
    """One tag on one answered check-in of the member."""

    tag: str
    scale: str
    value: int
    created_at: float
    """UTC seconds of the check-in."""


class CheckinTagRepository(Repository):
    async def set_tags(
        self, checkin_id: int, guild_id: int, user_id: int, tags: Sequence[str], now: float
    ) -> bool:
        """Replace the tags of the member's own check-in, in one job; False when the check-in
        isn't theirs (any more) in this server, and nothing changes then."""

        async def job(conn: Conn) -> bool:
            owner = await conn.fetch_one(
                "SELECT 1 FROM checkins WHERE id = ? AND guild_id = ? AND user_id = ?",
                (checkin_id, guild_id, user_id),
            )
            if owner is None:
                return False
            await conn.execute("DELETE FROM checkin_tags WHERE checkin_id = ?", (checkin_id,))
            await conn.execute_many(
                "INSERT INTO checkin_tags (checkin_id, guild_id, user_id, tag, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [(checkin_id, guild_id, user_id, tag, now) for tag in tags],
            )
            return True

        return await self._db.write(job, invalidate=())

    async def tags_of(self, checkin_id: int) -> list[str]:
        """One check-in's tags, in alphabetical order (/checkin tag pick shows them chosen)."""
        rows = await self._db.fetch_all(
            "SELECT tag FROM checkin_tags WHERE checkin_id = ? ORDER BY tag", (checkin_id,)
        )
        return [str(r[0]) for r in rows]

    async def member_tags(self, guild_id: int, user_id: int, limit: int) -> list[str]:
        """The member's own tags, most used first."""
        rows = await self._db.fetch_all(
            "SELECT tag, COUNT(*) AS uses FROM checkin_tags WHERE guild_id = ? AND user_id = ?"
            " GROUP BY tag ORDER BY uses DESC, tag LIMIT ?",
            (guild_id, user_id, limit),
        )
        return [str(r[0]) for r in rows]

    async def tagged_answers(self, guild_id: int, user_id: int, since: float) -> list[TaggedAnswer]:
        """The member's answered (not passed) check-ins since `since` (UTC seconds), once per tag."""
        rows = await self._db.fetch_all(
            "SELECT t.tag, c.scale, c.value, c.created_at FROM checkin_tags t"
            " JOIN checkins c ON c.id = t.checkin_id WHERE t.guild_id = ? AND t.user_id = ?"
            " AND c.created_at >= ? AND c.passed = 0 AND c.value IS NOT NULL"
            " ORDER BY t.tag, c.created_at",
            (guild_id, user_id, since),
        )
        return [TaggedAnswer(str(r[0]), str(r[1]), int(r[2]), float(r[3])) for r in rows]

    # ------------------------------------------------- the server's own list (no member data)

    async def server_tags(self, guild_id: int) -> list[str]:
        """The server's own tags, in the order they were added."""
        rows = await self._db.fetch_all(
            "SELECT tag FROM server_checkin_tags WHERE guild_id = ? ORDER BY created_at, tag",
            (guild_id,),
        )
        return [str(r[0]) for r in rows]

    async def add_server_tags(
        self, guild_id: int, tags: Sequence[str], limit: int, now: float
    ) -> list[str] | None:
        """Add tags to the server's list in one job; the ones that were new, or None (and
        nothing added) when the list would hold more than `limit`."""

        async def job(conn: Conn) -> list[str] | None:
            rows = await conn.fetch_all(
                "SELECT tag, created_at FROM server_checkin_tags WHERE guild_id = ?", (guild_id,)
            )
            # Compared without regard to case: "Draußen" is on the list if "draußen" is.
            have = {str(r[0]).casefold() for r in rows}
            new = [t for t in tags if t.casefold() not in have]
            if len(have) + len(new) > limit:
                return None
            # Kept in the order added, even for two additions within the same clock reading.
            start = max([now, *(float(r[1]) + 1e-3 for r in rows)])
            await conn.execute_many(
                "INSERT INTO server_checkin_tags (guild_id, tag, created_at) VALUES (?, ?, ?)",
                [(guild_id, tag, start + index * 1e-3) for index, tag in enumerate(new)],
            )
            return new

        return await self._db.write(job, invalidate=())

    async def remove_server_tags(self, guild_id: int, tags: Sequence[str]) -> list[str]:
        """Remove tags from the server's list (whatever their case); the ones that were on it,
        as spelled there. Members' own tags on their check-ins stay theirs."""

        async def job(conn: Conn) -> list[str]:
            wanted = {t.casefold() for t in tags}
            rows = await conn.fetch_all(
                "SELECT tag FROM server_checkin_tags WHERE guild_id = ? ORDER BY created_at, tag",
                (guild_id,),
            )
            removed = []
            # Matched without regard to case (SQL's lower() doesn't fold "ß" or "İ").
            for tag in (str(r[0]) for r in rows if str(r[0]).casefold() in wanted):
                await conn.execute(
                    "DELETE FROM server_checkin_tags WHERE guild_id = ? AND tag = ?",
                    (guild_id, tag),
                )
                removed.append(tag)
            return removed

        return await self._db.write(job, invalidate=())

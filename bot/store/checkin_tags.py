"""Tags on a member's own check-ins (table checkin_tags), and mood by tag for that member."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.store.database import Conn, Database


@dataclass(frozen=True, slots=True)
class TaggedAnswer:
    """One tag on one answered check-in of the member."""

    tag: str
    scale: str
    value: int
    created_at: float
    """UTC seconds of the check-in."""


class CheckinTagRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

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

        return await self._db.write(job)

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

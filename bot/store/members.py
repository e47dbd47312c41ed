"""Members as Chorus knows them: consent and credit preferences, per server."""

from __future__ import annotations

from bot.records.sessions import MemberRecord
from bot.store.one_statement import write_one
from bot.store.repository import Repository


class MemberRepository(Repository):
    async def get(self, guild_id: int, user_id: int) -> MemberRecord | None:
        """What is stored about the member in this server (display name, consent and when, credit
        opt-out, when they left), or None when nothing is."""
        return await self._one_where(
            MemberRecord, "members", "guild_id = ? AND user_id = ?", (guild_id, user_id)
        )

    async def remember_name(self, guild_id: int, user_id: int, display_name: str) -> None:
        """Keep the display name so boards still name people after a restart empties the cache."""

        await write_one(
            self._db,
            "INSERT INTO members (guild_id, user_id, display_name) VALUES (?, ?, ?)"
            " ON CONFLICT (guild_id, user_id) DO UPDATE SET display_name = excluded.display_name,"
            " left_guild_at = NULL",
            (guild_id, user_id, display_name[:100]),
            invalidate=(),
        )

    async def names(self, guild_id: int, user_ids: list[int]) -> dict[int, str]:
        """Stored display names by user id, for those of `user_ids` that have one here; {} for
        none."""
        if not user_ids:
            return {}
        marks = ",".join("?" * len(user_ids))
        rows = await self._db.fetch_all(
            f"SELECT user_id, display_name FROM members WHERE guild_id = ? AND user_id IN ({marks})",
            (guild_id, *user_ids),
        )
        return {int(r[0]): str(r[1]) for r in rows}

"""Members' opt-ins to a private pattern notice (table checkin_notice_optins)."""

from __future__ import annotations

from bot.records.checkin_notices import NoticeOptin
from bot.store.database import Conn
from bot.store.one_statement import write_one
from bot.store.repository import Repository


class CheckinNoticeRepository(Repository):
    async def get(self, guild_id: int, user_id: int) -> NoticeOptin | None:
        row = await self._db.fetch_one(
            "SELECT guild_id, user_id, low_answers, within_days, created_at"
            " FROM checkin_notice_optins WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        if row is None:
            return None
        v = tuple(row)
        return NoticeOptin(int(v[0]), int(v[1]), int(v[2]), int(v[3]), float(v[4]))

    async def put(
        self, guild_id: int, user_id: int, low_answers: int, within_days: int, now: float
    ) -> None:
        await write_one(
            self._db,
            "INSERT INTO checkin_notice_optins (guild_id, user_id, low_answers, within_days,"
            " created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, user_id) DO UPDATE"
            " SET low_answers = excluded.low_answers, within_days = excluded.within_days",
            (guild_id, user_id, low_answers, within_days, now),
        )

    async def delete(self, guild_id: int, user_id: int) -> bool:
        async def job(conn: Conn) -> int:
            return await conn.execute(
                "DELETE FROM checkin_notice_optins WHERE guild_id = ? AND user_id = ?",
                (guild_id, user_id),
            )

        return await self._db.write(job) > 0

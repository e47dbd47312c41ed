"""Members' opt-ins to a private pattern notice (table checkin_notice_optins)."""

from __future__ import annotations

from bot.records.checkin_notices import NoticeOptin
from bot.store.one_statement import write_one
from bot.store.repository import Repository


class CheckinNoticeRepository(Repository):
    async def get(self, guild_id: int, user_id: int) -> NoticeOptin | None:
        """The member's opt-in to the pattern notice in this server (how many low check-ins within
        how many days), or None when they have not opted in."""
        return await self._one_where(
            NoticeOptin,
            "checkin_notice_optins",
            "guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )

    async def put(
        self, guild_id: int, user_id: int, low_answers: int, within_days: int, now: float
    ) -> None:
        """Opt the member in, or change their rule: `low_answers` low check-ins within
        `within_days` days; `now` (UTC seconds) is kept as when they first opted in. Raises
        StorageUnavailable when the write can't be committed."""
        await write_one(
            self._db,
            "INSERT INTO checkin_notice_optins (guild_id, user_id, low_answers, within_days,"
            " created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, user_id) DO UPDATE"
            " SET low_answers = excluded.low_answers, within_days = excluded.within_days",
            (guild_id, user_id, low_answers, within_days, now),
            invalidate=(),
        )

    async def delete(self, guild_id: int, user_id: int) -> bool:
        """Opt the member out; False when they were not opted in. Raises StorageUnavailable when
        the write can't be committed."""
        return await self._delete_members_row("checkin_notice_optins", guild_id, user_id)

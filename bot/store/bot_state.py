"""Facts about the bot as a whole rather than one server, e.g. the command tree last synced.

They are rows of ``guild_settings`` under guild id 0, which no Discord server has (snowflakes
are positive): no migration, and on PostgreSQL every process sharing the database sees the
same row. `GuildSettingsRepository` leaves guild 0 out of the servers' settings.
"""

from __future__ import annotations

from bot.store.database import Conn, Database

BOT_GUILD_ID = 0
"""The guild id under which the bot's own facts are kept."""


class BotStateRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, key: str) -> str | None:
        """The value stored under `key`, None if there is none."""
        row = await self._db.fetch_one(
            "SELECT value FROM guild_settings WHERE guild_id = ? AND key = ?",
            (BOT_GUILD_ID, key),
        )
        return str(row[0]) if row is not None else None

    async def put(self, key: str, value: str) -> None:
        """Store `value` under `key` (replacing what was there), committed when this returns."""

        async def job(conn: Conn) -> None:
            await conn.execute(
                "INSERT INTO guild_settings (guild_id, key, value) VALUES (?, ?, ?)"
                " ON CONFLICT (guild_id, key) DO UPDATE SET value = excluded.value",
                (BOT_GUILD_ID, key, value),
            )

        await self._db.write(job, invalidate=())

"""A server's own settings (key -> JSON value) and the record of every change to them.

Times are UTC timestamps in seconds (Unix time)."""

from __future__ import annotations

from bot.records.guild_settings import SettingChangeRecord
from bot.store.database import Conn, Database
from bot.store.notify import ChangeFeed
from bot.store.repository import Repository
from bot.store.rows import columns, record_of

_CHANGE_COLUMNS = columns(SettingChangeRecord)


class GuildSettingsRepository(Repository):
    def __init__(self, db: Database, changes: ChangeFeed | None = None) -> None:
        super().__init__(db)
        self._changes = changes or ChangeFeed(db)
        """Every change is announced to the other processes in its own transaction."""

    async def all_overrides(self) -> dict[int, dict[str, str]]:
        """Every server's changed settings as JSON text: {guild_id: {key: value}}."""
        # Guild 0 holds the bot's own facts (bot_state.py), not a server's settings.
        rows = await self._db.fetch_all(
            "SELECT guild_id, key, value FROM guild_settings WHERE guild_id <> 0"
            " ORDER BY guild_id, key"
        )
        found: dict[int, dict[str, str]] = {}
        for row in rows:
            found.setdefault(int(row[0]), {})[str(row[1])] = str(row[2])
        return found

    async def overrides(self, guild_id: int) -> dict[str, str]:
        """One server's changed settings as JSON text."""
        rows = await self._db.fetch_all(
            "SELECT key, value FROM guild_settings WHERE guild_id = ? ORDER BY key", (guild_id,)
        )
        return {str(r[0]): str(r[1]) for r in rows}

    async def change(
        self, guild_id: int, key: str, value: str | None, changed_by: int, now: float
    ) -> SettingChangeRecord | None:
        """Set (or, with None, reset to the default) one setting and record the change.

        One job: the old value is read, the new one written and the change recorded together,
        so two facilitators changing a setting at once each see the right "old". Returns None
        when the value was already that (nothing is written or recorded).
        """

        async def job(conn: Conn) -> SettingChangeRecord | None:
            row = await conn.fetch_one(
                "SELECT value FROM guild_settings WHERE guild_id = ? AND key = ?", (guild_id, key)
            )
            old = str(row[0]) if row is not None else None
            if old == value:
                return None
            if value is None:
                await conn.execute(
                    "DELETE FROM guild_settings WHERE guild_id = ? AND key = ?", (guild_id, key)
                )
            else:
                await conn.execute(
                    "INSERT INTO guild_settings (guild_id, key, value) VALUES (?, ?, ?)"
                    " ON CONFLICT (guild_id, key) DO UPDATE SET value = excluded.value",
                    (guild_id, key, value),
                )
            recorded = await conn.fetch_one(
                "INSERT INTO guild_setting_changes"
                " (guild_id, key, old_value, new_value, changed_by, changed_at)"
                f" VALUES (?, ?, ?, ?, ?, ?) RETURNING {_CHANGE_COLUMNS}",
                (guild_id, key, old, value, changed_by, now),
            )
            assert recorded is not None
            await self._changes.notify_in(conn, "guild_settings", guild_id)
            return record_of(SettingChangeRecord, recorded)

        return await self._db.write(job, invalidate=())

    async def history(self, guild_id: int, limit: int) -> list[SettingChangeRecord]:
        """The server's latest changes first."""
        return await self._all_where(
            SettingChangeRecord,
            "guild_setting_changes",
            "guild_id = ? ORDER BY changed_at DESC, id DESC LIMIT ?",
            (guild_id, limit),
        )

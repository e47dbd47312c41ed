"""Reminders of scheduled sessions: the server-wide opt-ins (minutes before every session), the
reminders already sent per occurrence, and members' own reminder time per series (the offer and
the choice). No read of these tables is cached, so their writes invalidate nothing.

Times are UTC timestamps in seconds (Unix time)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.store.database import Conn
from bot.store.one_statement import write_one
from bot.store.repository import Repository


class ReminderRepository(Repository):
    # ---------------------------------------------------------- server-wide

    async def set_optin(
        self, guild_id: int, user_id: int, minutes: int, now: float, language: str | None = None
    ) -> None:
        """Remind the member `minutes` before every session they are interested in here (replacing
        an earlier choice; `now` in UTC seconds; `language`: their client locale now, for the
        DMs). Raises StorageUnavailable when the write can't be committed."""

        await write_one(
            self._db,
            "INSERT INTO reminder_optins (guild_id, user_id, minutes_before, updated_at, language)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, user_id) DO UPDATE SET"
            " minutes_before = excluded.minutes_before, updated_at = excluded.updated_at,"
            " language = excluded.language",
            (guild_id, user_id, minutes, now, language),
            invalidate=(),
        )

    async def remove_optin(self, guild_id: int, user_id: int) -> bool:
        """No more server-wide reminders for the member here; False when they had none. Raises
        StorageUnavailable when the write can't be committed."""
        return await self._delete_members_row("reminder_optins", guild_id, user_id)

    async def optins(self, guild_id: int) -> dict[int, int]:
        """The server's reminder opt-ins: user id -> minutes before, ordered by user id."""
        rows = await self._db.fetch_all(
            # Ordered so reminders go out in the same order whatever the engine's plan.
            "SELECT user_id, minutes_before FROM reminder_optins WHERE guild_id = ?"
            " ORDER BY user_id",
            (guild_id,),
        )
        return {int(r[0]): int(r[1]) for r in rows}

    async def reminder_languages(self, guild_id: int) -> dict[int, str]:
        """The client locale each member had at their last reminder press here (turning
        /remind me on, or choosing their own time for a series): user id -> locale
        ("es-ES"); members without one are left out (their DMs use the server's)."""
        rows = await self._db.fetch_all(
            "SELECT user_id, language FROM ("
            " SELECT user_id, language, updated_at FROM reminder_optins"
            " WHERE guild_id = ? AND language IS NOT NULL"
            " UNION ALL SELECT user_id, language, updated_at FROM series_reminders"
            " WHERE guild_id = ? AND language IS NOT NULL"
            ") AS known ORDER BY updated_at, user_id",
            (guild_id, guild_id),
        )
        # Oldest first: a member's latest press is the one kept.
        return {int(r[0]): str(r[1]) for r in rows}

    async def optin_minutes(self) -> dict[int, set[int]]:
        """The distinct reminder lead times chosen in each server."""
        rows = await self._db.fetch_all(
            "SELECT DISTINCT guild_id, minutes_before FROM reminder_optins"
        )
        found: dict[int, set[int]] = {}
        for row in rows:
            found.setdefault(int(row[0]), set()).add(int(row[1]))
        return found

    async def reminded(self, occurrence_id: int) -> set[int]:
        """Who was already reminded of this occurrence (by DM or in the channel)."""
        rows = await self._db.fetch_all(
            "SELECT user_id FROM sent_reminders WHERE occurrence_id = ?", (occurrence_id,)
        )
        return {int(r[0]) for r in rows}

    async def record_reminded(
        self, occurrence_id: int, user_ids: Iterable[int], via: str, now: float
    ) -> None:
        """Keep that these members were reminded of the occurrence `via` "dm" or "channel" at `now`
        (UTC seconds); a member already recorded keeps the first record. Raises
        StorageUnavailable when the write can't be committed."""

        async def job(conn: Conn) -> None:
            await conn.execute_many(
                "INSERT INTO sent_reminders (occurrence_id, user_id, via, sent_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(occurrence_id, uid, via, now) for uid in user_ids],
            )

        await self._db.write(job, invalidate=())

    # ------------------------------------------------- a member's time per series

    async def record_series_offer(
        self, guild_id: int, series_id: int, user_id: int, now: float
    ) -> None:
        """Keep that the member was offered a reminder time for the series (its buttons are
        honoured while this row or their choice exists)."""

        await write_one(
            self._db,
            "INSERT INTO series_reminder_offers (series_id, guild_id, user_id, offered_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (series_id, user_id) DO UPDATE"
            " SET offered_at = excluded.offered_at",
            (series_id, guild_id, user_id, now),
            invalidate=(),
        )

    async def withdraw_series_offer(self, series_id: int, user_id: int) -> bool:
        """Delete the member's offer for the series (its DM never arrived: nothing can be
        pressed, so nothing is kept); a choice already made stays. False when there was none."""
        changed = await write_one(
            self._db,
            "DELETE FROM series_reminder_offers WHERE series_id = ? AND user_id = ?",
            (series_id, user_id),
            invalidate=(),
        )
        return changed == 1

    async def choose_series_reminder(
        self,
        series_id: int,
        user_id: int,
        minutes: int | None,
        now: float,
        language: str | None = None,
    ) -> bool:
        """The member's choice from an offer, in one job: kept (replacing the offer and any
        earlier choice) only while they hold an offer or a choice for the series; False, and
        nothing stored, when they hold neither (they were forgotten or removed Interested).
        `language`: their client locale at the press, for the DMs sent later."""

        async def job(conn: Conn) -> bool:
            held = await conn.fetch_one(
                "SELECT guild_id FROM series_reminder_offers WHERE series_id = ? AND user_id = ?"
                " UNION ALL SELECT guild_id FROM series_reminders"
                " WHERE series_id = ? AND user_id = ?",
                (series_id, user_id, series_id, user_id),
            )
            if held is None:
                return False
            await conn.execute(
                "INSERT INTO series_reminders (series_id, guild_id, user_id, minutes_before,"
                " updated_at, language) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (series_id, user_id) DO UPDATE"
                " SET minutes_before = excluded.minutes_before, updated_at = excluded.updated_at,"
                " language = excluded.language",
                (series_id, int(held[0]), user_id, minutes, now, language),
            )
            await conn.execute(
                "DELETE FROM series_reminder_offers WHERE series_id = ? AND user_id = ?",
                (series_id, user_id),
            )
            return True

        return await self._db.write(job, invalidate=())

    async def remove_series_reminder(self, series_id: int, user_id: int) -> bool:
        """Forget the member's choice (and any open offer) for the series; False when there
        was no choice."""

        async def job(conn: Conn) -> bool:
            await conn.execute(
                "DELETE FROM series_reminder_offers WHERE series_id = ? AND user_id = ?",
                (series_id, user_id),
            )
            changed = await conn.execute(
                "DELETE FROM series_reminders WHERE series_id = ? AND user_id = ?",
                (series_id, user_id),
            )
            return changed == 1

        return await self._db.write(job, invalidate=())

    async def series_choices(self, series_id: int) -> dict[int, int | None]:
        """Members' own reminder times for the series: minutes before, None for none."""
        rows = await self._db.fetch_all(
            "SELECT user_id, minutes_before FROM series_reminders WHERE series_id = ?"
            " ORDER BY user_id",
            (series_id,),
        )
        return {int(r[0]): None if r[1] is None else int(r[1]) for r in rows}

    async def series_minutes(self) -> dict[int, dict[int, tuple[float, float]]]:
        """The distinct reminder times members chose for each series (None choices left out),
        each with the first and last time (UTC seconds) it was chosen: series -> minutes ->
        (first, last). A time chosen after its due time for a session stands in for shorter
        ones there (see core.reminders.own_lead)."""
        rows = await self._db.fetch_all(
            "SELECT series_id, minutes_before, MIN(updated_at), MAX(updated_at)"
            " FROM series_reminders WHERE minutes_before IS NOT NULL"
            " GROUP BY series_id, minutes_before"
        )
        found: dict[int, dict[int, tuple[float, float]]] = {}
        for row in rows:
            found.setdefault(int(row[0]), {})[int(row[1])] = (float(row[2]), float(row[3]))
        return found

    async def series_chosen_at(self, series_id: int) -> dict[int, float]:
        """When each member made their choice for the series (UTC seconds)."""
        rows = await self._db.fetch_all(
            "SELECT user_id, updated_at FROM series_reminders WHERE series_id = ?", (series_id,)
        )
        return {int(r[0]): float(r[1]) for r in rows}

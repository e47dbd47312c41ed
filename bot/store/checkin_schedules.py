"""Members' own check-in schedules (table checkin_schedules): one row per member and server.

Sending is claim-then-send: `claim_due` moves every due row on to its next send time and
records the day in one write job, each row by compare-and-set on the values it read, so two
processes (or a restart in between) never both claim the same DM.

Times are UTC timestamps in seconds (Unix time).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.records.checkin_schedules import CheckinScheduleRecord, ClaimedSend, NewCheckinSchedule
from bot.store.database import Conn
from bot.store.one_statement import write_returned
from bot.store.repository import Repository
from bot.store.rows import columns, record_of, values_of

_COLUMNS = columns(CheckinScheduleRecord)
NO_SNOOZE = -1.0  # compared in place of NULL, so one statement works on both engines


class CheckinScheduleRepository(Repository):
    async def get(self, guild_id: int, user_id: int) -> CheckinScheduleRecord | None:
        """The member's own check-in schedule in this server, or None when they have none."""
        return await self._one_where(
            CheckinScheduleRecord,
            "checkin_schedules",
            "guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )

    async def put(
        self, guild_id: int, user_id: int, new: NewCheckinSchedule, now: float
    ) -> CheckinScheduleRecord:
        """Create or replace the member's schedule in the server with `new` at `now` (UTC
        seconds): a pending Snooze is dropped; the day of the last DM is kept, so a new
        schedule doesn't send twice on one day."""

        return await write_returned(
            self._db,
            CheckinScheduleRecord,
            f"INSERT INTO checkin_schedules ({columns(NewCheckinSchedule)}, guild_id, user_id,"
            " snoozed_until, last_sent_on, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)"
            " ON CONFLICT (guild_id, user_id) DO UPDATE SET days = excluded.days,"
            " minute = excluded.minute, timezone = excluded.timezone,"
            " scale = excluded.scale, language = excluded.language,"
            " paused_until = excluded.paused_until,"
            " next_send_at = excluded.next_send_at, snoozed_until = NULL,"
            f" updated_at = excluded.updated_at RETURNING {_COLUMNS}",
            (*values_of(new, NewCheckinSchedule), guild_id, user_id, now, now),
            invalidate=(),
        )

    async def delete(self, guild_id: int, user_id: int) -> bool:
        """Remove the schedule; whether there was one."""
        return await self._delete_members_row("checkin_schedules", guild_id, user_id)

    async def snooze(self, guild_id: int, user_id: int, until: float, now: float) -> bool:
        """One more DM at `until` (UTC seconds); False when they have no schedule."""

        async def job(conn: Conn) -> int:
            return await conn.execute(
                "UPDATE checkin_schedules SET snoozed_until = ?, updated_at = ?"
                " WHERE guild_id = ? AND user_id = ?",
                (until, now, guild_id, user_id),
            )

        return await self._db.write(job, invalidate=()) > 0

    async def next_due(self, mine: Callable[[int], bool] = lambda _guild: True) -> float | None:
        """The earliest send time (a snooze included, UTC seconds) in the servers `mine` says
        this process serves; None without one."""
        rows = await self._db.fetch_all(
            "SELECT guild_id, MIN(next_send_at), MIN(snoozed_until) FROM checkin_schedules"
            " GROUP BY guild_id"
        )
        found = [
            float(v) for row in rows if mine(int(row[0])) for v in tuple(row)[1:] if v is not None
        ]
        return min(found) if found else None

    async def claim_due(
        self,
        now: float,
        grace: float,
        following: Callable[[CheckinScheduleRecord, str | None], float],
        day_of: Callable[[CheckinScheduleRecord, float], str],
        mine: Callable[[int], bool] = lambda _guild: True,
    ) -> list[ClaimedSend]:
        """Claim every DM due at `now` (UTC seconds) in one write job.

        Each due row moves on in the same job: `following(row, sent_on)` gives its next send
        time, `day_of(row, ts)` the member's date of a send; the snooze is cleared. A DM due
        more than `grace` seconds ago is claimed with send False (skipped, day not marked). A row
        changed by someone else since it was read (another process claimed it, the member
        changed it) is left out, and so is a server `mine` says another process serves (its
        process claims it). Returns the claims, oldest first.
        """

        async def job(conn: Conn) -> list[ClaimedSend]:
            rows = await conn.fetch_all(
                f"SELECT {_COLUMNS} FROM checkin_schedules WHERE next_send_at <= ?"
                " OR snoozed_until <= ? ORDER BY next_send_at, guild_id, user_id",
                (now, now),
            )
            claims: list[ClaimedSend] = []
            for record in (record_of(CheckinScheduleRecord, row) for row in rows):
                if not mine(record.guild_id):
                    continue
                snoozed = record.snoozed_until is not None and record.snoozed_until <= now
                regular = record.next_send_at <= now
                due_at = min(
                    t
                    for t, due in ((record.next_send_at, regular), (record.snoozed_until, snoozed))
                    if due and t is not None
                )
                send = now - due_at <= grace
                sent_on = day_of(record, due_at) if send else record.last_sent_on
                next_at = following(record, sent_on) if regular else record.next_send_at
                was_snoozed = NO_SNOOZE if record.snoozed_until is None else record.snoozed_until
                changed = await conn.execute(
                    "UPDATE checkin_schedules SET next_send_at = :next, snoozed_until = NULL,"
                    " last_sent_on = :day, updated_at = :now WHERE guild_id = :guild"
                    " AND user_id = :user AND next_send_at = :was"
                    " AND COALESCE(snoozed_until, :none) = :was_snoozed",
                    {
                        "next": next_at,
                        "day": sent_on,
                        "now": now,
                        "guild": record.guild_id,
                        "user": record.user_id,
                        "was": record.next_send_at,
                        "none": NO_SNOOZE,
                        "was_snoozed": was_snoozed,
                    },
                )
                if changed == 1:
                    claims.append(ClaimedSend(schedule=record, due_at=due_at, send=send))
            return claims

        return await self._db.write(job, invalidate=())

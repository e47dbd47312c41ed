"""Scheduled sessions: series, their occurrences and reminder opt-ins."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.store.database import Conn, Row
from bot.store.one_statement import write_one
from bot.store.repository import Repository
from bot.store.session_access import SessionLimits, upsert_series_limits

# No read of these tables is cached, so their writes invalidate nothing (`invalidate=()`).


@dataclass(frozen=True, slots=True)
class SeriesRecord:
    id: int
    guild_id: int
    channel_id: int
    voice_channel_id: int | None
    facilitator_id: int
    title: str
    plan: str | None
    duration_minutes: int
    repeat: str
    timezone: str
    anchor_local: str
    anchor_seq: int
    active: bool
    created_at: float


@dataclass(frozen=True, slots=True)
class OccurrenceRecord:
    id: int
    series_id: int
    guild_id: int
    seq: int
    starts_at: float
    ends_at: float
    event_id: int | None
    status: str
    session_id: int | None
    start_message_id: int | None
    opened_at: float | None
    reminders_until: float
    ended_at: float | None
    created_at: float


_SERIES = (
    "id, guild_id, channel_id, voice_channel_id, facilitator_id, title, plan, duration_minutes,"
    " repeat, timezone, anchor_local, anchor_seq, active, created_at"
)
_OCC = (
    "id, series_id, guild_id, seq, starts_at, ends_at, event_id, status, session_id,"
    " start_message_id, opened_at, reminders_until, ended_at, created_at"
)
_SERIES_FIELDS = frozenset(
    {
        "channel_id",
        "voice_channel_id",
        "facilitator_id",
        "title",
        "plan",
        "duration_minutes",
        "repeat",
        "timezone",
        "anchor_local",
        "anchor_seq",
    }
)


def _series(row: Row | Sequence[Any]) -> SeriesRecord:
    values = list(tuple(row))
    values[12] = bool(values[12])
    return SeriesRecord(*values)


def _occurrence(row: Row | Sequence[Any]) -> OccurrenceRecord:
    return OccurrenceRecord(*tuple(row))


class ScheduleRepository(Repository):
    # ---------------------------------------------------------------- series

    async def create_series(
        self,
        *,
        guild_id: int,
        channel_id: int,
        voice_channel_id: int | None,
        facilitator_id: int,
        title: str,
        plan: str | None,
        duration_minutes: int,
        repeat: str,
        timezone: str,
        anchor_local: str,
        starts_at: float,
        ends_at: float,
        now: float,
        limits: SessionLimits | None = None,
    ) -> tuple[SeriesRecord, OccurrenceRecord]:
        """A series and its first occurrence (seq 0), and its `limits` when it is closed, in
        one transaction (a closed series never exists open, not even for a moment)."""

        async def job(conn: Conn) -> tuple[int, int]:
            series_id = await conn.fetch_val(
                "INSERT INTO schedule_series (guild_id, channel_id, voice_channel_id,"
                " facilitator_id, title, plan, duration_minutes, repeat, timezone, anchor_local,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    guild_id,
                    channel_id,
                    voice_channel_id,
                    facilitator_id,
                    title,
                    plan,
                    duration_minutes,
                    repeat,
                    timezone,
                    anchor_local,
                    now,
                ),
            )
            occurrence_id = await conn.fetch_val(
                "INSERT INTO schedule_occurrences (series_id, guild_id, seq, starts_at, ends_at,"
                " reminders_until, created_at) VALUES (?, ?, 0, ?, ?, ?, ?) RETURNING id",
                (series_id, guild_id, starts_at, ends_at, now, now),
            )
            if limits is not None and limits.closed:
                await upsert_series_limits(conn, int(series_id), limits)
            return int(series_id), int(occurrence_id)

        series_id, occurrence_id = await self._db.write(job, invalidate=())
        series = await self.series(series_id)
        occurrence = await self.occurrence(occurrence_id)
        assert series is not None and occurrence is not None
        return series, occurrence

    async def series(self, series_id: int) -> SeriesRecord | None:
        row = await self._db.fetch_one(
            f"SELECT {_SERIES} FROM schedule_series WHERE id = ?", (series_id,)
        )
        return _series(row) if row else None

    async def edit(
        self,
        occurrence_id: int,
        changes: Mapping[str, object],
        starts_at: float,
        ends_at: float,
    ) -> tuple[SeriesRecord, OccurrenceRecord] | None:
        """Change a still-scheduled occurrence's times and its series' fields (`changes`, named
        as the series' columns) in one job; None when the occurrence had moved on meanwhile.

        Raises ValueError for a name that is not a series field."""
        unknown = set(changes) - _SERIES_FIELDS
        if unknown:
            raise ValueError(f"not series fields: {sorted(unknown)}")
        assignments = ", ".join(f"{name} = ?" for name in changes)

        async def job(conn: Conn) -> int | None:
            series_id = await conn.fetch_val(
                "UPDATE schedule_occurrences SET starts_at = ?, ends_at = ?"
                " WHERE id = ? AND status = 'scheduled' RETURNING series_id",
                (starts_at, ends_at, occurrence_id),
            )
            if series_id is not None and changes:
                await conn.execute(
                    f"UPDATE schedule_series SET {assignments} WHERE id = ?",
                    (*changes.values(), series_id),
                )
            return None if series_id is None else int(series_id)

        series_id = await self._db.write(job, invalidate=())
        if series_id is None:
            return None
        series = await self.series(series_id)
        occurrence = await self.occurrence(occurrence_id)
        assert series is not None and occurrence is not None
        return series, occurrence

    async def withdraw(self, series_id: int, occurrence_id: int) -> None:
        """Undo a series just created (its server event couldn't be): the occurrence is
        cancelled and the series stopped, in one job."""

        async def job(conn: Conn) -> None:
            await conn.execute(
                "UPDATE schedule_occurrences SET status = 'cancelled'"
                " WHERE id = ? AND status = 'scheduled'",
                (occurrence_id,),
            )
            await conn.execute("UPDATE schedule_series SET active = 0 WHERE id = ?", (series_id,))

        await self._db.write(job, invalidate=())

    async def cancel(self, occurrence_id: int, now: float, *, stop_series: bool) -> bool:
        """scheduled -> cancelled (and ended at `now`), with its series stopped too when
        `stop_series`; False when it had moved on (nothing changed then)."""

        async def job(conn: Conn) -> bool:
            series_id = await conn.fetch_val(
                "UPDATE schedule_occurrences SET status = 'cancelled',"
                " ended_at = COALESCE(ended_at, ?)"
                " WHERE id = ? AND status = 'scheduled' RETURNING series_id",
                (now, occurrence_id),
            )
            if series_id is None:
                return False
            if stop_series:
                await conn.execute(
                    "UPDATE schedule_series SET active = 0 WHERE id = ?", (series_id,)
                )
            return True

        return await self._db.write(job, invalidate=())

    # ----------------------------------------------------------- occurrences

    async def occurrence(self, occurrence_id: int) -> OccurrenceRecord | None:
        row = await self._db.fetch_one(
            f"SELECT {_OCC} FROM schedule_occurrences WHERE id = ?", (occurrence_id,)
        )
        return _occurrence(row) if row else None

    async def add_occurrence(
        self, series: SeriesRecord, seq: int, starts_at: float, ends_at: float, now: float
    ) -> OccurrenceRecord | None:
        """The series' occurrence `seq`; None when it already existed (another wake made it)."""

        async def job(conn: Conn) -> int | None:
            found = await conn.fetch_val(
                "INSERT INTO schedule_occurrences (series_id, guild_id, seq, starts_at,"
                " ends_at, reminders_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING RETURNING id",
                (series.id, series.guild_id, seq, starts_at, ends_at, now, now),
            )
            return int(found) if found is not None else None

        occurrence_id = await self._db.write(job, invalidate=())
        if occurrence_id is None:
            return None
        return await self.occurrence(occurrence_id)

    async def last_occurrence(self, series_id: int) -> OccurrenceRecord | None:
        """The series' latest occurrence stored (highest seq), whatever its status."""
        row = await self._db.fetch_one(
            f"SELECT {_OCC} FROM schedule_occurrences WHERE series_id = ?"
            " ORDER BY seq DESC LIMIT 1",
            (series_id,),
        )
        return _occurrence(row) if row else None

    async def pending(self) -> list[OccurrenceRecord]:
        """Occurrences the scheduler still has work for, in every server."""
        rows = await self._db.fetch_all(
            f"SELECT {_OCC} FROM schedule_occurrences WHERE status != 'cancelled'"
            " AND (ended_at IS NULL OR status IN ('scheduled', 'open')) ORDER BY starts_at, id"
        )
        return [_occurrence(r) for r in rows]

    async def upcoming_with_series(
        self, guild_id: int, limit: int
    ) -> list[tuple[SeriesRecord, OccurrenceRecord]]:
        """Occurrences not yet over, soonest first, each with its series."""
        series_columns = ", ".join(f"s.{c.strip()}" for c in _SERIES.split(","))
        occurrence_columns = ", ".join(f"o.{c.strip()}" for c in _OCC.split(","))
        rows = await self._db.fetch_all(
            f"SELECT {series_columns}, {occurrence_columns} FROM schedule_occurrences o"
            " JOIN schedule_series s ON s.id = o.series_id WHERE o.guild_id = ?"
            " AND o.status IN ('scheduled', 'open', 'started') AND o.ended_at IS NULL"
            " ORDER BY o.starts_at, o.id LIMIT ?",
            (guild_id, limit),
        )
        width = len(SeriesRecord.__slots__)
        found = []
        for row in rows:
            values = tuple(row)
            found.append((_series(values[:width]), _occurrence(values[width:])))
        return found

    async def upcoming(self, guild_id: int, limit: int) -> list[OccurrenceRecord]:
        """Occurrences not yet over, soonest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_OCC} FROM schedule_occurrences WHERE guild_id = ?"
            " AND status IN ('scheduled', 'open', 'started') AND ended_at IS NULL"
            " ORDER BY starts_at, id LIMIT ?",
            (guild_id, limit),
        )
        return [_occurrence(r) for r in rows]

    async def set_event(self, occurrence_id: int, event_id: int | None) -> None:
        await self._set(occurrence_id, "event_id", event_id)

    async def set_start_message(self, occurrence_id: int, message_id: int | None) -> None:
        await self._set(occurrence_id, "start_message_id", message_id)

    async def mark_reminders(self, occurrence_id: int, until: float) -> bool:
        """Claim the reminder slots due by `until`: False if they were marked already (by
        another wake-up or another process), and then they must not be sent again."""

        async def job(conn: Conn) -> int:
            return await conn.execute(
                "UPDATE schedule_occurrences SET reminders_until = ?"
                " WHERE id = ? AND reminders_until < ?",
                (until, occurrence_id, until),
            )

        return await self._db.write(job, invalidate=()) > 0

    async def set_opened(
        self, occurrence_id: int, session_id: int | None, now: float, status: str = "open"
    ) -> bool:
        """scheduled -> open (or missed when it could not open); False if it had moved on."""

        return (
            await write_one(
                self._db,
                "UPDATE schedule_occurrences SET status = ?, session_id = ?, opened_at = ?"
                " WHERE id = ? AND status = 'scheduled'",
                (status, session_id, now, occurrence_id),
                invalidate=(),
            )
            == 1
        )

    async def set_opened_session(self, occurrence_id: int, session_id: int) -> None:
        await self._set(occurrence_id, "session_id", session_id)

    async def transition(self, occurrence_id: int, from_statuses: Iterable[str], to: str) -> bool:
        """Move the status on only from one of `from_statuses` (so two clicks can't both win)."""
        allowed = list(from_statuses)
        marks = ",".join("?" * len(allowed))

        return (
            await write_one(
                self._db,
                f"UPDATE schedule_occurrences SET status = ? WHERE id = ? AND status IN ({marks})",
                (to, occurrence_id, *allowed),
                invalidate=(),
            )
            == 1
        )

    async def set_ended(self, occurrence_id: int, now: float) -> bool:

        return (
            await write_one(
                self._db,
                "UPDATE schedule_occurrences SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
                (now, occurrence_id),
                invalidate=(),
            )
            == 1
        )

    async def _set(self, occurrence_id: int, column: str, value: object) -> None:

        await write_one(
            self._db,
            f"UPDATE schedule_occurrences SET {column} = ? WHERE id = ?",
            (value, occurrence_id),
            invalidate=(),
        )

    # ------------------------------------------------------------- reminders

    async def set_optin(self, guild_id: int, user_id: int, minutes: int, now: float) -> None:

        await write_one(
            self._db,
            "INSERT INTO reminder_optins (guild_id, user_id, minutes_before, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (guild_id, user_id) DO UPDATE SET"
            " minutes_before = excluded.minutes_before, updated_at = excluded.updated_at",
            (guild_id, user_id, minutes, now),
            invalidate=(),
        )

    async def remove_optin(self, guild_id: int, user_id: int) -> bool:

        return (
            await write_one(
                self._db,
                "DELETE FROM reminder_optins WHERE guild_id = ? AND user_id = ?",
                (guild_id, user_id),
                invalidate=(),
            )
            == 1
        )

    async def optins(self, guild_id: int) -> dict[int, int]:
        rows = await self._db.fetch_all(
            # Ordered so reminders go out in the same order whatever the engine's plan.
            "SELECT user_id, minutes_before FROM reminder_optins WHERE guild_id = ?"
            " ORDER BY user_id",
            (guild_id,),
        )
        return {int(r[0]): int(r[1]) for r in rows}

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
        rows = await self._db.fetch_all(
            "SELECT user_id FROM sent_reminders WHERE occurrence_id = ?", (occurrence_id,)
        )
        return {int(r[0]) for r in rows}

    async def record_reminded(
        self, occurrence_id: int, user_ids: Iterable[int], via: str, now: float
    ) -> None:

        async def job(conn: Conn) -> None:
            await conn.execute_many(
                "INSERT INTO sent_reminders (occurrence_id, user_id, via, sent_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(occurrence_id, uid, via, now) for uid in user_ids],
            )

        await self._db.write(job, invalidate=())

    # ------------------------------------------------- a member's time per series

    async def occurrence_by_event(self, guild_id: int, event_id: int) -> OccurrenceRecord | None:
        """The occurrence behind a server event, None when the event isn't Chorus'."""
        row = await self._db.fetch_one(
            f"SELECT {_OCC} FROM schedule_occurrences WHERE guild_id = ? AND event_id = ?",
            (guild_id, event_id),
        )
        return _occurrence(row) if row else None

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
        self, series_id: int, user_id: int, minutes: int | None, now: float
    ) -> bool:
        """The member's choice from an offer, in one job: kept (replacing the offer and any
        earlier choice) only while they hold an offer or a choice for the series; False, and
        nothing stored, when they hold neither (they were forgotten or removed Interested)."""

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
                " updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (series_id, user_id) DO UPDATE"
                " SET minutes_before = excluded.minutes_before, updated_at = excluded.updated_at",
                (series_id, int(held[0]), user_id, minutes, now),
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

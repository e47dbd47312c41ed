"""Scheduled sessions: series and their occurrences (reminders are `reminders.py`).

Times are UTC timestamps in seconds (Unix time)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import fields

from bot.records.schedule import NewSeries, OccurrenceRecord, SeriesDefinition, SeriesRecord
from bot.records.session_access import SessionLimits
from bot.store.database import Conn
from bot.store.one_statement import write_one, write_returned_if_any
from bot.store.repository import Repository
from bot.store.rows import columns, record_of, values_of
from bot.store.session_access import upsert_series_limits

# No read of these tables is cached, so their writes invalidate nothing (`invalidate=()`).


_OCC = columns(OccurrenceRecord)
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


class ScheduleRepository(Repository):
    # ---------------------------------------------------------------- series

    async def create_series(
        self, new: NewSeries, now: float, limits: SessionLimits | None = None
    ) -> tuple[SeriesRecord, OccurrenceRecord]:
        """The `new` series and its first occurrence (seq 0), created at `now` (UTC seconds),
        and its `limits` when it is closed, in one transaction (a closed series never exists
        open, not even for a moment)."""

        async def job(conn: Conn) -> tuple[int, int]:
            series_id = await conn.fetch_val(
                f"INSERT INTO schedule_series ({columns(SeriesDefinition)}, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (*values_of(new, SeriesDefinition), now),
            )
            occurrence_id = await conn.fetch_val(
                "INSERT INTO schedule_occurrences (series_id, guild_id, seq, starts_at, ends_at,"
                " reminders_until, created_at) VALUES (?, ?, 0, ?, ?, ?, ?) RETURNING id",
                (series_id, new.guild_id, new.starts_at, new.ends_at, now, now),
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
        """The series with this id, active or not; None when there is none."""
        return await self._by_id(SeriesRecord, "schedule_series", series_id)

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
        """The occurrence with this id, any status; None when there is none."""
        return await self._by_id(OccurrenceRecord, "schedule_occurrences", occurrence_id)

    async def add_occurrence(
        self, series: SeriesRecord, seq: int, starts_at: float, ends_at: float, now: float
    ) -> OccurrenceRecord | None:
        """The series' occurrence `seq`; None when it already existed (another wake made it)."""

        return await write_returned_if_any(
            self._db,
            OccurrenceRecord,
            "INSERT INTO schedule_occurrences (series_id, guild_id, seq, starts_at,"
            " ends_at, reminders_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            f" ON CONFLICT DO NOTHING RETURNING {_OCC}",
            (series.id, series.guild_id, seq, starts_at, ends_at, now, now),
            invalidate=(),
        )

    async def last_occurrence(self, series_id: int) -> OccurrenceRecord | None:
        """The series' latest occurrence stored (highest seq), whatever its status."""
        return await self._one_where(
            OccurrenceRecord,
            "schedule_occurrences",
            "series_id = ? ORDER BY seq DESC LIMIT 1",
            (series_id,),
        )

    async def pending(self) -> list[OccurrenceRecord]:
        """Occurrences the schedule's timer still has work for, in every server."""
        return await self._all_where(
            OccurrenceRecord,
            "schedule_occurrences",
            "status != 'cancelled' AND (ended_at IS NULL OR status IN ('scheduled', 'open'))"
            " ORDER BY starts_at, id",
        )

    async def upcoming_with_series(
        self, guild_id: int, limit: int
    ) -> list[tuple[SeriesRecord, OccurrenceRecord]]:
        """Occurrences not yet over, soonest first, each with its series."""
        rows = await self._db.fetch_all(
            f"SELECT {columns(SeriesRecord, 's')}, {columns(OccurrenceRecord, 'o')} FROM schedule_occurrences o"
            " JOIN schedule_series s ON s.id = o.series_id WHERE o.guild_id = ?"
            " AND o.status IN ('scheduled', 'open', 'started') AND o.ended_at IS NULL"
            " ORDER BY o.starts_at, o.id LIMIT ?",
            (guild_id, limit),
        )
        width = len(fields(SeriesRecord))
        found = []
        for row in rows:
            values = tuple(row)
            found.append(
                (
                    record_of(SeriesRecord, values[:width]),
                    record_of(OccurrenceRecord, values[width:]),
                )
            )
        return found

    async def upcoming(self, guild_id: int, limit: int) -> list[OccurrenceRecord]:
        """Occurrences not yet over, soonest first."""
        return await self._all_where(
            OccurrenceRecord,
            "schedule_occurrences",
            "guild_id = ? AND status IN ('scheduled', 'open', 'started') AND ended_at IS NULL"
            " ORDER BY starts_at, id LIMIT ?",
            (guild_id, limit),
        )

    async def set_event(self, occurrence_id: int, event_id: int | None) -> None:
        """Keep the id of the occurrence's server event (None: it has none). Raises
        StorageUnavailable when the write can't be committed."""
        await self._set(occurrence_id, "event_id", event_id)

    async def set_start_message(self, occurrence_id: int, message_id: int | None) -> None:
        """Keep the id of the message with the occurrence's Start button (None: none posted).
        Raises StorageUnavailable when the write can't be committed."""
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
        """Keep the session opened for the occurrence. Raises StorageUnavailable when the write
        can't be committed."""
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
        """Mark the occurrence's end as handled at `now` (UTC seconds); False when it already was
        (another wake-up or process did it). Raises StorageUnavailable when the write can't be
        committed."""

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

    async def occurrence_by_event(self, guild_id: int, event_id: int) -> OccurrenceRecord | None:
        """The occurrence behind a server event, None when the event isn't Chorus'."""
        return await self._one_where(
            OccurrenceRecord,
            "schedule_occurrences",
            "guild_id = ? AND event_id = ?",
            (guild_id, event_id),
        )

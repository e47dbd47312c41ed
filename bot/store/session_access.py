"""Closed sessions: a cap on places, a role allowed to join, invitation only, and the waitlist.

Every admission is one write job: it reads the session's limits and who is present, then
inserts the attendance row or the waitlist row, in the same transaction. On SQLite the writer
runs one job at a time; on PostgreSQL the job first updates the session's limits row (to
itself), which locks it until commit, so processes sharing the database admit one at a time.

Times are UTC timestamps in seconds (Unix time).
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from bot.records.session_access import (
    Admission,
    Departure,
    LimitChanges,
    SessionLimits,
    WaitingMember,
)
from bot.store import cached_reads
from bot.store.database import Conn, Row
from bot.store.repository import Repository

# Places are for members: the facilitator leads and takes none.
_PRESENT = (
    "SELECT COUNT(*) FROM attendance a WHERE a.session_id = ? AND a.left_at IS NULL"
    " AND a.user_id <> (SELECT facilitator_id FROM sessions s WHERE s.id = a.session_id)"
)


def _limits(row: Row | None) -> SessionLimits | None:
    """A `SELECT capacity, role_id, invite_only` row as limits (None: no row, open to anyone)."""
    if row is None:
        return None
    return SessionLimits(
        None if row[0] is None else int(row[0]),
        None if row[1] is None else int(row[1]),
        bool(row[2]),
    )


async def upsert_series_limits(conn: Conn, series_id: int, limits: SessionLimits) -> None:
    """Within a write job: the series' limits are these now."""
    await conn.execute(
        "INSERT INTO schedule_limits (series_id, capacity, role_id, invite_only)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (series_id) DO UPDATE SET"
        " capacity = excluded.capacity, role_id = excluded.role_id,"
        " invite_only = excluded.invite_only",
        (series_id, limits.capacity, limits.role_id, int(limits.invite_only)),
    )


async def _lock(conn: Conn, session_id: int) -> SessionLimits | None:
    # Updating the row to itself takes PostgreSQL's row lock until commit; on SQLite the
    # writer already holds the database's write lock.
    await conn.execute(
        "UPDATE session_limits SET capacity = capacity WHERE session_id = ?", (session_id,)
    )
    row = await conn.fetch_one(
        "SELECT capacity, role_id, invite_only FROM session_limits WHERE session_id = ?",
        (session_id,),
    )
    return _limits(row)


async def _is_present(conn: Conn, session_id: int, user_id: int) -> bool:
    found = await conn.fetch_val(
        "SELECT COUNT(*) FROM attendance WHERE session_id = ? AND user_id = ? AND left_at IS NULL",
        (session_id, user_id),
    )
    return int(found) > 0


async def _enter(conn: Conn, session_id: int, user_id: int, now: float) -> None:
    await conn.execute(
        "INSERT INTO attendance (session_id, user_id, joined_at) VALUES (?, ?, ?)",
        (session_id, user_id, now),
    )
    await conn.execute(
        "DELETE FROM session_waitlist WHERE session_id = ? AND user_id = ?", (session_id, user_id)
    )


async def _place(conn: Conn, session_id: int, user_id: int) -> int:
    return int(
        await conn.fetch_val(
            "SELECT COUNT(*) FROM session_waitlist w, session_waitlist me"
            " WHERE me.session_id = ? AND me.user_id = ? AND w.session_id = me.session_id"
            " AND w.state = 'waiting' AND w.seq <= me.seq",
            (session_id, user_id),
        )
    )


async def _line_up(conn: Conn, session_id: int, user_id: int, state: str, now: float) -> None:
    """Put the member at the end of the line (`seq`: arrival order under the job's lock)."""
    await conn.execute(
        "INSERT INTO session_waitlist (session_id, user_id, state, seq, since)"
        " VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM session_waitlist"
        " WHERE session_id = ?), ?)",
        (session_id, user_id, state, session_id, now),
    )


async def _move_up(conn: Conn, session_id: int, limits: SessionLimits, now: float) -> list[int]:
    """Fill the free places from the head of the line; the members moved up, in order."""
    if limits.capacity is None:
        return []
    present = int(await conn.fetch_val(_PRESENT, (session_id,)))
    free = limits.capacity - present
    if free <= 0:
        return []
    rows = await conn.fetch_all(
        "SELECT user_id FROM session_waitlist WHERE session_id = ? AND state = 'waiting'"
        " ORDER BY seq LIMIT ?",
        (session_id, free),
    )
    moved = [int(r[0]) for r in rows]
    for user_id in moved:
        await _enter(conn, session_id, user_id, now)
    return moved


class SessionAccessRepository(Repository):
    """The limits of closed sessions and series, and each session's waitlist."""

    async def limits(self, session_id: int) -> SessionLimits | None:
        """The session's limits, None when it is open to anyone (cached: they never change)."""

        async def load() -> SessionLimits | None:
            row = await self._db.fetch_one(
                "SELECT capacity, role_id, invite_only FROM session_limits WHERE session_id = ?",
                (session_id,),
            )
            return _limits(row)

        return await self._db.cached(cached_reads.session_limits(session_id), load)

    async def series_limits(self, series_id: int) -> SessionLimits | None:
        """Who may come to every session of the series, None when anyone may."""
        row = await self._db.fetch_one(
            "SELECT capacity, role_id, invite_only FROM schedule_limits WHERE series_id = ?",
            (series_id,),
        )
        return _limits(row)

    async def edit_series_limits(
        self,
        occurrence_id: int,
        changes: LimitChanges,
        check: Callable[[SessionLimits], SessionLimits | None],
    ) -> tuple[bool, SessionLimits | None]:
        """Change the limits of a still-scheduled occurrence's series, in one job: the status
        check, reading the limits now, `check` (given the changed limits: the limits to keep,
        None for open to anyone; it may raise to refuse) and the write. Two edits at once
        therefore never lose one another's change. (False, None) when the occurrence had
        moved on (opened, cancelled) meanwhile; else (True, the series' limits now)."""

        async def job(conn: Conn) -> tuple[bool, SessionLimits | None]:
            # Updated to itself: the status check, and on PostgreSQL a row lock until commit,
            # so another process's edit of the same occurrence waits and then reads ours.
            series_id = await conn.fetch_val(
                "UPDATE schedule_occurrences SET status = status"
                " WHERE id = ? AND status = 'scheduled' RETURNING series_id",
                (occurrence_id,),
            )
            if series_id is None:
                return False, None
            row = await conn.fetch_one(
                "SELECT capacity, role_id, invite_only FROM schedule_limits WHERE series_id = ?",
                (series_id,),
            )
            kept = check(changes.applied(_limits(row)))
            if kept is None:
                await conn.execute("DELETE FROM schedule_limits WHERE series_id = ?", (series_id,))
                return True, None
            await upsert_series_limits(conn, int(series_id), kept)
            return True, kept

        # A series' limits are not cached (an opened session's are copied, `session_limits`).
        return await self._db.write(job, invalidate=())

    async def request(
        self, session_id: int, user_id: int, role_ids: Collection[int], now: float
    ) -> Admission:
        """A member's Join press on a closed session, decided and recorded in one job.

        `role_ids`: the member's roles now. The member is in when they hold the role (if any),
        the session isn't invitation-only and a place is free; otherwise they are put in line
        (`waiting`, with their place) or recorded as asking (`asking`)."""

        async def job(conn: Conn) -> Admission:
            limits = await _lock(conn, session_id) or SessionLimits()
            if await _is_present(conn, session_id, user_id):
                return Admission("already")
            state = await conn.fetch_val(
                "SELECT state FROM session_waitlist WHERE session_id = ? AND user_id = ?",
                (session_id, user_id),
            )
            if state == "removed":
                return Admission("removed")
            if limits.role_id is not None and limits.role_id not in role_ids:
                return Admission("no_role")
            if limits.invite_only:
                if state is None:
                    await _line_up(conn, session_id, user_id, "asking", now)
                return Admission("asking")
            present = int(await conn.fetch_val(_PRESENT, (session_id,)))
            if limits.capacity is not None and (
                present >= limits.capacity or await _has_line(conn, session_id, user_id)
            ):
                if state is None:
                    await _line_up(conn, session_id, user_id, "waiting", now)
                return Admission("waiting", await _place(conn, session_id, user_id))
            await _enter(conn, session_id, user_id, now)
            return Admission("joined")

        return await self._db.write(job, invalidate=[cached_reads.present(session_id)])

    async def admit(self, session_id: int, user_id: int, now: float) -> bool:
        """The facilitator lets a member in (past the cap, the role and the invitation);
        False when they were already present."""

        async def job(conn: Conn) -> bool:
            await _lock(conn, session_id)
            if await _is_present(conn, session_id, user_id):
                await conn.execute(
                    "DELETE FROM session_waitlist WHERE session_id = ? AND user_id = ?",
                    (session_id, user_id),
                )
                return False
            await _enter(conn, session_id, user_id, now)
            return True

        return await self._db.write(job, invalidate=[cached_reads.present(session_id)])

    async def leave(
        self, session_id: int, user_id: int, now: float, *, removed: bool = False
    ) -> Departure:
        """A member leaves (or, `removed`, is taken out and kept out); the freed place goes to
        the head of the line, in the same job."""

        async def job(conn: Conn) -> Departure:
            limits = await _lock(conn, session_id) or SessionLimits()
            left = (
                await conn.execute(
                    "UPDATE attendance SET left_at = ? WHERE session_id = ? AND user_id = ?"
                    " AND left_at IS NULL",
                    (now, session_id, user_id),
                )
                == 1
            )
            if removed:
                lined = (
                    await conn.execute(
                        "UPDATE session_waitlist SET state = 'removed', since = ?"
                        " WHERE session_id = ? AND user_id = ? AND state <> 'removed'",
                        (now, session_id, user_id),
                    )
                    == 1
                )
                if not lined and left:
                    await _line_up(conn, session_id, user_id, "removed", now)
            else:
                lined = (
                    await conn.execute(
                        "DELETE FROM session_waitlist WHERE session_id = ? AND user_id = ?"
                        " AND state <> 'removed'",
                        (session_id, user_id),
                    )
                    == 1
                )
            moved = await _move_up(conn, session_id, limits, now) if left else []
            return Departure(left, lined, tuple(moved))

        return await self._db.write(job, invalidate=[cached_reads.present(session_id)])

    async def waitlist(self, session_id: int) -> list[WaitingMember]:
        """Members in line (`waiting`, by place) then those asking (`asking`), oldest first."""
        rows = await self._db.fetch_all(
            "SELECT user_id, state, since FROM session_waitlist WHERE session_id = ?"
            " AND state IN ('waiting', 'asking') ORDER BY state DESC, seq",
            (session_id,),
        )
        return [WaitingMember(int(r[0]), str(r[1]), float(r[2])) for r in rows]


async def _has_line(conn: Conn, session_id: int, user_id: int) -> bool:
    """Others already wait: a newcomer doesn't jump the line even if a place just freed."""
    found = await conn.fetch_val(
        "SELECT COUNT(*) FROM session_waitlist WHERE session_id = ? AND state = 'waiting'"
        " AND user_id <> ?",
        (session_id, user_id),
    )
    return int(found) > 0

"""Sessions and attendance: who opened what, where, and who was there when.

Times are UTC timestamps in seconds (Unix time)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.records.session_access import SessionLimits
from bot.records.sessions import AttendanceRecord, NewSession, SessionHistoryRow, SessionRecord
from bot.store import cached_reads
from bot.store.attendance_job import JoinJob
from bot.store.cached_reads import CachedRead
from bot.store.database import Conn, Database
from bot.store.engine import IntegrityError
from bot.store.notify import ChangeFeed
from bot.store.one_statement import write_one
from bot.store.repository import Repository
from bot.store.rows import columns, record_of

BOARD_CLAIM_SECONDS = 60.0
"""How long a claim to post a session's board holds before another process may take it over
(the claiming process died between claiming and saving the message id)."""

_SESSION_COLUMNS = columns(SessionRecord)


def _new_session(session_id: int) -> list[CachedRead]:
    """A new session's reads (a look-up of its id before it existed) are forgotten once its id
    is known; the other sessions' cached reads stay (issue 17 item 5)."""
    return [cached_reads.session(session_id), cached_reads.present(session_id)]


class SessionAlreadyOpen(Exception):
    """A channel already has an open session (the unique index said so)."""


class SessionRepository(Repository):
    def __init__(self, db: Database, changes: ChangeFeed | None = None) -> None:
        super().__init__(db)
        self._changes = changes or ChangeFeed(db)

    async def create(
        self, new: NewSession, now: float, limits: SessionLimits | None = None
    ) -> SessionRecord:
        """Open the `new` session at `now` (UTC seconds), with its `limits`, when closed, in the
        same job; raises SessionAlreadyOpen when the channel has one."""

        async def job(conn: Conn) -> int:
            session_id = int(
                await conn.fetch_val(
                    "INSERT INTO sessions (guild_id, channel_id, voice_channel_id, title,"
                    " facilitator_id, started_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    (
                        new.guild_id,
                        new.channel_id,
                        new.voice_channel_id,
                        new.title,
                        new.facilitator_id,
                        now,
                    ),
                )
            )
            if limits is not None and limits.closed:
                await conn.execute(
                    "INSERT INTO session_limits (session_id, capacity, role_id, invite_only)"
                    " VALUES (?, ?, ?, ?)",
                    (session_id, limits.capacity, limits.role_id, int(limits.invite_only)),
                )
            return session_id

        try:
            # Only the new id's reads can change (a look-up before it existed), and the id is
            # known once the job has run: they are forgotten just below. The other sessions'
            # cached reads stay (issue 17 item 5).
            # Its limits are known: kept now, so the first joins don't load them; and each key's
            # cache entries are made here, not amid a burst of joins, where a long-lived object
            # keeps a whole pymalloc arena of the burst's freed frames resident (BENCHMARKS.md,
            # "GC passes and memory under a join burst").
            closed = limits if limits is not None and limits.closed else None
            session_id = await self._db.write(
                job,
                invalidate=_new_session,
                keep=cached_reads.WriteThrough(
                    lambda new_id: [(cached_reads.session_limits(new_id), closed)]
                ),
            )
        except IntegrityError as exc:
            raise SessionAlreadyOpen(str(exc)) from exc
        found = await self.get(session_id)
        assert found is not None
        return found

    async def get(self, session_id: int) -> SessionRecord | None:
        """A session as committed (cached until a write transaction changes it)."""

        async def load() -> SessionRecord | None:
            return await self._by_id(SessionRecord, "sessions", session_id)

        return await self._db.cached(cached_reads.session(session_id), load)

    async def open_in_channel(self, channel_id: int) -> SessionRecord | None:
        """The open session in this text channel, None when there is none."""
        return await self._one_where(
            SessionRecord, "sessions", "channel_id = ? AND status = 'open'", (channel_id,)
        )

    async def open_in_voice(
        self, guild_id: int, voice_channel_ids: Sequence[int]
    ) -> list[SessionRecord]:
        """The server's open sessions meeting in one of these voice channels, by id (a voice
        state change reads only its own server's sessions); [] when no channel is given."""
        if not voice_channel_ids:
            return []
        marks = ", ".join("?" for _ in voice_channel_ids)
        return await self._all_where(
            SessionRecord,
            "sessions",
            f"guild_id = ? AND status = 'open' AND voice_channel_id IN ({marks}) ORDER BY id",
            (guild_id, *voice_channel_ids),
        )

    async def open_in_guild(self, guild_id: int) -> list[SessionRecord]:
        """The server's open sessions, by id (a member leaving, or forgotten, touches only their
        own server's); [] when it has none."""
        return await self._select_all(
            SessionRecord,
            f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE guild_id = ? AND status = 'open'"
            " ORDER BY id",
            (guild_id,),
        )

    async def all_open(self) -> list[SessionRecord]:
        """Every open session in every server, by id (what a starting process resumes)."""
        return await self._all_where(SessionRecord, "sessions", "status = 'open' ORDER BY id")

    async def set_board(self, session_id: int, message_id: int | None) -> None:
        """Keep the id of the session's board message (None: no board posted); any claim to
        post it ends and the cached session is dropped. Raises StorageUnavailable when the write
        can't be committed."""

        await write_one(
            self._db,
            "UPDATE sessions SET board_message_id = ?, board_claimed_at = NULL WHERE id = ?",
            (message_id, session_id),
            invalidate=[cached_reads.session(session_id)],
        )

    async def claim_board(
        self, session_id: int, seen: int | None, now: float, hold: float = BOARD_CLAIM_SECONDS
    ) -> bool:
        """Claim posting the session's board: True for one caller only, across processes,
        while its message id is still `seen` (None: never posted; else the id of a board found
        deleted) and no claim younger than `hold` seconds stands. The claim ends with
        `set_board` (posted) or `release_board` (the post failed). UTC seconds."""
        which = "board_message_id IS NULL" if seen is None else "board_message_id = ?"
        params: tuple[object, ...] = (now, session_id) + (() if seen is None else (seen,))
        changed = await write_one(
            self._db,
            f"UPDATE sessions SET board_claimed_at = ? WHERE id = ? AND {which}"
            " AND (board_claimed_at IS NULL OR board_claimed_at < ?)",
            (*params, now - hold),
            invalidate=(),  # the claim is in no cached read (not a SessionRecord field)
        )
        return changed == 1

    async def release_board(self, session_id: int) -> None:
        """The claimed post failed: another try (here or elsewhere) may claim it again."""
        await write_one(
            self._db,
            "UPDATE sessions SET board_claimed_at = NULL WHERE id = ?",
            (session_id,),
            invalidate=(),
        )

    async def end(self, session_id: int, now: float) -> bool:
        """Close the session and every open attendance, drop its waitlist; False if it was
        already ended."""

        async def job(conn: Conn) -> tuple[int, ...] | None:
            changed = await conn.execute(
                "UPDATE sessions SET status = 'ended', ended_at = ? WHERE id = ? AND status = 'open'",
                (now, session_id),
            )
            if changed == 0:
                return None
            await conn.execute(
                "UPDATE attendance SET left_at = ? WHERE session_id = ? AND left_at IS NULL",
                (now, session_id),
            )
            # The line (waiting, asking, taken out) means nothing once the session is over;
            # it is not kept (PRIVACY.md).
            await conn.execute("DELETE FROM session_waitlist WHERE session_id = ?", (session_id,))
            stopped = await conn.fetch_all(
                "UPDATE activity_runs SET state = 'stopped', ended_at = ?, wake_at = NULL"
                " WHERE session_id = ? AND state IN ('running', 'paused') RETURNING id",
                (now, session_id),
            )
            # The other processes drop the session and its runs from their caches.
            await self._changes.notify_in(conn, "session", session_id)
            runs = tuple(int(r[0]) for r in stopped)
            if runs:
                await self._changes.notify_in(conn, "run", *runs)
            # Every run of the session, stopped now or before: none is read live again, so
            # none may stay cached (an ended session holds no memory).
            every_run = await conn.fetch_all(
                "SELECT id FROM activity_runs WHERE session_id = ?", (session_id,)
            )
            return tuple(int(r[0]) for r in every_run)

        def changed(runs: tuple[int, ...] | None) -> list[cached_reads.CachedRead]:
            # The session's runs are known once the job has run.
            return [*cached_reads.of_session(session_id), *map(cached_reads.run, runs or ())]

        return await self._db.write(job, invalidate=changed) is not None

    async def join(self, session_id: int, user_id: int, now: float) -> bool:
        """Record a join; False when the member was already present (joining twice is harmless)."""

        return await self._db.write(
            JoinJob(session_id, user_id, now), invalidate=[cached_reads.present(session_id)]
        )

    async def leave(self, session_id: int, user_id: int, now: float) -> bool:
        """Mark the member as gone from the session (UTC seconds); False if they weren't in it."""
        changed = await write_one(
            self._db,
            "UPDATE attendance SET left_at = ? WHERE session_id = ? AND user_id = ?"
            " AND left_at IS NULL",
            (now, session_id, user_id),
            invalidate=[cached_reads.present(session_id)],
        )
        return changed == 1

    async def present(self, session_id: int) -> list[AttendanceRecord]:
        """Members here now, in the order they (last) joined (cached until a join or leave)."""

        async def load() -> tuple[AttendanceRecord, ...]:
            rows = await self._db.fetch_all(
                "SELECT id, session_id, user_id, joined_at, left_at FROM attendance"
                " WHERE session_id = ? AND left_at IS NULL ORDER BY joined_at, id",
                (session_id,),
            )
            return tuple(record_of(AttendanceRecord, r) for r in rows)

        return list(await self._db.cached(cached_reads.present(session_id), load))

    async def attendance(self, session_id: int) -> list[AttendanceRecord]:
        """Every join of the session (with when the member left, None while present), in join
        order; times are UTC seconds."""
        return await self._all_where(
            AttendanceRecord, "attendance", "session_id = ? ORDER BY joined_at, id", (session_id,)
        )

    async def history(self, guild_id: int, limit: int) -> list[SessionHistoryRow]:
        """The server's latest sessions, newest first, at most `limit`: each with how many members
        came and the activities it ran, in order."""
        rows = await self._db.fetch_all(
            f"SELECT {_SESSION_COLUMNS},"
            " (SELECT COUNT(DISTINCT user_id) FROM attendance a WHERE a.session_id = s.id),"
            " (SELECT group_concat(activity_id, ',') FROM"
            "   (SELECT activity_id FROM activity_runs r WHERE r.session_id = s.id ORDER BY r.id) AS runs)"
            " FROM sessions s WHERE guild_id = ? ORDER BY started_at DESC, id DESC LIMIT ?",
            (guild_id, limit),
        )
        result = []
        for row in rows:
            values: Sequence[object] = tuple(row)
            activities = str(values[11] or "")
            result.append(
                SessionHistoryRow(
                    session=SessionRecord(*values[:10]),  # type: ignore[arg-type]
                    attendance=int(values[10]),  # type: ignore[call-overload]
                    activities=tuple(a for a in activities.split(",") if a),
                )
            )
        return result

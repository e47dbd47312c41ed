"""The media library (uploaded tracks), the session playlist (nominations) and plays.

Times are UTC timestamps in seconds (Unix time)."""

from __future__ import annotations

import dataclasses

from bot.records.media import (
    NewNomination,
    NewPlay,
    NewTrack,
    NominationRecord,
    PlayRecord,
    TrackRecord,
)
from bot.store.database import Conn
from bot.store.one_statement import write_one, write_returned
from bot.store.repository import Repository
from bot.store.rows import columns, returned, values_of

_TRACK = columns(TrackRecord)
_NOMINATION = columns(NominationRecord)


class PlaylistFull(Exception):
    """The playlist already holds its most songs; nothing was added."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class MemberQuotaReached(Exception):
    """The member already added their most songs to this playlist; nothing was added."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class MediaRepository(Repository):
    # ----------------------------------------------------------------- tracks

    async def add_track(self, new: NewTrack, now: float) -> TrackRecord:
        """Record the `new` uploaded file in the server's library at `now` (UTC seconds) and
        return it. Raises StorageUnavailable when the write can't be committed."""

        return await write_returned(
            self._db,
            TrackRecord,
            f"INSERT INTO tracks ({columns(NewTrack)}, created_at)"
            f" VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING {_TRACK}",
            (*values_of(new), now),
            invalidate=(),
        )

    async def tracks(self, guild_id: int, limit: int = 100) -> list[TrackRecord]:
        """The server's uploaded tracks, newest first, at most `limit`."""
        return await self._newest_in_guild(TrackRecord, "tracks", guild_id, limit)

    async def file_names(self, guild_id: int) -> list[str]:
        """The media-folder names of all the server's uploaded tracks, oldest first (what
        `chorus db copy --guild ID --media` copies)."""
        rows = await self._db.fetch_all(
            "SELECT file_name FROM tracks WHERE guild_id = ? AND file_name IS NOT NULL ORDER BY id",
            (guild_id,),
        )
        return [str(row[0]) for row in rows]

    # ------------------------------------------------------------ nominations

    async def add_nomination(
        self,
        new: NewNomination,
        now: float,
        *,
        playlist_max: int | None = None,
        per_member_max: int | None = None,
    ) -> NominationRecord:
        """Add the `new` song to its session's playlist at `now` (UTC seconds); the caps are
        checked in the same write.

        Raises PlaylistFull when the playlist already holds `playlist_max` songs and
        MemberQuotaReached when this member already added `per_member_max` (None: no cap)."""

        session_id, user_id = new.session_id, new.user_id

        async def job(conn: Conn) -> NominationRecord:
            if playlist_max is not None or per_member_max is not None:
                # Lock the session's row first: on PostgreSQL another process adding to the
                # same playlist waits here until this write commits, so both can't pass the
                # check. (SQLite's writer already holds the database's one write lock.)
                await conn.execute("UPDATE sessions SET id = id WHERE id = ?", (session_id,))
                row = await conn.fetch_one(
                    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN user_id = ? THEN 1 ELSE 0 END), 0)"
                    " FROM nominations WHERE session_id = ? AND removed_at IS NULL",
                    (user_id, session_id),
                )
                total, mine = (int(row[0]), int(row[1])) if row is not None else (0, 0)
                if playlist_max is not None and total >= playlist_max:
                    raise PlaylistFull(playlist_max)
                if per_member_max is not None and mine >= per_member_max:
                    raise MemberQuotaReached(per_member_max)
            return await returned(
                conn,
                NominationRecord,
                f"INSERT INTO nominations ({columns(NewNomination)}, created_at)"
                f" VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING {_NOMINATION}",
                (*values_of(new), now),
            )

        return await self._db.write(job, invalidate=())

    async def nomination(self, nomination_id: int) -> NominationRecord | None:
        """The playlist entry with this id, removed or not; None when there is none."""
        return await self._by_id(NominationRecord, "nominations", nomination_id)

    async def playlist(self, session_id: int) -> list[NominationRecord]:
        """The session's nominations still on the list, earliest first (the tie-break order)."""
        return await self._all_where(
            NominationRecord,
            "nominations",
            "session_id = ? AND removed_at IS NULL ORDER BY created_at, id",
            (session_id,),
        )

    async def remove_nomination(self, nomination_id: int, now: float) -> bool:
        """Take an entry off its playlist (marked removed at `now`, UTC seconds); False when it was
        already removed or never existed. Raises StorageUnavailable when the write can't be
        committed."""

        return (
            await write_one(
                self._db,
                "UPDATE nominations SET removed_at = ? WHERE id = ? AND removed_at IS NULL",
                (now, nomination_id),
                invalidate=(),
            )
            > 0
        )

    # ------------------------------------------------------------------ plays

    async def record_play(self, new: NewPlay, now: float) -> tuple[PlayRecord, bool]:
        """Save the `new` play of a step once, started at `now` (UTC seconds); returns it and
        whether it was new. A nomination deleted meanwhile (its member's /forget, after the
        vote chose it) is recorded as none, as the delete does to the plays already saved."""

        async def job(conn: Conn) -> bool:
            play = new
            if new.nomination_id is not None and (
                await conn.fetch_one("SELECT 1 FROM nominations WHERE id = ?", (new.nomination_id,))
                is None
            ):
                play = dataclasses.replace(new, nomination_id=None)
            changed = await conn.execute(
                f"INSERT INTO plays ({columns(NewPlay)}, started_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (*values_of(play), now),
            )
            return changed > 0

        created = await self._db.write(job, invalidate=())
        found = await self.play_for_step(new.run_id, new.step_index)
        assert found is not None
        return found, created

    async def play_for_step(self, run_id: int, step_index: int) -> PlayRecord | None:
        """The play recorded for one listen step of a run, None before its countdown ended."""
        return await self._one_where(
            PlayRecord, "plays", "run_id = ? AND step_index = ?", (run_id, step_index)
        )

    async def update_play(
        self, play_id: int, *, mode: str | None = None, note: str | None = None
    ) -> None:
        """Change how a play is heard (`mode`: voice, link or text) and its note; None leaves a
        field as it is. Raises StorageUnavailable when the write can't be committed."""

        await write_one(
            self._db,
            "UPDATE plays SET mode = COALESCE(?, mode), note = COALESCE(?, note) WHERE id = ?",
            (mode, note, play_id),
            invalidate=(),
        )

    async def end_play(self, run_id: int, step_index: int, now: float) -> None:
        """Mark a step's play as ended at `now` (UTC seconds), once: a later call changes nothing.
        Raises StorageUnavailable when the write can't be committed."""

        await write_one(
            self._db,
            "UPDATE plays SET ended_at = ? WHERE run_id = ? AND step_index = ?"
            " AND ended_at IS NULL",
            (now, run_id, step_index),
            invalidate=(),
        )

    async def plays(self, session_id: int) -> list[PlayRecord]:
        """The pieces played in a session, in the order they started."""
        return await self._all_where(
            PlayRecord, "plays", "session_id = ? ORDER BY started_at, id", (session_id,)
        )

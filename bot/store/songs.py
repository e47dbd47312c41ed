"""Songs written together and their lines, with removals kept for the audit trail.

Times are UTC timestamps in seconds (Unix time)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.records.sessions import ContributionRecord
from bot.records.songs import SongLineRecord, SongRecord, SongSpec, TimedOutTurn
from bot.store import cached_reads
from bot.store.cached_reads import StaleRead
from bot.store.database import Conn
from bot.store.one_statement import write_one
from bot.store.repository import Repository
from bot.store.runs import Mirror

_INSERT_SONG = (
    "INSERT INTO songs (guild_id, session_id, run_id, step_index, theme, structure,"
    " anonymous, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (run_id, step_index) WHERE run_id IS NOT NULL DO NOTHING"
)
_INSERT_LINE = (
    "INSERT INTO song_lines (song_id, position, section, author_id, text, syllables,"
    " passed, created_at, event_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (song_id, event_key) WHERE event_key IS NOT NULL DO NOTHING"
)
_LINE_AT = (
    "SELECT 1 FROM song_lines WHERE song_id = ? AND position = ? AND passed = 0"
    " AND removed_at IS NULL AND (event_key IS NULL OR event_key <> ?)"
)
_EDIT_LINE = (
    "UPDATE song_lines SET text = ?, syllables = ? WHERE song_id = ? AND event_key = ?"
    " AND removed_at IS NULL"
)
_REMOVE_LINE = (
    "UPDATE song_lines SET removed_at = ?, removed_by = ? WHERE song_id = ?"
    " AND event_key = ? AND removed_at IS NULL"
)


async def _song_id(conn: Conn, spec: SongSpec, now: float) -> int:
    """The step's song, created on first use, inside the caller's transaction."""
    await conn.execute(
        _INSERT_SONG,
        (
            spec.guild_id,
            spec.session_id,
            spec.run_id,
            spec.step_index,
            spec.theme,
            spec.structure,
            int(spec.anonymous),
            now,
        ),
    )
    found = await conn.fetch_val(
        "SELECT id FROM songs WHERE run_id = ? AND step_index = ?", (spec.run_id, spec.step_index)
    )
    return int(found)


class PositionTaken(StaleRead):
    """Another line was written at this position of the song first (another process, at the
    same moment); nothing of this one was kept. `position` is 0-based. This process's copy of
    the run `run_id` is behind: the writer forgets it (a StaleRead), so it is read afresh."""

    def __init__(self, position: int, run_id: int) -> None:
        super().__init__(f"line position {position} is taken", [cached_reads.run(run_id)])
        self.position = position


class SongRepository(Repository):
    async def of_step(self, spec: SongSpec, now: float) -> SongRecord:
        """The song of a write step, created the first time it is asked for."""

        async def job(conn: Conn) -> None:
            await _song_id(conn, spec, now)

        await self._db.write(job, invalidate=())
        found = await self.by_step(spec.run_id, spec.step_index)
        assert found is not None
        return found

    def mirror(self, spec: SongSpec, now: float) -> Mirror:
        """A job for `Runner.contribute(mirror=...)`: the lyric event just saved, mirrored into
        song_lines in the same commit (the song is created if need be). A line or pass is
        keyed by its contribution (`c<id>`); an edit, withdrawal or removal changes the line
        keyed by the payload's `line_id`. Idempotent by event key. A line claims its position:
        the job raises PositionTaken when the song has a line there already (its contribution
        is then not kept either)."""

        async def job(conn: Conn, record: ContributionRecord) -> None:
            song_id = await _song_id(conn, spec, now)
            payload = record.payload
            kind = record.kind
            if kind in ("line", "pass"):
                syllables = payload.get("syl")
                position = int(payload.get("pos", 0))
                # The claim: song_lines_one_per_position refuses a second line at a position;
                # looked at first so the refusal is this job's own. (On PostgreSQL a line
                # committed while this job waited fails the INSERT; the writer then runs the
                # job again by itself, and this look finds it.)
                key = f"c{record.id}"
                if kind == "line" and await conn.fetch_one(_LINE_AT, (song_id, position, key)):
                    raise PositionTaken(position, spec.run_id)
                await conn.execute(
                    _INSERT_LINE,
                    (
                        song_id,
                        position,
                        str(payload.get("section", "")),
                        record.author_id,
                        str(payload.get("text", "")),
                        int(syllables) if isinstance(syllables, int) else None,
                        int(kind == "pass"),
                        now,
                        key,
                    ),
                )
            elif kind == "edit":
                syllables = payload.get("syl")
                await conn.execute(
                    _EDIT_LINE,
                    (
                        str(payload["text"]),
                        int(syllables) if isinstance(syllables, int) else None,
                        song_id,
                        f"c{payload['line_id']}",
                    ),
                )
            elif kind in ("withdraw", "remove"):
                removed_by = record.author_id if kind == "remove" else None
                await conn.execute(
                    _REMOVE_LINE, (now, removed_by, song_id, f"c{payload['line_id']}")
                )

        return job

    async def add_timeouts(self, spec: SongSpec, turns: Sequence[TimedOutTurn], now: float) -> None:
        """Record turns that ran out of time as passes, in one write (a repeat is harmless)."""
        if not turns:
            return

        async def job(conn: Conn) -> None:
            song_id = await _song_id(conn, spec, now)
            for turn in turns:
                await conn.execute(
                    _INSERT_LINE,
                    (
                        song_id,
                        turn.position,
                        turn.section,
                        turn.user_id,
                        "",
                        None,
                        1,
                        turn.at,
                        f"t{turn.turn_no}",
                    ),
                )

        await self._db.write(job, invalidate=())

    async def by_step(self, run_id: int, step_index: int) -> SongRecord | None:
        """The song of one write step of a run, None when the step has none yet."""
        return await self._one_where(
            SongRecord, "songs", "run_id = ? AND step_index = ?", (run_id, step_index)
        )

    async def get(self, song_id: int) -> SongRecord | None:
        """The song with this id, None when there is none."""
        return await self._by_id(SongRecord, "songs", song_id)

    async def in_guild(self, guild_id: int, limit: int = 25) -> list[SongRecord]:
        """The server's songs, newest first, at most `limit`."""
        return await self._newest_in_guild(SongRecord, "songs", guild_id, limit)

    async def set_title(self, song_id: int, title: str) -> None:
        """Give the song its title. Raises StorageUnavailable when the write can't be committed."""

        await write_one(
            self._db, "UPDATE songs SET title = ? WHERE id = ?", (title, song_id), invalidate=()
        )

    async def finish(self, song_id: int, now: float) -> None:
        """Mark the song finished at `now` (UTC seconds), once: a later call changes nothing.
        Raises StorageUnavailable when the write can't be committed."""

        await write_one(
            self._db,
            "UPDATE songs SET finished_at = ? WHERE id = ? AND finished_at IS NULL",
            (now, song_id),
            invalidate=(),
        )

    # ----------------------------------------------------------------- lines

    async def lines(self, song_id: int, *, include_removed: bool = False) -> list[SongLineRecord]:
        """The song's rows in order; by default only the lines that are in the song."""
        where = "" if include_removed else " AND removed_at IS NULL AND passed = 0"
        return await self._all_where(
            SongLineRecord, "song_lines", f"song_id = ?{where} ORDER BY position, id", (song_id,)
        )

    # ----------------------------------------------------------------- credit

    async def set_credit_opt_out(self, guild_id: int, user_id: int, opt_out: bool) -> None:
        """Keep whether the member's lines are credited to "the group" instead of their name in
        this server. Raises StorageUnavailable when the write can't be committed."""

        await write_one(
            self._db,
            "INSERT INTO members (guild_id, user_id, credit_opt_out) VALUES (?, ?, ?)"
            " ON CONFLICT (guild_id, user_id) DO UPDATE SET"
            " credit_opt_out = excluded.credit_opt_out",
            (guild_id, user_id, int(opt_out)),
            invalidate=(),  # a member row it creates has no consent yet, as the cache says
        )

    async def opted_out(self, guild_id: int, user_ids: list[int]) -> set[int]:
        """Those of `user_ids` who asked not to be credited by name in this server."""
        if not user_ids:
            return set()
        marks = ",".join("?" * len(user_ids))
        rows = await self._db.fetch_all(
            f"SELECT user_id FROM members WHERE guild_id = ? AND credit_opt_out = 1"
            f" AND user_id IN ({marks})",
            (guild_id, *user_ids),
        )
        return {int(r[0]) for r in rows}

"""A member's data as a whole: consent, export (/mydata), deletion (/forget) and retention.

Deletion is written against every table that can hold a member's id (see PRIVACY.md). JSON
columns (a step's handler state, contribution payloads) are scrubbed generically: any value
equal to the id is taken out wherever it sits, so a new step kind that keeps member ids in its
state is covered without a rule here. tests/cogs/test_privacy_scan.py scans every column of
every table (numbers and text) afterwards, so a table or column added later without a rule
fails that test instead of silently keeping someone's data. The statements themselves are in
`member_data.py`, the JSON scrub in `json_scrub.py`.

Times are UTC timestamps in seconds (Unix time).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.store import cached_reads
from bot.store.database import Conn, Database
from bot.store.json_scrub import scrub_id
from bot.store.member_data import (
    EXPORTS,
    FORGETS,
    GUILD_SONGS,
    JSON_COLUMNS,
    LEADS_ACTIVE_SCHEDULE,
    SESSIONS_HERE,
    SESSIONS_TOUCHED,
)
from bot.store.notify import ChangeFeed

LINE_REMOVE_VALUES = ("remove", "delete")
MARK_SLICE = 500
"""Leave marks set or cleared per statement (well under either engine's parameter limit)."""


@dataclass(frozen=True, slots=True)
class ForgetReport:
    """How many rows were deleted or made anonymous, by table."""

    deleted: dict[str, int]
    anonymised: dict[str, int]

    @property
    def total(self) -> int:
        """How many rows /forget deleted or anonymised, in every table together."""
        return sum(self.deleted.values()) + sum(self.anonymised.values())


def _rows(cursor_rows: list[Any]) -> list[dict[str, Any]]:
    return [dict(row) for row in cursor_rows]


async def _columns(conn: Conn, table: str) -> set[str]:
    return await conn.columns(table)


class LeadsActiveSchedule(Exception):
    """Refused forget: the member leads an active schedule. Its future sessions open in their
    name and mention them, so they cancel it first; an open session does not refuse."""


class NotDeparted(Exception):
    """Refused purge: the member's leave mark went, or is later than the purge's cutoff (they
    came back, or came back and left again, since the purge read the marks)."""


LEFT_BY = (
    "SELECT 1 FROM members WHERE guild_id = ? AND user_id = ? AND left_guild_at IS NOT NULL"
    " AND left_guild_at <= ?"
)
"""The member's leave mark is still there and no later than the cutoff (UTC seconds)."""


class PrivacyRepository:
    def __init__(self, db: Database, changes: ChangeFeed | None = None) -> None:
        self._db = db
        self.changes = changes or ChangeFeed(db)
        """Tells the other processes on the database about consent changes and /forget."""

    # ------------------------------------------------------------------ consent

    async def consent(self, guild_id: int, user_id: int) -> str | None:
        """'agreed', 'declined' or None; cached until the next write transaction."""

        async def load() -> str | None:
            row = await self._db.fetch_one(
                "SELECT consent FROM members WHERE guild_id = ? AND user_id = ?",
                (guild_id, user_id),
            )
            return str(row[0]) if row and row[0] is not None else None

        return await self._db.cached(cached_reads.consent(guild_id, user_id), load)

    async def set_consent(
        self, guild_id: int, user_id: int, consent: str, now: float, display_name: str = ""
    ) -> None:
        """Keep the member's consent (`agreed` or `declined`) and when (UTC seconds), creating
        their member row with `display_name` (at most 100 characters) when there is none; other
        processes drop their cached consent. Raises StorageUnavailable when the write can't be
        committed."""

        async def job(conn: Conn) -> None:
            await conn.execute(
                "INSERT INTO members (guild_id, user_id, display_name, consent, consent_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, user_id) DO UPDATE SET"
                " consent = excluded.consent, consent_at = excluded.consent_at",
                (guild_id, user_id, display_name[:100], consent, now),
            )
            await self.changes.notify_in(conn, "consent", guild_id, user_id)

        await self._db.write(job, invalidate=[cached_reads.consent(guild_id, user_id)])

    # ------------------------------------------------------------------- export

    async def export(self, guild_id: int, user_id: int) -> dict[str, Any]:
        """Everything Chorus holds about one member in one server, as plain JSON-able data."""
        db = self._db
        out: dict[str, Any] = {}
        member = await db.fetch_one(
            "SELECT * FROM members WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        out["member"] = dict(member) if member else None
        contributions = []
        for row in await db.fetch_all(
            "SELECT r.session_id, r.activity_id, c.step_index, c.kind, c.payload, c.created_at,"
            " c.updated_at FROM contributions c JOIN activity_runs r ON r.id = c.run_id"
            " JOIN sessions s ON s.id = r.session_id WHERE s.guild_id = ? AND c.author_id = ?"
            " ORDER BY c.created_at",
            (guild_id, user_id),
        ):
            item = dict(row)
            item["payload"] = json.loads(item["payload"] or "{}")
            contributions.append(item)
        out["contributions"] = contributions
        for key, sql in EXPORTS:
            out[key] = _rows(await db.fetch_all(sql, {"guild": guild_id, "user": user_id}))
        return out

    # ------------------------------------------------------------------- forget

    async def forget(
        self,
        guild_id: int,
        user_id: int,
        now: float,
        *,
        unless_leading_schedule: bool = False,
        left_by: float | None = None,
    ) -> ForgetReport:
        """Delete (or, for shared work, anonymise) everything about a member in one server.

        One write job: it all goes, or nothing does. With `unless_leading_schedule` the job
        first checks (in the same transaction) that they lead no active schedule and raises
        LeadsActiveSchedule if they do. With `left_by` (the purge's cutoff, UTC seconds) it
        first checks that the member's leave mark is still there and no later than that, and
        raises NotDeparted if not. Returns rows per table; raises StorageUnavailable when the
        database can't be written (nothing changed then).
        """
        params = {"guild": guild_id, "user": user_id}

        async def job(conn: Conn) -> ForgetReport:
            # Counted afresh on each run: the writer may run a job twice (see writer.py).
            deleted: dict[str, int] = {}
            anonymised: dict[str, int] = {}
            if unless_leading_schedule and await conn.fetch_val(LEADS_ACTIVE_SCHEDULE, params):
                raise LeadsActiveSchedule
            if left_by is not None and not await conn.fetch_val(
                LEFT_BY, (guild_id, user_id, left_by)
            ):
                raise NotDeparted
            rows = await conn.fetch_all(SESSIONS_TOUCHED.format(here=SESSIONS_HERE), params)
            touched = sorted({int(row[0]) for row in rows})
            for action, table, sql in FORGETS:
                if table == "song_lines":
                    await self._forget_lines(conn, guild_id, user_id, now, deleted, anonymised)
                    continue
                bucket = deleted if action == "delete" else anonymised
                changed = await conn.execute(sql, params)
                bucket[table] = bucket.get(table, 0) + max(0, changed)
            for table, column, select in JSON_COLUMNS:
                scrubbed = await self._scrub_json(conn, table, column, select, touched, user_id)
                if scrubbed:
                    anonymised[f"{table}.{column}"] = scrubbed
            await self.changes.notify_in(conn, "forget", guild_id, user_id)
            return ForgetReport(deleted=deleted, anonymised=anonymised)

        # Forgetting touches nearly every table: every cached read goes.
        return await self._db.write(job, invalidate=None)

    async def _scrub_json(
        self,
        conn: Conn,
        table: str,
        column: str,
        select: str,
        touched: list[int],
        user_id: int,
    ) -> int:
        """Take the id out of one JSON column in these sessions' rows; returns rows changed.

        A LIKE finds candidate rows cheaply (on both engines); only those are parsed, and only
        a row whose JSON really held the id (not a longer number that merely contains its
        digits) is written back.
        """
        if not touched:
            return 0
        names = [f"s{index}" for index in range(len(touched))]
        sql = select.format(sessions=", ".join(f":{name}" for name in names))
        params: dict[str, object] = dict(zip(names, touched, strict=True))
        params["needle"] = f"%{user_id}%"
        changed = 0
        for row_id, text in await conn.fetch_all(sql, params):
            try:
                value = json.loads(text)
            except (TypeError, ValueError):
                continue
            cleaned, hit = scrub_id(value, user_id)
            if hit:
                await conn.execute(
                    f"UPDATE {table} SET {column} = ? WHERE id = ?",
                    (json.dumps(cleaned), row_id),
                )
                changed += 1
        return changed

    async def _forget_lines(
        self,
        conn: Conn,
        guild_id: int,
        user_id: int,
        now: float,
        deleted: dict[str, int],
        anonymised: dict[str, int],
    ) -> None:
        """Lines a member wrote stay in the song as 'anonymous', unless the song says remove."""
        song_columns = await _columns(conn, "songs")
        remove_songs: set[int] = set()
        setting = next(
            (c for c in ("on_forget", "forget_lines", "settings") if c in song_columns), None
        )
        if setting is not None:
            for song_id, value in await conn.fetch_all(
                f"SELECT id, {setting} FROM songs WHERE guild_id = ?", (guild_id,)
            ):
                if _says_remove(value):
                    remove_songs.add(int(song_id))
        if remove_songs:
            marks = ",".join("?" * len(remove_songs))
            changed = await conn.execute(
                f"UPDATE song_lines SET text = '', author_id = NULL,"
                f" removed_at = COALESCE(removed_at, ?)"
                f" WHERE author_id = ? AND song_id IN ({marks})",
                (now, user_id, *sorted(remove_songs)),
            )
            deleted["song_lines"] = max(0, changed)
        changed = await conn.execute(
            f"UPDATE song_lines SET author_id = NULL WHERE author_id = ?"
            f" AND song_id IN ({GUILD_SONGS})",
            (user_id, guild_id),
        )
        anonymised["song_lines"] = max(0, changed)
        changed = await conn.execute(
            f"UPDATE song_lines SET removed_by = NULL WHERE removed_by = ?"
            f" AND song_id IN ({GUILD_SONGS})",
            (user_id, guild_id),
        )
        anonymised["song_lines"] += max(0, changed)

    # ---------------------------------------------------------------- retention

    async def mark_left(self, guild_id: int, user_ids: Sequence[int], now: float) -> int:
        """These members left the server at `now` (UTC seconds): their data goes after the
        grace period. How many were marked (one already marked keeps its time). Raises
        StorageUnavailable when the write can't be committed."""
        return await self._set_leave_marks(guild_id, user_ids, now)

    async def mark_returned(self, guild_id: int, user_ids: Sequence[int]) -> int:
        """These members are in the server again: their leave marks go, so their data stays.
        How many had one. Raises StorageUnavailable when the write can't be committed."""
        return await self._set_leave_marks(guild_id, user_ids, None)

    async def _set_leave_marks(
        self, guild_id: int, user_ids: Sequence[int], now: float | None
    ) -> int:
        """Set the leave mark (`now`, UTC seconds) of those without one, or clear it (None) from
        those with one; how many rows changed."""
        ids = list(user_ids)
        # Only rows that change: a mark keeps its first time, and the count means something.
        unchanged = "IS NULL" if now is not None else "IS NOT NULL"

        async def job(conn: Conn) -> int:
            changed_rows = 0
            # In slices: a reconciliation may mark many, past a statement's parameter limit.
            for start in range(0, len(ids), MARK_SLICE):
                part = ids[start : start + MARK_SLICE]
                marks = ", ".join("?" for _ in part)
                changed = await conn.execute(
                    "UPDATE members SET left_guild_at = ? WHERE guild_id = ?"
                    f" AND user_id IN ({marks}) AND left_guild_at {unchanged}",
                    (now, guild_id, *part),
                )
                changed_rows += max(0, changed)
            return changed_rows

        if not ids:
            return 0
        return await self._db.write(job, invalidate=())  # no cached read holds left_guild_at

    async def not_left(self, guild_id: int) -> list[int]:
        """The members this server's records hold as still in it (no leave mark), by id."""
        return await self._by_leave_mark(guild_id, "IS NULL")

    async def left(self, guild_id: int) -> list[int]:
        """The members this server's records hold as gone from it (a leave mark), by id."""
        return await self._by_leave_mark(guild_id, "IS NOT NULL")

    async def _by_leave_mark(self, guild_id: int, test: str) -> list[int]:
        """This server's members whose `left_guild_at` passes `test` (an SQL IS test), by id."""
        rows = await self._db.fetch_all(
            f"SELECT user_id FROM members WHERE guild_id = ? AND left_guild_at {test}"
            " ORDER BY user_id",
            (guild_id,),
        )
        return [int(row[0]) for row in rows]

    async def departed_before(
        self, cutoff: float, guild_cutoffs: Mapping[int, float] | None = None
    ) -> list[tuple[int, int]]:
        """(guild, member) pairs who left before the cutoff (UTC seconds), oldest first.

        ``guild_cutoffs`` gives servers with their own leave grace their own cutoff.
        """
        own = dict(guild_cutoffs or {})
        rows = await self._db.fetch_all(
            "SELECT guild_id, user_id, left_guild_at FROM members"
            " WHERE left_guild_at IS NOT NULL AND left_guild_at <= ? ORDER BY left_guild_at",
            (max([cutoff, *own.values()]),),
        )
        return [(int(r[0]), int(r[1])) for r in rows if float(r[2]) <= own.get(int(r[0]), cutoff)]

    async def purge_checkins_before(
        self, cutoff: float, guild_cutoffs: Mapping[int, float] | None = None
    ) -> int:
        """Delete check-ins older than the cutoff (UTC seconds); how many.

        ``guild_cutoffs`` gives servers with their own retention their own cutoff.
        """
        own = dict(guild_cutoffs or {})

        async def job(conn: Conn) -> int:
            marks = ", ".join("?" for _ in own)
            others = f" AND guild_id NOT IN ({marks})" if own else ""
            changed = await conn.execute(
                f"DELETE FROM checkins WHERE created_at < ?{others}", (cutoff, *own)
            )
            deleted = max(0, changed)
            for guild_id, guild_cutoff in sorted(own.items()):
                changed = await conn.execute(
                    "DELETE FROM checkins WHERE guild_id = ? AND created_at < ?",
                    (guild_id, guild_cutoff),
                )
                deleted += max(0, changed)
            return deleted

        # No cached read holds check-ins.
        return await self._db.write(job, invalidate=())


def _says_remove(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, int | float):
        return bool(value)
    text = str(value).strip()
    if text.lower() in LINE_REMOVE_VALUES:
        return True
    try:
        parsed = json.loads(text)
    except ValueError:
        return False
    if isinstance(parsed, dict):
        choice = parsed.get("on_forget", parsed.get("forget_lines"))
        return isinstance(choice, str) and choice.lower() in LINE_REMOVE_VALUES
    return False

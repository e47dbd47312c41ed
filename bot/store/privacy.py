"""A member's data as a whole: consent, export (/mydata), deletion (/forget) and retention.

Deletion is written against every table that can hold a member's id (see PRIVACY.md); a test
scans every INTEGER column of every table afterwards, so a table added later without a rule
here fails that test instead of silently keeping someone's data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aiosqlite

from bot.store.database import Database

LINE_REMOVE_VALUES = ("remove", "delete")


@dataclass(frozen=True, slots=True)
class ForgetReport:
    """How many rows were deleted or made anonymous, by table."""

    deleted: dict[str, int]
    anonymised: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.deleted.values()) + sum(self.anonymised.values())


def _rows(cursor_rows: list[Any]) -> list[dict[str, Any]]:
    return [dict(row) for row in cursor_rows]


async def _columns(conn: aiosqlite.Connection, table: str) -> set[str]:
    async with conn.execute(f"PRAGMA table_info({table})") as cursor:
        return {str(r[1]) for r in await cursor.fetchall()}


async def _tables(conn: aiosqlite.Connection) -> set[str]:
    async with conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cursor:
        return {str(r[0]) for r in await cursor.fetchall()}


_GUILD_SESSIONS = "SELECT id FROM sessions WHERE guild_id = ?"
_GUILD_RUNS = (
    "SELECT r.id FROM activity_runs r JOIN sessions s ON s.id = r.session_id WHERE s.guild_id = ?"
)
_GUILD_SONGS = "SELECT id FROM songs WHERE guild_id = ?"


class PrivacyRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # ------------------------------------------------------------------ consent

    async def consent(self, guild_id: int, user_id: int) -> str | None:
        """'agreed', 'declined' or None; cached until the next write transaction."""

        async def load() -> str | None:
            row = await self._db.fetch_one(
                "SELECT consent FROM members WHERE guild_id = ? AND user_id = ?",
                (guild_id, user_id),
            )
            return str(row[0]) if row and row[0] is not None else None

        return await self._db.cached(("consent", guild_id, user_id), load)

    async def set_consent(
        self, guild_id: int, user_id: int, consent: str, now: float, display_name: str = ""
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO members (guild_id, user_id, display_name, consent, consent_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, user_id) DO UPDATE SET"
                " consent = excluded.consent, consent_at = excluded.consent_at",
                (guild_id, user_id, display_name[:100], consent, now),
            )

    async def support_text(self, guild_id: int) -> str | None:
        """The server's own support text, if it set one."""
        row = await self._db.fetch_one("SELECT support_text FROM guilds WHERE id = ?", (guild_id,))
        return str(row[0]) if row and row[0] else None

    # ------------------------------------------------------------------- export

    async def export(self, guild_id: int, user_id: int) -> dict[str, Any]:
        """Everything Chorus holds about one member in one server, as plain JSON-able data."""
        db = self._db
        tables = await _tables(db.conn)
        out: dict[str, Any] = {}
        member = await db.fetch_one(
            "SELECT * FROM members WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        out["member"] = dict(member) if member else None
        out["checkins"] = _rows(
            await db.fetch_all(
                "SELECT c.id, c.session_id, s.title AS session_title, c.scale, c.phase,"
                " c.measure, c.value, c.value2, c.passed, c.note, c.shared, c.created_at"
                " FROM checkins c LEFT JOIN sessions s ON s.id = c.session_id"
                " WHERE c.guild_id = ? AND c.user_id = ? ORDER BY c.created_at",
                (guild_id, user_id),
            )
        )
        out["attendance"] = _rows(
            await db.fetch_all(
                "SELECT a.session_id, s.title AS session_title, a.joined_at, a.left_at"
                " FROM attendance a JOIN sessions s ON s.id = a.session_id"
                " WHERE s.guild_id = ? AND a.user_id = ? ORDER BY a.joined_at",
                (guild_id, user_id),
            )
        )
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
        if "song_lines" in tables:
            out["song_lines"] = _rows(
                await db.fetch_all(
                    "SELECT l.song_id, s.title AS song_title, l.section, l.position, l.text,"
                    " l.created_at, l.removed_at FROM song_lines l JOIN songs s ON s.id = l.song_id"
                    " WHERE s.guild_id = ? AND l.author_id = ? ORDER BY l.created_at",
                    (guild_id, user_id),
                )
            )
        if "nominations" in tables:
            out["nominations"] = _rows(
                await db.fetch_all(
                    "SELECT n.session_id, n.title, n.artist, n.url, n.note, n.created_at,"
                    " n.removed_at FROM nominations n JOIN sessions s ON s.id = n.session_id"
                    " WHERE s.guild_id = ? AND n.user_id = ? ORDER BY n.created_at",
                    (guild_id, user_id),
                )
            )
        if "tracks" in tables:
            out["tracks_uploaded"] = _rows(
                await db.fetch_all(
                    "SELECT id, title, artist, created_at FROM tracks"
                    " WHERE guild_id = ? AND uploaded_by = ? ORDER BY created_at",
                    (guild_id, user_id),
                )
            )
        if "reminder_optins" in tables:
            out["reminder_optins"] = _rows(
                await db.fetch_all(
                    "SELECT minutes_before, updated_at FROM reminder_optins"
                    " WHERE guild_id = ? AND user_id = ?",
                    (guild_id, user_id),
                )
            )
        if "sent_reminders" in tables:
            out["reminders_sent"] = _rows(
                await db.fetch_all(
                    "SELECT r.occurrence_id, r.via, r.sent_at FROM sent_reminders r"
                    " JOIN schedule_occurrences o ON o.id = r.occurrence_id"
                    " WHERE o.guild_id = ? AND r.user_id = ? ORDER BY r.sent_at",
                    (guild_id, user_id),
                )
            )
        if "schedule_series" in tables:
            out["schedules_facilitated"] = _rows(
                await db.fetch_all(
                    "SELECT id, title, repeat, active, created_at FROM schedule_series"
                    " WHERE guild_id = ? AND facilitator_id = ? ORDER BY created_at",
                    (guild_id, user_id),
                )
            )
        if "goals" in tables:
            out["goals"] = _rows(
                await db.fetch_all(
                    "SELECT id, text, status, created_at, closed_at FROM goals"
                    " WHERE guild_id = ? AND user_id = ? ORDER BY id",
                    (guild_id, user_id),
                )
            )
            out["goal_ratings"] = _rows(
                await db.fetch_all(
                    "SELECT r.goal_id, g.text AS goal_text, r.session_id,"
                    " s.title AS session_title, r.value, r.created_at FROM goal_ratings r"
                    " JOIN goals g ON g.id = r.goal_id LEFT JOIN sessions s ON s.id = r.session_id"
                    " WHERE g.guild_id = ? AND g.user_id = ? ORDER BY r.created_at",
                    (guild_id, user_id),
                )
            )
        out["sessions_facilitated"] = _rows(
            await db.fetch_all(
                "SELECT id, title, started_at, ended_at FROM sessions"
                " WHERE guild_id = ? AND facilitator_id = ? ORDER BY started_at",
                (guild_id, user_id),
            )
        )
        return out

    # ------------------------------------------------------------------- forget

    async def facilitates_open_session(self, guild_id: int, user_id: int) -> bool:
        """True while they run an open session or an active schedule (others rely on those)."""
        row = await self._db.fetch_one(
            "SELECT 1 FROM sessions WHERE guild_id = ? AND facilitator_id = ? AND status = 'open'",
            (guild_id, user_id),
        )
        if row is not None:
            return True
        if "schedule_series" not in await _tables(self._db.conn):
            return False
        row = await self._db.fetch_one(
            "SELECT 1 FROM schedule_series WHERE guild_id = ? AND facilitator_id = ? AND active = 1",
            (guild_id, user_id),
        )
        return row is not None

    async def forget(self, guild_id: int, user_id: int, now: float) -> ForgetReport:
        """Delete (or, for shared work, anonymise) everything about a member in one server.

        One transaction: it all goes, or nothing does.
        """
        deleted: dict[str, int] = {}
        anonymised: dict[str, int] = {}
        async with self._db.transaction() as conn:
            tables = await _tables(conn)

            async def run(bucket: dict[str, int], table: str, sql: str, *params: Any) -> None:
                cursor = await conn.execute(sql, params)
                bucket[table] = bucket.get(table, 0) + max(0, cursor.rowcount)

            await run(
                deleted,
                "checkins",
                "DELETE FROM checkins WHERE guild_id = ? AND user_id = ?",
                guild_id,
                user_id,
            )
            await run(
                deleted,
                "attendance",
                f"DELETE FROM attendance WHERE user_id = ? AND session_id IN ({_GUILD_SESSIONS})",
                user_id,
                guild_id,
            )
            await run(
                deleted,
                "contributions",
                f"DELETE FROM contributions WHERE author_id = ? AND run_id IN ({_GUILD_RUNS})",
                user_id,
                guild_id,
            )
            if "goals" in tables:
                await run(
                    deleted,
                    "goal_ratings",
                    "DELETE FROM goal_ratings WHERE goal_id IN"
                    " (SELECT id FROM goals WHERE guild_id = ? AND user_id = ?)",
                    guild_id,
                    user_id,
                )
                await run(
                    deleted,
                    "goals",
                    "DELETE FROM goals WHERE guild_id = ? AND user_id = ?",
                    guild_id,
                    user_id,
                )
            if "song_lines" in tables:
                await self._forget_lines(conn, guild_id, user_id, now, deleted, anonymised)
            if "nominations" in tables:
                await run(
                    deleted,
                    "nominations",
                    f"DELETE FROM nominations WHERE user_id = ? AND session_id IN ({_GUILD_SESSIONS})",
                    user_id,
                    guild_id,
                )
            if "tracks" in tables:
                await run(
                    anonymised,
                    "tracks",
                    "UPDATE tracks SET uploaded_by = NULL WHERE guild_id = ? AND uploaded_by = ?",
                    guild_id,
                    user_id,
                )
            await run(
                anonymised,
                "sessions",
                "UPDATE sessions SET facilitator_id = 0 WHERE guild_id = ? AND facilitator_id = ?"
                " AND status = 'ended'",
                guild_id,
                user_id,
            )
            if "reminder_optins" in tables:
                await run(
                    deleted,
                    "reminder_optins",
                    "DELETE FROM reminder_optins WHERE guild_id = ? AND user_id = ?",
                    guild_id,
                    user_id,
                )
            if "sent_reminders" in tables:
                await run(
                    deleted,
                    "sent_reminders",
                    "DELETE FROM sent_reminders WHERE user_id = ? AND occurrence_id IN"
                    " (SELECT id FROM schedule_occurrences WHERE guild_id = ?)",
                    user_id,
                    guild_id,
                )
            if "schedule_series" in tables:
                await run(
                    anonymised,
                    "schedule_series",
                    "UPDATE schedule_series SET facilitator_id = 0 WHERE guild_id = ?"
                    " AND facilitator_id = ? AND active = 0",
                    guild_id,
                    user_id,
                )
            await run(
                deleted,
                "members",
                "DELETE FROM members WHERE guild_id = ? AND user_id = ?",
                guild_id,
                user_id,
            )
        return ForgetReport(deleted=deleted, anonymised=anonymised)

    async def _forget_lines(
        self,
        conn: aiosqlite.Connection,
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
            async with conn.execute(
                f"SELECT id, {setting} FROM songs WHERE guild_id = ?", (guild_id,)
            ) as cursor:
                for song_id, value in await cursor.fetchall():
                    if _says_remove(value):
                        remove_songs.add(int(song_id))
        if remove_songs:
            marks = ",".join("?" * len(remove_songs))
            cursor = await conn.execute(
                f"UPDATE song_lines SET text = '', author_id = NULL,"
                f" removed_at = COALESCE(removed_at, ?)"
                f" WHERE author_id = ? AND song_id IN ({marks})",
                (now, user_id, *sorted(remove_songs)),
            )
            deleted["song_lines"] = max(0, cursor.rowcount)
        cursor = await conn.execute(
            f"UPDATE song_lines SET author_id = NULL WHERE author_id = ?"
            f" AND song_id IN ({_GUILD_SONGS})",
            (user_id, guild_id),
        )
        anonymised["song_lines"] = max(0, cursor.rowcount)
        cursor = await conn.execute(
            f"UPDATE song_lines SET removed_by = NULL WHERE removed_by = ?"
            f" AND song_id IN ({_GUILD_SONGS})",
            (user_id, guild_id),
        )
        anonymised["song_lines"] += max(0, cursor.rowcount)

    # ---------------------------------------------------------------- retention

    async def mark_left(self, guild_id: int, user_id: int, now: float) -> bool:
        """The member left the server: their data goes after the grace period."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE members SET left_guild_at = ? WHERE guild_id = ? AND user_id = ?"
                " AND left_guild_at IS NULL",
                (now, guild_id, user_id),
            )
            return cursor.rowcount == 1

    async def departed_before(self, cutoff: float) -> list[tuple[int, int]]:
        rows = await self._db.fetch_all(
            "SELECT guild_id, user_id FROM members WHERE left_guild_at IS NOT NULL"
            " AND left_guild_at <= ? ORDER BY left_guild_at",
            (cutoff,),
        )
        return [(int(r[0]), int(r[1])) for r in rows]

    async def purge_checkins_before(self, cutoff: float) -> int:
        async with self._db.transaction() as conn:
            cursor = await conn.execute("DELETE FROM checkins WHERE created_at < ?", (cutoff,))
            return max(0, cursor.rowcount)


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

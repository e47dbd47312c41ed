"""A member's data as a whole: consent, export (/mydata), deletion (/forget) and retention.

Deletion is written against every table that can hold a member's id (see PRIVACY.md). JSON
columns (a step's handler state, contribution payloads) are scrubbed generically: any value
equal to the id is taken out wherever it sits, so a new step kind that keeps member ids in its
state is covered without a rule here. tests/cogs/test_privacy_scan.py scans every column of
every table (numbers and text) afterwards, so a table or column added later without a rule
fails that test instead of silently keeping someone's data.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.store.database import Conn, Database
from bot.store.notify import ChangeFeed
from bot.store.records import NO_FACILITATOR

LINE_REMOVE_VALUES = ("remove", "delete")


LYRIC_EVENTS = ("line", "edit", "withdraw", "remove")
"""Contribution kinds that make a song: kept without their author, so the group's song (folded
from these events) keeps every line; every other contribution of the member is deleted."""

# Sessions whose step state or payloads can hold the member's id: a handler learns ids only
# from who is present (attendance), who contributed and who facilitates, so only sessions
# they were in, contributed to or led are scanned (scanning every session of a large server
# would make /forget slow). Read before anything is deleted.
_SESSIONS_TOUCHED = (
    "SELECT session_id FROM attendance WHERE user_id = :user AND session_id IN ({here})"
    " UNION SELECT r.session_id FROM contributions c JOIN activity_runs r ON r.id = c.run_id"
    " WHERE c.author_id = :user AND r.session_id IN ({here})"
    " UNION SELECT id FROM sessions WHERE guild_id = :guild AND facilitator_id = :user"
)

# JSON columns that may hold member ids inside, scrubbed by walking the JSON (see scrub_id).
_JSON_COLUMNS: tuple[tuple[str, str, str], ...] = (
    (
        "activity_runs",
        "step_state",
        "SELECT id, step_state FROM activity_runs WHERE session_id IN ({sessions})"
        " AND step_state LIKE :needle",
    ),
    (
        "contributions",
        "payload",
        "SELECT id, payload FROM contributions WHERE run_id IN"
        " (SELECT id FROM activity_runs WHERE session_id IN ({sessions}))"
        " AND payload LIKE :needle",
    ),
)


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


async def _columns(conn: Conn, table: str) -> set[str]:
    return await conn.columns(table)


_GUILD_SONGS = "SELECT id FROM songs WHERE guild_id = ?"


# What /mydata exports beyond the member row and contributions, by key. Named parameters
# :guild and :user; every query keeps to the one server.
_EXPORTS: tuple[tuple[str, str], ...] = (
    (
        "checkins",
        "SELECT c.id, c.session_id, s.title AS session_title, c.scale, c.phase,"
        " c.measure, c.value, c.value2, c.passed, c.note, c.shared, c.created_at"
        " FROM checkins c LEFT JOIN sessions s ON s.id = c.session_id"
        " WHERE c.guild_id = :guild AND c.user_id = :user ORDER BY c.created_at",
    ),
    (
        "attendance",
        "SELECT a.session_id, s.title AS session_title, a.joined_at, a.left_at"
        " FROM attendance a JOIN sessions s ON s.id = a.session_id"
        " WHERE s.guild_id = :guild AND a.user_id = :user ORDER BY a.joined_at",
    ),
    (
        "waitlist",
        "SELECT w.session_id, s.title AS session_title, w.state, w.since"
        " FROM session_waitlist w JOIN sessions s ON s.id = w.session_id"
        " WHERE s.guild_id = :guild AND w.user_id = :user ORDER BY w.since",
    ),
    (
        "song_lines",
        "SELECT l.song_id, s.title AS song_title, l.section, l.position, l.text,"
        " l.created_at, l.removed_at FROM song_lines l JOIN songs s ON s.id = l.song_id"
        " WHERE s.guild_id = :guild AND l.author_id = :user ORDER BY l.created_at",
    ),
    (
        "nominations",
        "SELECT n.session_id, n.title, n.artist, n.url, n.note, n.created_at,"
        " n.removed_at FROM nominations n JOIN sessions s ON s.id = n.session_id"
        " WHERE s.guild_id = :guild AND n.user_id = :user ORDER BY n.created_at",
    ),
    (
        "tracks_uploaded",
        "SELECT id, title, artist, created_at FROM tracks"
        " WHERE guild_id = :guild AND uploaded_by = :user ORDER BY created_at",
    ),
    (
        "reminder_optins",
        "SELECT minutes_before, updated_at FROM reminder_optins"
        " WHERE guild_id = :guild AND user_id = :user",
    ),
    (
        "reminders_sent",
        "SELECT r.occurrence_id, r.via, r.sent_at FROM sent_reminders r"
        " JOIN schedule_occurrences o ON o.id = r.occurrence_id"
        " WHERE o.guild_id = :guild AND r.user_id = :user ORDER BY r.sent_at",
    ),
    (
        "schedules_facilitated",
        "SELECT id, title, repeat, active, created_at FROM schedule_series"
        " WHERE guild_id = :guild AND facilitator_id = :user ORDER BY created_at",
    ),
    (
        "goals",
        "SELECT id, text, status, created_at, closed_at FROM goals"
        " WHERE guild_id = :guild AND user_id = :user ORDER BY id",
    ),
    (
        "goal_ratings",
        "SELECT r.goal_id, g.text AS goal_text, r.session_id,"
        " s.title AS session_title, r.value, r.created_at FROM goal_ratings r"
        " JOIN goals g ON g.id = r.goal_id LEFT JOIN sessions s ON s.id = r.session_id"
        " WHERE g.guild_id = :guild AND g.user_id = :user ORDER BY r.created_at",
    ),
    (
        "sessions_facilitated",
        "SELECT id, title, started_at, ended_at FROM sessions"
        " WHERE guild_id = :guild AND facilitator_id = :user ORDER BY started_at",
    ),
    (
        "activities_uploaded",
        "SELECT activity_id, version, uploaded_at, deleted_at FROM guild_activities"
        " WHERE guild_id = :guild AND uploaded_by = :user ORDER BY uploaded_at, id",
    ),
    (
        "settings_changed",
        "SELECT key, old_value, new_value, changed_at FROM guild_setting_changes"
        " WHERE guild_id = :guild AND changed_by = :user ORDER BY changed_at, id",
    ),
    (
        "checkin_schedule",
        "SELECT days, minute, timezone, scale, paused_until, next_send_at, snoozed_until,"
        " last_sent_on, created_at, updated_at FROM checkin_schedules"
        " WHERE guild_id = :guild AND user_id = :user",
    ),
    (
        "checkin_notice",
        "SELECT low_answers, within_days, created_at FROM checkin_notice_optins"
        " WHERE guild_id = :guild AND user_id = :user",
    ),
    (
        "checkin_tags",
        "SELECT checkin_id, tag, created_at FROM checkin_tags"
        " WHERE guild_id = :guild AND user_id = :user ORDER BY checkin_id, tag",
    ),
    (
        "anonymous_answers_under_review",
        "SELECT contribution_id, run_id, step_index, created_at FROM review_authors"
        " WHERE guild_id = :guild AND user_id = :user ORDER BY created_at, contribution_id",
    ),
)

_SESSIONS_HERE = "SELECT id FROM sessions WHERE guild_id = :guild"

# What /forget does, in order, in one transaction: delete the member's own data, keep shared
# work without their id. song_lines follows the song's own setting (see _forget_lines).
_FORGETS: tuple[tuple[str, str, str], ...] = (
    (
        "delete",
        "checkin_tags",
        "DELETE FROM checkin_tags WHERE guild_id = :guild AND user_id = :user",
    ),
    ("delete", "checkins", "DELETE FROM checkins WHERE guild_id = :guild AND user_id = :user"),
    (
        "delete",
        "review_authors",
        "DELETE FROM review_authors WHERE guild_id = :guild AND user_id = :user",
    ),
    (
        "delete",
        "attendance",
        f"DELETE FROM attendance WHERE user_id = :user AND session_id IN ({_SESSIONS_HERE})",
    ),
    (
        "delete",
        "session_waitlist",
        f"DELETE FROM session_waitlist WHERE user_id = :user AND session_id IN ({_SESSIONS_HERE})",
    ),
    (
        "anonymise",
        "contributions",
        "UPDATE contributions SET author_id = NULL WHERE author_id = :user"
        f" AND kind IN ({', '.join(repr(k) for k in LYRIC_EVENTS)}) AND run_id IN"
        f" (SELECT id FROM activity_runs WHERE session_id IN ({_SESSIONS_HERE}))",
    ),
    (
        "delete",
        "contributions",
        "DELETE FROM contributions WHERE author_id = :user AND run_id IN"
        f" (SELECT id FROM activity_runs WHERE session_id IN ({_SESSIONS_HERE}))",
    ),
    (
        "delete",
        "goal_ratings",
        "DELETE FROM goal_ratings WHERE goal_id IN"
        " (SELECT id FROM goals WHERE guild_id = :guild AND user_id = :user)",
    ),
    ("delete", "goals", "DELETE FROM goals WHERE guild_id = :guild AND user_id = :user"),
    ("lines", "song_lines", ""),
    (
        "delete",
        "nominations",
        f"DELETE FROM nominations WHERE user_id = :user AND session_id IN ({_SESSIONS_HERE})",
    ),
    (
        "anonymise",
        "tracks",
        "UPDATE tracks SET uploaded_by = NULL WHERE guild_id = :guild AND uploaded_by = :user",
    ),
    (
        # Open sessions too: the session carries on, led by anyone with the facilitator role,
        # and nobody is contacted on the forgotten facilitator's behalf (NO_FACILITATOR).
        "anonymise",
        "sessions",
        f"UPDATE sessions SET facilitator_id = {NO_FACILITATOR} WHERE guild_id = :guild"
        " AND facilitator_id = :user",
    ),
    (
        "delete",
        "reminder_optins",
        "DELETE FROM reminder_optins WHERE guild_id = :guild AND user_id = :user",
    ),
    (
        "delete",
        "sent_reminders",
        "DELETE FROM sent_reminders WHERE user_id = :user AND occurrence_id IN"
        " (SELECT id FROM schedule_occurrences WHERE guild_id = :guild)",
    ),
    (
        "anonymise",
        "schedule_series",
        # Active ones too: /forget refuses a facilitator with an active schedule, so only the
        # purge of someone who left the server reaches those; the series opens with nobody named.
        f"UPDATE schedule_series SET facilitator_id = {NO_FACILITATOR} WHERE guild_id = :guild"
        " AND facilitator_id = :user",
    ),
    (
        "anonymise",
        "guild_activities",
        "UPDATE guild_activities SET uploaded_by = NULL"
        " WHERE guild_id = :guild AND uploaded_by = :user",
    ),
    (
        "anonymise",
        "guild_setting_changes",
        "UPDATE guild_setting_changes SET changed_by = NULL"
        " WHERE guild_id = :guild AND changed_by = :user",
    ),
    (
        "delete",
        "checkin_schedules",
        "DELETE FROM checkin_schedules WHERE guild_id = :guild AND user_id = :user",
    ),
    (
        "delete",
        "checkin_notice_optins",
        "DELETE FROM checkin_notice_optins WHERE guild_id = :guild AND user_id = :user",
    ),
    ("delete", "members", "DELETE FROM members WHERE guild_id = :guild AND user_id = :user"),
)


_LEADS_ACTIVE_SCHEDULE = (
    "SELECT 1 FROM schedule_series WHERE guild_id = :guild AND facilitator_id = :user"
    " AND active = 1"
)


class LeadsActiveSchedule(Exception):
    """Refused forget: the member leads an active schedule. Its future sessions open in their
    name and mention them, so they cancel it first; an open session does not refuse."""


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

        return await self._db.cached(("consent", guild_id, user_id), load)

    async def set_consent(
        self, guild_id: int, user_id: int, consent: str, now: float, display_name: str = ""
    ) -> None:

        async def job(conn: Conn) -> None:
            await conn.execute(
                "INSERT INTO members (guild_id, user_id, display_name, consent, consent_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, user_id) DO UPDATE SET"
                " consent = excluded.consent, consent_at = excluded.consent_at",
                (guild_id, user_id, display_name[:100], consent, now),
            )

        await self._db.write(job, invalidate=[("consent", guild_id, user_id)])
        await self.changes.publish("consent", guild_id, user_id)

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
        for key, sql in _EXPORTS:
            out[key] = _rows(await db.fetch_all(sql, {"guild": guild_id, "user": user_id}))
        return out

    # ------------------------------------------------------------------- forget

    async def forget(
        self, guild_id: int, user_id: int, now: float, *, unless_leading_schedule: bool = False
    ) -> ForgetReport:
        """Delete (or, for shared work, anonymise) everything about a member in one server.

        One write job: it all goes, or nothing does. With `unless_leading_schedule` the job
        first checks (in the same transaction) that they lead no active schedule and raises
        LeadsActiveSchedule if they do. Returns rows per table; raises StorageUnavailable when
        the database can't be written (nothing changed then).
        """
        params = {"guild": guild_id, "user": user_id}

        async def job(conn: Conn) -> ForgetReport:
            # Counted afresh on each run: the writer may run a job twice (see writer.py).
            deleted: dict[str, int] = {}
            anonymised: dict[str, int] = {}
            if unless_leading_schedule and await conn.fetch_val(_LEADS_ACTIVE_SCHEDULE, params):
                raise LeadsActiveSchedule
            rows = await conn.fetch_all(_SESSIONS_TOUCHED.format(here=_SESSIONS_HERE), params)
            touched = sorted({int(row[0]) for row in rows})
            for action, table, sql in _FORGETS:
                if table == "song_lines":
                    await self._forget_lines(conn, guild_id, user_id, now, deleted, anonymised)
                    continue
                bucket = deleted if action == "delete" else anonymised
                changed = await conn.execute(sql, params)
                bucket[table] = bucket.get(table, 0) + max(0, changed)
            for table, column, select in _JSON_COLUMNS:
                scrubbed = await self._scrub_json(conn, table, column, select, touched, user_id)
                if scrubbed:
                    anonymised[f"{table}.{column}"] = scrubbed
            return ForgetReport(deleted=deleted, anonymised=anonymised)

        # Forgetting touches nearly every table: every cached read goes.
        report = await self._db.write(job, invalidate=None)
        await self.changes.publish("forget", guild_id, user_id)
        return report

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
            f" AND song_id IN ({_GUILD_SONGS})",
            (user_id, guild_id),
        )
        anonymised["song_lines"] = max(0, changed)
        changed = await conn.execute(
            f"UPDATE song_lines SET removed_by = NULL WHERE removed_by = ?"
            f" AND song_id IN ({_GUILD_SONGS})",
            (user_id, guild_id),
        )
        anonymised["song_lines"] += max(0, changed)

    # ---------------------------------------------------------------- retention

    async def mark_left(self, guild_id: int, user_id: int, now: float) -> bool:
        """The member left the server: their data goes after the grace period."""

        async def job(conn: Conn) -> bool:
            changed = await conn.execute(
                "UPDATE members SET left_guild_at = ? WHERE guild_id = ? AND user_id = ?"
                " AND left_guild_at IS NULL",
                (now, guild_id, user_id),
            )
            return changed == 1

        # No cached read holds left_guild_at.
        return await self._db.write(job, invalidate=())

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


def scrub_id(value: Any, user_id: int) -> tuple[Any, bool]:
    """`value` (parsed JSON) without `user_id` anywhere in it, and whether it was there.

    A list loses the id (a turn order simply skips them); a map keyed by the id loses the key;
    any other place where the id stood (a writer, an author, a turn) becomes null, which
    every reader treats as "nobody" or "a member". The id counts as a number or as its
    digits in a string (JSON keys are strings).
    """

    def matches(item: Any) -> bool:
        if isinstance(item, bool):
            return False
        if isinstance(item, int):
            return item == user_id
        if isinstance(item, float):
            return item == float(user_id)
        return isinstance(item, str) and item.strip() == str(user_id)

    def walk(item: Any) -> tuple[Any, bool]:
        if isinstance(item, dict):
            out: dict[str, Any] = {}
            hit = False
            for key, inner in item.items():
                if matches(key):
                    hit = True
                    continue
                if matches(inner):
                    out[key] = None
                    hit = True
                    continue
                out[key], inner_hit = walk(inner)
                hit = hit or inner_hit
            return out, hit
        if isinstance(item, list):
            kept: list[Any] = []
            hit = False
            for inner in item:
                if matches(inner):
                    hit = True
                    continue
                cleaned, inner_hit = walk(inner)
                kept.append(cleaned)
                hit = hit or inner_hit
            return kept, hit
        return item, False

    return walk(value)

"""Where a member's data lives, as SQL: what /mydata exports and what /forget deletes or
anonymises in one server (see PRIVACY.md). `PrivacyRepository` (`privacy.py`) runs these.

Named parameters :guild and :user; every statement keeps to the one server.
"""

from __future__ import annotations

from bot.records.sessions import NO_FACILITATOR

LYRIC_EVENTS = ("line", "edit", "withdraw", "remove")
"""Contribution kinds that make a song: kept without their author, so the group's song (folded
from these events) keeps every line; every other contribution of the member is deleted."""

# Sessions whose step state or payloads can hold the member's id: a handler learns ids only
# from who is present (attendance), who contributed and who facilitates, so only sessions
# they were in, contributed to or led are scanned (scanning every session of a large server
# would make /forget slow). Read before anything is deleted.
SESSIONS_TOUCHED = (
    "SELECT session_id FROM attendance WHERE user_id = :user AND session_id IN ({here})"
    " UNION SELECT r.session_id FROM contributions c JOIN activity_runs r ON r.id = c.run_id"
    " WHERE c.author_id = :user AND r.session_id IN ({here})"
    " UNION SELECT id FROM sessions WHERE guild_id = :guild AND facilitator_id = :user"
)

# JSON columns that may hold member ids inside, scrubbed by walking the JSON (see scrub_id).
JSON_COLUMNS: tuple[tuple[str, str, str], ...] = (
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


GUILD_SONGS = "SELECT id FROM songs WHERE guild_id = ?"


# What /mydata exports beyond the member row and contributions, by key. Named parameters
# :guild and :user; every query keeps to the one server.
EXPORTS: tuple[tuple[str, str], ...] = (
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
        "SELECT minutes_before, language, updated_at FROM reminder_optins"
        " WHERE guild_id = :guild AND user_id = :user",
    ),
    (
        "series_reminders",
        "SELECT r.series_id, s.title AS series_title, r.minutes_before, r.language, r.updated_at"
        " FROM series_reminders r JOIN schedule_series s ON s.id = r.series_id"
        " WHERE r.guild_id = :guild AND r.user_id = :user ORDER BY r.series_id",
    ),
    (
        "series_reminder_offers",
        "SELECT o.series_id, s.title AS series_title, o.offered_at"
        " FROM series_reminder_offers o JOIN schedule_series s ON s.id = o.series_id"
        " WHERE o.guild_id = :guild AND o.user_id = :user ORDER BY o.series_id",
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
        "SELECT days, minute, timezone, scale, language, paused_until, next_send_at, snoozed_until,"
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
        "sessions_waiting_to_be_confirmed",
        "SELECT channel_id, voice_channel_id, payload, created_at FROM schedule_drafts"
        " WHERE guild_id = :guild AND facilitator_id = :user ORDER BY created_at, id",
    ),
    (
        "facilitator_told",
        "SELECT t.session_id, s.title AS session_title, t.told_at"
        " FROM facilitator_tells t JOIN sessions s ON s.id = t.session_id"
        " WHERE t.guild_id = :guild AND t.user_id = :user AND t.told_at IS NOT NULL"
        " ORDER BY t.told_at",
    ),
    (
        "consent_asked",
        "SELECT r.session_id, s.title AS session_title, a.step_index, a.asked_at"
        " FROM consent_asks a JOIN activity_runs r ON r.id = a.run_id"
        " JOIN sessions s ON s.id = r.session_id"
        " WHERE a.guild_id = :guild AND a.user_id = :user ORDER BY a.asked_at, a.run_id",
    ),
    (
        "anonymous_answers_under_review",
        "SELECT contribution_id, run_id, step_index, created_at FROM review_authors"
        " WHERE guild_id = :guild AND user_id = :user ORDER BY created_at, contribution_id",
    ),
)

SESSIONS_HERE = "SELECT id FROM sessions WHERE guild_id = :guild"

# What /forget does, in order, in one transaction: delete the member's own data, keep shared
# work without their id. song_lines follows the song's own setting (see _forget_lines).
FORGETS: tuple[tuple[str, str, str], ...] = (
    (
        "delete",
        "checkin_tags",
        "DELETE FROM checkin_tags WHERE guild_id = :guild AND user_id = :user",
    ),
    ("delete", "checkins", "DELETE FROM checkins WHERE guild_id = :guild AND user_id = :user"),
    (
        "delete",
        "facilitator_tells",
        "DELETE FROM facilitator_tells WHERE guild_id = :guild AND user_id = :user",
    ),
    (
        "delete",
        "consent_asks",
        "DELETE FROM consent_asks WHERE guild_id = :guild AND user_id = :user",
    ),
    (
        "delete",
        "schedule_drafts",
        "DELETE FROM schedule_drafts WHERE guild_id = :guild AND facilitator_id = :user",
    ),
    (
        "delete",
        "review_authors",
        "DELETE FROM review_authors WHERE guild_id = :guild AND user_id = :user",
    ),
    (
        "delete",
        "attendance",
        f"DELETE FROM attendance WHERE user_id = :user AND session_id IN ({SESSIONS_HERE})",
    ),
    (
        "delete",
        "session_waitlist",
        f"DELETE FROM session_waitlist WHERE user_id = :user AND session_id IN ({SESSIONS_HERE})",
    ),
    (
        "anonymise",
        "contributions",
        "UPDATE contributions SET author_id = NULL WHERE author_id = :user"
        f" AND kind IN ({', '.join(repr(k) for k in LYRIC_EVENTS)}) AND run_id IN"
        f" (SELECT id FROM activity_runs WHERE session_id IN ({SESSIONS_HERE}))",
    ),
    (
        "delete",
        "contributions",
        "DELETE FROM contributions WHERE author_id = :user AND run_id IN"
        f" (SELECT id FROM activity_runs WHERE session_id IN ({SESSIONS_HERE}))",
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
        f"DELETE FROM nominations WHERE user_id = :user AND session_id IN ({SESSIONS_HERE})",
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
        "series_reminders",
        "DELETE FROM series_reminders WHERE guild_id = :guild AND user_id = :user",
    ),
    (
        "delete",
        "series_reminder_offers",
        "DELETE FROM series_reminder_offers WHERE guild_id = :guild AND user_id = :user",
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


LEADS_ACTIVE_SCHEDULE = (
    "SELECT 1 FROM schedule_series WHERE guild_id = :guild AND facilitator_id = :user"
    " AND active = 1"
)

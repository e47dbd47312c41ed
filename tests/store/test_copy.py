"""`chorus db copy`: SQLite -> PostgreSQL -> SQLite with every table filled, ids kept, verified."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.cli import main
from bot.records.sessions import NewSession
from bot.store.copy import TABLE_ORDER, CopyError, copy_database, table_summary
from bot.store.store import Store
from tests.conftest import ROOT
from tests.engines import TestDatabase

# One or more rows in every table, with ids that are not 1, 2, 3 (so keeping them shows).
FILL = (
    "INSERT INTO shard_leases (shard_id, shard_count, owner, home, expires_at)"
    " VALUES (0, 6, 'host:1:a', 'host:1:a', 1.5)",
    "INSERT INTO guilds (id, timezone, support_text, created_at)"
    " VALUES (900000000000000001, 'Europe/Berlin', 'Call a friend', 1.5)",
    "INSERT INTO members (guild_id, user_id, display_name, consent, consent_at, credit_opt_out,"
    " left_guild_at) VALUES (900000000000000001, 800000000000000002, 'Ana ✨', 'agreed', 2.25,"
    " 1, NULL), (900000000000000001, 800000000000000003, 'Ben', NULL, NULL, 0, 7.0)",
    "INSERT INTO sessions (id, guild_id, channel_id, voice_channel_id, title, facilitator_id,"
    " board_message_id, status, started_at, ended_at) VALUES (41, 900000000000000001, 5, 6,"
    " 'Tuesday circle', 800000000000000002, 7, 'ended', 10.0, 20.5)",
    "INSERT INTO attendance (id, session_id, user_id, joined_at, left_at)"
    " VALUES (51, 41, 800000000000000002, 11.0, 19.0), (52, 41, 800000000000000003, 12.0, NULL)",
    "INSERT INTO session_limits (session_id, capacity, role_id, invite_only)"
    " VALUES (41, 8, 700000000000000004, 1)",
    "INSERT INTO session_waitlist (session_id, user_id, state, seq, since)"
    " VALUES (41, 800000000000000002, 'asking', 1, 11.5)",
    "INSERT INTO activity_runs (id, session_id, activity_id, version_hash, definition,"
    " step_index, step_started_at, step_deadline, paused_remaining, step_message_id, step_state,"
    " wake_at, state, started_at, ended_at) VALUES (61, 41, 'evening', 'abc', '{\"steps\": []}',"
    " 2, 13.0, 14.0, NULL, 8, '{}', NULL, 'finished', 12.5, 18.0)",
    "INSERT INTO contributions (id, run_id, step_index, author_id, kind, payload, created_at,"
    " updated_at) VALUES (71, 61, 0, 800000000000000002, 'checkin', '{\"v\": 3}', 13.1, 13.2),"
    " (72, 61, 1, NULL, 'reflection', '{\"text\": \"calm — quiet\"}', 13.3, 13.3)",
    "INSERT INTO checkins (id, guild_id, user_id, session_id, run_id, step_index, scale, phase,"
    " measure, value, value2, passed, note, shared, created_at) VALUES (81, 900000000000000001,"
    " 800000000000000002, 41, 61, 0, '0-10', 'before', 'mood', 7, NULL, 0, 'tired', 1, 13.1)",
    "INSERT INTO songs (id, guild_id, session_id, run_id, step_index, title, theme, structure,"
    " anonymous, created_at, finished_at) VALUES (91, 900000000000000001, 41, 61, 1, 'Ours',"
    " 'rain', '[[\"verse\", 2]]', 0, 14.0, 15.0)",
    "INSERT INTO song_lines (id, song_id, position, section, author_id, text, syllables, passed,"
    " removed_at, removed_by, created_at, event_key) VALUES (101, 91, 0, 'verse',"
    " 800000000000000002, 'the kettle sings', 5, 0, NULL, NULL, 14.1, 'c71')",
    "INSERT INTO tracks (id, guild_id, title, artist, file_name, url, duration_seconds,"
    " uploaded_by, created_at) VALUES (111, 900000000000000001, 'Gymnopédie', 'Satie',"
    " 'uploads/a.mp3', NULL, 212.5, 800000000000000002, 3.0)",
    "INSERT INTO nominations (id, session_id, user_id, title, artist, url, note, created_at,"
    " removed_at) VALUES (121, 41, 800000000000000003, 'Blackbird', 'Beatles', NULL, 'for you',"
    " 12.0, NULL)",
    "INSERT INTO plays (id, session_id, run_id, step_index, title, artist, url, file_name,"
    " nomination_id, mode, note, started_at, ended_at) VALUES (131, 41, 61, 1, 'Blackbird',"
    " 'Beatles', NULL, NULL, 121, 'link', NULL, 16.0, 17.0)",
    "INSERT INTO schedule_series (id, guild_id, channel_id, voice_channel_id, facilitator_id,"
    " title, plan, duration_minutes, repeat, timezone, anchor_local, anchor_seq, active,"
    " created_at) VALUES (141, 900000000000000001, 5, NULL, 800000000000000002, 'Weekly',"
    " 'evening', 60, 'weekly', 'Europe/Berlin', '2026-11-30T18:00', 0, 1, 1.0)",
    "INSERT INTO schedule_occurrences (id, series_id, guild_id, seq, starts_at, ends_at,"
    " event_id, status, session_id, start_message_id, opened_at, reminders_until, ended_at,"
    " created_at) VALUES (151, 141, 900000000000000001, 0, 10.0, 70.0, 9, 'open', 41, NULL,"
    " 10.0, 9.0, NULL, 1.0)",
    "INSERT INTO schedule_limits (series_id, capacity, role_id, invite_only)"
    " VALUES (141, 6, NULL, 0)",
    "INSERT INTO reminder_optins (guild_id, user_id, minutes_before, updated_at)"
    " VALUES (900000000000000001, 800000000000000003, 30, 2.0)",
    "INSERT INTO sent_reminders (occurrence_id, user_id, via, sent_at)"
    " VALUES (151, 800000000000000003, 'dm', 9.5)",
    "INSERT INTO goals (id, guild_id, user_id, text, status, created_at, closed_at)"
    " VALUES (161, 900000000000000001, 800000000000000002, 'Sleep earlier', 'active', 4.0, NULL)",
    "INSERT INTO goal_ratings (id, goal_id, session_id, run_id, step_index, value, created_at)"
    " VALUES (171, 161, 41, 61, 3, 4, 17.5)",
    "INSERT INTO guild_activities (id, guild_id, activity_id, version, source, uploaded_by,"
    " uploaded_at, deleted_at) VALUES (181, 900000000000000001, 'our-circle', 2,"
    " 'id: our-circle # ✨', 800000000000000002, 5.0, NULL)",
    "INSERT INTO guild_settings (guild_id, key, value)"
    " VALUES (900000000000000001, 'support_text', '\"Call Sam\"')",
    "INSERT INTO guild_setting_changes (id, guild_id, key, old_value, new_value, changed_by,"
    " changed_at) VALUES (191, 900000000000000001, 'support_text', NULL, '\"Call Sam\"',"
    " 800000000000000002, 6.0)",
    "INSERT INTO checkin_schedules (guild_id, user_id, days, minute, timezone, scale,"
    " paused_until, next_send_at, snoozed_until, last_sent_on, created_at, updated_at)"
    " VALUES (900000000000000001, 800000000000000002, 18, 1140, 'Europe/Berlin', '0-10',"
    " '2026-12-01', 30.0, NULL, '2026-11-30', 7.0, 7.5)",
    "INSERT INTO checkin_notice_optins (guild_id, user_id, low_answers, within_days, created_at)"
    " VALUES (900000000000000001, 800000000000000002, 3, 7, 8.0)",
    "INSERT INTO checkin_tags (checkin_id, guild_id, user_id, tag, created_at)"
    " VALUES (81, 900000000000000001, 800000000000000002, 'slept badly ✨', 13.2)",
    "INSERT INTO facilitator_tells (session_id, guild_id, user_id, claimed_at, told_at)"
    " VALUES (41, 900000000000000001, 800000000000000002, 13.25, 13.26)",
    "INSERT INTO consent_asks (run_id, step_index, guild_id, user_id, asked_at)"
    " VALUES (61, 0, 900000000000000001, 800000000000000002, 13.27)",
    "INSERT INTO pool_draws (id, guild_id, channel_id, pool_key, alternative, drawn_at)"
    " VALUES (201, 900000000000000001, 700000000000000001, 'sha256:ab', 2, 7.25)",
    "INSERT INTO series_reminders (series_id, guild_id, user_id, minutes_before, updated_at)"
    " VALUES (141, 900000000000000001, 800000000000000003, NULL, 2.5)",
    "INSERT INTO series_reminder_offers (series_id, guild_id, user_id, offered_at)"
    " VALUES (141, 900000000000000001, 800000000000000002, 2.75)",
    "INSERT INTO server_checkin_tags (guild_id, tag, created_at)"
    " VALUES (900000000000000001, 'sang ✨', 3.25)",
    "INSERT INTO review_authors (contribution_id, run_id, step_index, guild_id, user_id,"
    " created_at) VALUES (72, 61, 1, 900000000000000001, 800000000000000002, 13.3)",
    "INSERT INTO schedule_drafts (id, key, guild_id, facilitator_id, channel_id,"
    " voice_channel_id, payload, created_at) VALUES (211, 123456789, 900000000000000001,"
    ' 800000000000000002, 700000000000000001, NULL, \'{"title": "Friday circle"}\', 13.4)',
)


async def filled_sqlite(path: Path) -> str:
    url = f"sqlite:///{path}"
    store = Store(url)
    await store.open()
    try:
        async with store.db.transaction() as conn:
            for sql in FILL:
                await conn.execute(sql)
        tables = set(await store.db.tables())
        assert tables == set(TABLE_ORDER), "a new table needs rows here and in TABLE_ORDER"
        for table in TABLE_ORDER:
            row = await store.db.fetch_one(f"SELECT COUNT(*) FROM {table}")
            assert row is not None and row[0] > 0, f"{table} is empty"
    finally:
        await store.close()
    return url


async def summaries(url: str) -> dict[str, tuple[int, str]]:
    store = Store(url)
    await store.open()
    try:
        found = {}
        for table in TABLE_ORDER:
            columns = sorted(await store.db.columns(table))
            summary = await table_summary(store.db, table, columns)
            found[table] = (summary.rows, summary.checksum)
        return found
    finally:
        await store.close()


async def test_sqlite_to_postgres_and_back_keeps_every_row_and_id(
    tmp_path: Path, postgres: TestDatabase
) -> None:
    source = await filled_sqlite(tmp_path / "home.db")
    lines: list[str] = []
    copied = await copy_database(source, postgres.url, report=lines.append)
    assert [c.table for c in copied] == list(TABLE_ORDER)
    assert len(lines) == len(TABLE_ORDER)
    back = f"sqlite:///{tmp_path / 'back.db'}"
    await copy_database(postgres.url, back, report=lines.append)
    original = await summaries(source)
    assert await summaries(postgres.url) == original
    assert await summaries(back) == original
    assert sum(rows for rows, _ in original.values()) == len(FILL) + 3  # 3 two-row inserts

    # The copy is a working Chorus database: ids kept, and new rows get ids past the copied ones.
    store = Store(postgres.url)
    await store.open()
    try:
        session = await store.sessions.get(41)
        assert session is not None and session.title == "Tuesday circle"
        assert session.guild_id == 900000000000000001
        member = await store.members.get(900000000000000001, 800000000000000002)
        assert member is not None and member.display_name == "Ana ✨" and member.credit_opt_out
        new = await store.sessions.create(
            NewSession(
                guild_id=1, channel_id=2, voice_channel_id=None, title="next", facilitator_id=3
            ),
            30,
        )
        assert new.id > 41
        assert await store.sessions.join(new.id, 5, 31.0)
    finally:
        await store.close()


async def test_copy_refuses_a_destination_that_holds_data(
    tmp_path: Path, engine: TestDatabase
) -> None:
    source = await filled_sqlite(tmp_path / "home.db")
    await copy_database(source, engine.url, report=lambda _: None)
    before = await summaries(engine.url)
    with pytest.raises(CopyError, match="not empty"):
        await copy_database(source, engine.url, report=lambda _: None)
    assert await summaries(engine.url) == before


async def test_chorus_db_copy_command(
    tmp_path: Path, postgres: TestDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    source = await filled_sqlite(tmp_path / "home.db")
    assert await _run_cli(["db", "copy", source, postgres.url]) == 0
    out = capsys.readouterr().out
    assert f"{len(TABLE_ORDER)} tables" in out and "verified" in out
    assert await _run_cli(["db", "copy", source, postgres.url]) == 1
    assert "not empty" in capsys.readouterr().err
    assert await summaries(postgres.url) == await summaries(source)


async def _run_cli(argv: list[str]) -> int:
    """The CLI runs its own event loop: run it on a thread, as from a shell."""
    import asyncio

    return await asyncio.to_thread(main, argv)


async def test_chorus_db_migrate_and_status_follow_database_url(
    engine: TestDatabase, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in [k for k in os.environ if k.startswith("CHORUS_")]:
        monkeypatch.delenv(name)  # the tests' own CHORUS_* variables are not settings
    monkeypatch.setenv("CHORUS_CONFIG", "/nonexistent/chorus.yaml")
    monkeypatch.setenv("CHORUS_DATABASE_URL", engine.url)
    assert await _run_cli(["db", "migrate"]) == 0
    migrated = capsys.readouterr().out
    latest = max(
        int(p.name[:4]) for p in (ROOT / "bot" / "store" / "migrations" / "sqlite").glob("*.sql")
    )
    assert "0001_initial.sql" in migrated and f"now at version {latest}" in migrated
    assert await _run_cli(["db", "status"]) == 0
    assert f"version {latest} of {latest}" in capsys.readouterr().out

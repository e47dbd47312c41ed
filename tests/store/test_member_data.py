"""Where a member's data lives, as SQL (what /mydata exports and /forget deletes): every
statement keeps to one server and one member, and runs on both engines against a database
with a row in every table (tests/store/test_copy.py's FILL)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.store.member_data import (
    EXPORTS,
    FORGETS,
    JSON_COLUMNS,
    LEADS_ACTIVE_SCHEDULE,
    SESSIONS_HERE,
    SESSIONS_TOUCHED,
)
from bot.store.store import Store
from tests.engines import TestDatabase
from tests.store.test_copy import FILL

GUILD, ANA, BEN = 900000000000000001, 800000000000000002, 800000000000000003
ELSEWHERE = GUILD + 1


@pytest.fixture
async def filled(engine: TestDatabase) -> AsyncIterator[Store]:
    store = Store(engine.url)
    await store.open()
    try:
        async with store.db.transaction() as conn:
            for sql in FILL:
                await conn.execute(sql)
        yield store
    finally:
        await store.close()


def test_every_statement_names_the_server_and_the_member() -> None:
    statements = [sql for _key, sql in EXPORTS] + [sql for _a, _t, sql in FORGETS if sql]
    assert len(statements) >= 30
    for sql in [*statements, SESSIONS_TOUCHED, LEADS_ACTIVE_SCHEDULE]:
        assert ":guild" in sql or "{here}" in sql, sql
        assert ":user" in sql, sql
    assert ":guild" in SESSIONS_HERE
    # Each export has its own key; each forget step says what it does.
    assert len({key for key, _ in EXPORTS}) == len(EXPORTS)
    assert {action for action, _t, _s in FORGETS} <= {"delete", "anonymise", "lines"}
    assert all("{sessions}" in select and ":needle" in select for _t, _c, select in JSON_COLUMNS)


async def test_exports_find_the_members_rows_in_their_server_only(filled: Store) -> None:
    mine = {
        key: await filled.db.fetch_all(sql, {"guild": GUILD, "user": ANA}) for key, sql in EXPORTS
    }
    assert {key for key, rows in mine.items() if rows} >= {
        "checkins",
        "attendance",
        "waitlist",
        "song_lines",
        "goals",
        "facilitator_told",
        "consent_asked",
    }
    for key, sql in EXPORTS:
        assert await filled.db.fetch_all(sql, {"guild": ELSEWHERE, "user": ANA}) == [], key


async def test_the_sessions_to_scan_and_the_schedule_check_keep_to_the_server(
    filled: Store,
) -> None:
    touched = SESSIONS_TOUCHED.format(here=SESSIONS_HERE)
    found = await filled.db.fetch_all(touched, {"guild": GUILD, "user": ANA})
    assert [int(row[0]) for row in found] == [41]
    assert await filled.db.fetch_all(touched, {"guild": ELSEWHERE, "user": ANA}) == []
    assert await filled.db.fetch_one(LEADS_ACTIVE_SCHEDULE, {"guild": GUILD, "user": ANA})
    assert await filled.db.fetch_one(LEADS_ACTIVE_SCHEDULE, {"guild": GUILD, "user": BEN}) is None
    assert (
        await filled.db.fetch_one(LEADS_ACTIVE_SCHEDULE, {"guild": ELSEWHERE, "user": ANA})
    ) is None

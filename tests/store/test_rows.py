"""A row as its record (bot/store/rows.py): casts by the record's field types, NULL kept; the
columns that read a record; the repositories' shared reads and a write's returned row."""

from __future__ import annotations

import pytest

from bot.records.checkins import CheckinRecord
from bot.records.media import NewPlay, PlayedPiece
from bot.store.database import Conn
from bot.store.leases import Lease
from bot.store.rows import columns, record_of, returned, returned_if_any, values_of
from bot.store.store import Store

ROW = (1, 2, None, None, None, None, "0-10", "any", None, 7, None, 0, None, 1, 100)


def test_values_are_cast_to_their_fields_and_null_stays_none() -> None:
    record = record_of(CheckinRecord, ROW)
    assert record.passed is False and record.shared is True  # SQLite's 0 and 1
    assert record.created_at == 100.0 and isinstance(record.created_at, float)
    assert record.user_id is None and record.value == 7 and record.note is None


def test_a_row_of_another_shape_is_refused() -> None:
    with pytest.raises(ValueError, match="CheckinRecord has 15 fields; the row has 14"):
        record_of(CheckinRecord, ROW[:-1])


def test_the_columns_of_a_record_are_its_fields_in_order() -> None:
    assert columns(Lease) == "shard_id, owner, home, expires_at"
    assert columns(Lease, "l") == "l.shard_id, l.owner, l.home, l.expires_at"


def test_the_values_of_a_record_are_in_its_columns_order() -> None:
    assert values_of(Lease(3, "p1", "h1", 50.0)) == (3, "p1", "h1", 50.0)
    play = NewPlay(
        title="Song",
        artist="Band",
        url=None,
        file_name="a.ogg",
        nomination_id=None,
        mode="voice",
        note="why",
        session_id=1,
        run_id=2,
        step_index=3,
    )
    # A record extending another: the base's columns come first.
    assert columns(NewPlay).startswith(columns(PlayedPiece) + ", ")
    assert values_of(play) == ("Song", "Band", None, "a.ogg", None, "voice", "why", 1, 2, 3)
    assert values_of(play, PlayedPiece) == ("Song", "Band", None, "a.ogg", None, "voice", "why")


async def test_a_repository_reads_rows_as_records_on_either_engine(store: Store) -> None:
    repo = store.leases
    await store.db.write(
        lambda conn: conn.execute(
            "INSERT INTO shard_leases (shard_id, shard_count, owner, home, expires_at)"
            " VALUES (?, 4, ?, ?, ?)",
            (3, "p1", "h1", 50),
        ),
        invalidate=(),
    )
    found = await repo._select_all(Lease, f"SELECT {columns(Lease)} FROM shard_leases")
    assert found == [Lease(3, "p1", "h1", 50.0)] and isinstance(found[0].expires_at, float)
    assert await repo._select_one(Lease, "SELECT * FROM shard_leases WHERE shard_id = 9") is None


async def test_a_write_returns_its_row_as_a_record(store: Store) -> None:
    sql = (
        "INSERT INTO shard_leases (shard_id, shard_count, owner, home, expires_at)"
        " VALUES (?, 4, ?, ?, ?)"
        f" RETURNING {columns(Lease)}"
    )

    async def insert(conn: Conn) -> Lease:
        return await returned(conn, Lease, sql, (1, "p", "h", 10.5))

    assert await store.db.write(insert, invalidate=()) == Lease(1, "p", "h", 10.5)

    async def nothing(conn: Conn) -> Lease:
        return await returned(
            conn,
            Lease,
            "DELETE FROM shard_leases WHERE shard_id = 99 RETURNING shard_id, owner, home, expires_at",
            (),
        )

    with pytest.raises(ValueError, match="returned no Lease"):
        await store.db.write(nothing, invalidate=())


async def test_a_write_that_may_write_nothing_returns_its_row_or_none(store: Store) -> None:
    sql = (
        "INSERT INTO shard_leases (shard_id, shard_count, owner, home, expires_at)"
        " VALUES (?, 4, ?, ?, ?) ON CONFLICT DO NOTHING"
        f" RETURNING {columns(Lease)}"
    )

    async def insert(conn: Conn) -> Lease | None:
        return await returned_if_any(conn, Lease, sql, (2, "p", "h", 3))

    assert await store.db.write(insert, invalidate=()) == Lease(2, "p", "h", 3.0)
    assert await store.db.write(insert, invalidate=()) is None  # the row was there: nothing written

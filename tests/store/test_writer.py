"""Group commit: many simultaneous writers share a transaction, and none is lost or undone."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from pathlib import Path

import pytest

from bot.store.database import StorageUnavailable
from bot.store.store import Store


async def test_simultaneous_writes_share_commits_and_all_persist(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    await store.open()
    session = await store.sessions.create(
        guild_id=1, channel_id=1, voice_channel_id=None, title="t", facilitator_id=1, now=0.0
    )
    before = store.db.writer.batches
    results = await asyncio.gather(
        *(store.sessions.join(session.id, uid, 1.0) for uid in range(500))
    )
    assert all(results)
    batches = store.db.writer.batches - before
    assert batches < 50, f"{batches} commits for 500 joins"
    assert len(await store.sessions.present(session.id)) == 500
    await store.close()


async def test_a_failing_job_is_rolled_back_alone(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    await store.open()

    def good(n: int):  # type: ignore[no-untyped-def]
        def job(conn: sqlite3.Connection) -> int:
            conn.execute("INSERT INTO guilds (id, created_at) VALUES (?, 0)", (n,))
            return n

        return job

    def bad(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO guilds (id, created_at) VALUES (99, 0)")
        raise ValueError("nope")

    outcomes = await asyncio.gather(
        store.db.write(good(1)),
        store.db.write(bad),
        store.db.write(good(2)),
        return_exceptions=True,
    )
    assert outcomes[0] == 1 and outcomes[2] == 2 and isinstance(outcomes[1], ValueError)
    ids = [r[0] for r in await store.db.fetch_all("SELECT id FROM guilds ORDER BY id")]
    assert ids == [1, 2]
    await store.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
async def test_read_only_database_reports_storage_unavailable(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    await store.open()
    os.chmod(tmp_path / "c.db", 0o400)
    with pytest.raises(StorageUnavailable):
        await store.sessions.join(1, 1, 0.0)
    await store.close()

"""Run rows kept in the cache after their own updates, and contributions checked against the run.

A second plain sqlite3 connection changes the file behind the store's back: what `runs.get`
returns then shows whether it read the file or the row the update kept.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from bot.records.sessions import NewContribution, NewRun, NewSession, RunRecord
from bot.store.engine import Conn
from bot.store.runs import Added, StepMoved
from bot.store.store import Store


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """SQLite only, on purpose (not tests/conftest.py's two-engine `store`): these tests change
    and read the file with plain sqlite3 connections behind the store's back."""
    s = Store(tmp_path / "c.db")
    await s.open()
    yield s
    await s.close()


async def new_run(store: Store) -> RunRecord:
    session = await store.sessions.create(
        NewSession(guild_id=1, channel_id=2, voice_channel_id=None, title="t", facilitator_id=9),
        0.0,
    )
    return await store.runs.create(
        NewRun(
            session_id=session.id,
            activity_id="a",
            version_hash="h",
            definition="{}",
            step_deadline=None,
        ),
        10.0,
    )


def change_behind_the_store(path: Path, sql: str, params: tuple[object, ...]) -> None:
    other = sqlite3.connect(path, isolation_level=None)
    try:
        assert other.execute(sql, params).rowcount == 1
    finally:
        other.close()


def contributions_in_file(path: Path, run_id: int) -> list[tuple[int, int | None, str]]:
    conn = sqlite3.connect(path)
    try:
        return list(
            conn.execute(
                "SELECT step_index, author_id, kind FROM contributions WHERE run_id = ?"
                " ORDER BY id",
                (run_id,),
            )
        )
    finally:
        conn.close()


def guild_ids_in_file(path: Path) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM guilds ORDER BY id")]
    finally:
        conn.close()


async def test_update_returns_the_new_row_and_get_serves_it_from_the_cache(
    store: Store, tmp_path: Path
) -> None:
    run = await new_run(store)
    updated = await store.runs.update(
        run.id, 0, step_index=1, step_started_at=20.0, step_state='{"turn": 1}', wake_at=50.0
    )
    assert updated is not None
    assert (updated.step_index, updated.step_started_at, updated.step_state, updated.wake_at) == (
        1,
        20.0,
        '{"turn": 1}',
        50.0,
    )
    assert (updated.id, updated.session_id, updated.state) == (run.id, run.session_id, "running")
    # The file changes behind the store's back; get still answers with the row update returned,
    # so it asked the file nothing.
    change_behind_the_store(
        tmp_path / "c.db",
        "UPDATE activity_runs SET step_state = ? WHERE id = ?",
        ('{"outside": true}', run.id),
    )
    assert await store.runs.get(run.id) == updated
    # Once the cache is dropped, get reads the file again.
    store.db.invalidate()
    reread = await store.runs.get(run.id)
    assert reread is not None and reread.step_state == '{"outside": true}'
    assert reread.step_index == 1 and reread.wake_at == 50.0


async def test_an_update_for_a_step_the_run_has_left_changes_nothing(store: Store) -> None:
    run = await new_run(store)
    moved = await store.runs.update(run.id, 0, step_index=1)
    assert moved is not None
    assert await store.runs.update(run.id, 0, step_index=5, state="stopped") is None
    assert await store.runs.get(run.id) == moved
    store.db.invalidate()
    assert await store.runs.get(run.id) == moved


async def test_set_step_message_is_kept_in_the_cache(store: Store, tmp_path: Path) -> None:
    run = await new_run(store)
    assert (await store.runs.get(run.id)) == run  # cached before the write
    await store.runs.set_step_message(run.id, 4242)
    change_behind_the_store(
        tmp_path / "c.db",
        "UPDATE activity_runs SET step_message_id = ? WHERE id = ?",
        (777, run.id),
    )
    cached = await store.runs.get(run.id)
    assert cached is not None and cached.step_message_id == 4242
    assert cached.step_index == run.step_index and cached.step_state == run.step_state
    store.db.invalidate()
    reread = await store.runs.get(run.id)
    assert reread is not None and reread.step_message_id == 777


def _also_adds_guild(guild_id: int) -> Callable[[Conn, bool], Awaitable[int]]:
    async def also(conn: Conn, *_: object) -> int:
        await conn.execute("INSERT INTO guilds (id, created_at) VALUES (?, 0)", (guild_id,))
        return guild_id

    return also


async def _add(store: Store, run_id: int, step_index: int, author: int, guild: int) -> Added:
    return await store.contributions.add_with(
        NewContribution(
            run_id=run_id,
            step_index=step_index,
            author_id=author,
            kind="reflection",
            payload={"text": "hi"},
            replace=True,
        ),
        30.0,
        also=_also_adds_guild(guild),
    )


async def test_a_contribution_for_a_step_the_run_has_left_writes_nothing(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "c.db"
    run = await new_run(store)
    added = await _add(store, run.id, 0, 1, guild=100)  # live at step 0: both are written
    assert added.also == 100 and added.record.step_index == 0
    assert await store.runs.update(run.id, 0, step_index=1) is not None
    with pytest.raises(StepMoved):
        await _add(store, run.id, 0, 2, guild=200)
    assert contributions_in_file(path, run.id) == [(0, 1, "reflection")]
    assert guild_ids_in_file(path) == [100]


async def test_a_contribution_to_a_stopped_run_writes_nothing(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    run = await new_run(store)
    assert await store.runs.update(run.id, 0, state="stopped", ended_at=40.0) is not None
    with pytest.raises(StepMoved):
        await _add(store, run.id, 0, 1, guild=300)
    assert contributions_in_file(path, run.id) == []
    assert guild_ids_in_file(path) == []


async def test_a_contribution_to_a_paused_run_is_kept(store: Store, tmp_path: Path) -> None:
    run = await new_run(store)
    assert await store.runs.update(run.id, 0, state="paused", paused_remaining=5.0) is not None
    added = await _add(store, run.id, 0, 1, guild=400)
    assert added.also == 400
    assert contributions_in_file(tmp_path / "c.db", run.id) == [(0, 1, "reflection")]
    assert guild_ids_in_file(tmp_path / "c.db") == [400]

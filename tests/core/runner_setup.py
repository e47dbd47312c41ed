"""What the runner tests share: a real store, a hand-moved clock, a small three-step activity."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.activities import Activity
from bot.core.runner import Runner
from bot.records.sessions import NewSession, RunRecord, SessionRecord
from bot.store.store import Store

ACTIVITY = {
    "id": "core-test",
    "title": "Core test",
    "summary": "s",
    "version": 1,
    "duration_minutes": 5,
    "steps": [
        {"type": "prompt", "title": "Read", "text": "hello"},
        {"type": "reflect", "title": "Say", "question": "q?", "time_limit": 60, "advance": "auto"},
        {"type": "reflect", "title": "Again", "question": "q?", "time_limit": 30},
    ],
}


START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
"""Where a test's clock starts, unless the test says otherwise."""


class Clock:
    """A hand-moved clock (UTC), starting at START; `tick(seconds)` moves it on."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def stopped_at(when: datetime = START) -> Callable[[], datetime]:
    """A clock that always reads `when` (UTC), for services that only read the time."""

    def clock() -> datetime:
        return when

    return clock


async def open_store(path: Path) -> AsyncIterator[Store]:
    """A store on a real SQLite file, closed afterwards (for a fixture)."""
    s = Store(path)
    await s.open()
    yield s
    await s.close()


async def session(
    store: Store, *members: int, guild_id: int = 1, channel_id: int = 2
) -> SessionRecord:
    """An open session (facilitator 9) with these members joined."""
    s = await store.sessions.create(
        NewSession(
            guild_id=guild_id,
            channel_id=channel_id,
            voice_channel_id=None,
            title="t",
            facilitator_id=9,
        ),
        0.0,
    )
    for m in members:
        await store.sessions.join(s.id, m, 0.0)
    return s


def activity() -> Activity:
    return Activity.model_validate({**ACTIVITY, "version_hash": "abc"})


async def ready_at_auto_step(runner: Runner, store: Store, *members: int) -> RunRecord:
    """A run of ACTIVITY at its auto 'Say' step (index 1), with these members present."""
    s = await session(store, *members)
    run = (await runner.start(s.id, activity())).run
    moved = await runner.advance(run.id, 0)
    assert moved is not None and moved.run.step_index == 1
    return moved.run


def hold_write_lock(path: Path) -> sqlite3.Connection:
    """Another process holding SQLite's write lock, mid-transaction."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO guilds (id, created_at) VALUES (12345, 0)")
    return other

"""The check-in repository: one answer per member per step, anonymous rows, replacing /checkin now."""

from __future__ import annotations

from typing import Any

from bot.records.checkins import CheckinRecord
from bot.records.sessions import NewRun, NewSession
from bot.store.checkins import NewCheckin
from bot.store.store import Store
from tests.engines import TestDatabase


async def test_save_replaces_a_members_answer_and_keeps_anonymous_rows_apart(
    engine: TestDatabase,
) -> None:
    store = Store(engine.url)
    await store.open()
    try:
        session = await store.sessions.create(
            NewSession(
                guild_id=1, channel_id=2, voice_channel_id=None, title="t", facilitator_id=3
            ),
            0,
        )
        run = await store.runs.create(
            NewRun(
                session_id=session.id,
                activity_id="a",
                version_hash="h",
                definition="{}",
                step_deadline=None,
            ),
            0,
        )
        common: dict[str, Any] = {
            "guild_id": 1,
            "session_id": session.id,
            "run_id": run.id,
            "step_index": 0,
            "scale": "0-10",
            "phase": "before",
            "measure": "mood",
            "value2": None,
        }
        first = await save(store, user_id=7, value=2, passed=False, now=1, **common)
        again = await save(store, user_id=7, value=6, passed=False, now=2, **common)
        assert again.id == first.id and again.value == 6
        await store.checkins.set_note(first.id, "hello")
        passed = await save(store, user_id=7, value=None, passed=True, now=3, **common)
        assert passed.id == first.id and passed.passed and passed.note is None
        a = await save(store, user_id=None, value=1, passed=False, now=4, **common)
        b = await save(store, user_id=None, value=1, passed=False, now=5, **common)
        assert a.id != b.id and a.user_id is None
        assert len(await store.checkins.for_session(session.id)) == 3
        now_common = {**common, "session_id": None, "run_id": None, "step_index": None}
        one = await save(store, user_id=7, value=3, passed=False, now=6, **now_common)
        changed = await save(
            store, user_id=7, value=4, passed=False, now=7, replace_id=one.id, **now_common
        )
        assert changed.id == one.id and changed.value == 4
        # Someone else's id can't be replaced.
        other = await save(
            store, user_id=8, value=9, passed=False, now=8, replace_id=one.id, **now_common
        )
        assert other.id != one.id
    finally:
        await store.close()


async def save(
    store: Store, *, now: float, replace_id: int | None = None, **fields: Any
) -> CheckinRecord:
    """The store's save with the row's fields as keywords (`now`: its created_at)."""
    return await store.checkins.save(NewCheckin(created_at=now, **fields), replace_id)

"""Rows saved through the store's real write paths, for tests that need some data first."""

from __future__ import annotations

from bot.store.checkins import NewCheckin
from bot.store.store import Store


async def save_checkin(
    store: Store,
    user_id: int | None,
    value: int | None,
    at: float,
    *,
    guild_id: int = 1,
    scale: str = "0-10",
) -> int:
    """One check-in outside a session (a None value is a pass) at `at` (UTC seconds); its id."""
    record = await store.checkins.save(
        NewCheckin(
            guild_id=guild_id,
            user_id=user_id,
            session_id=None,
            run_id=None,
            step_index=None,
            scale=scale,
            phase="any",
            measure=None,
            value=value,
            value2=None,
            passed=value is None,
            created_at=at,
        )
    )
    assert record is not None
    return record.id

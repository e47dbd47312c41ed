"""A server's library rows: one job per change, versions never reused, limits checked in the
same job (the settings rows are tests/store/test_guild_settings.py's)."""

from __future__ import annotations

import pytest

from bot.store.guild_library import LibraryFull, LibraryLimits
from bot.store.store import Store

LIMITS = LibraryLimits(max_activities=2, max_uploads_per_day=10)


async def test_versions_count_up_and_survive_a_delete(store: Store) -> None:
    repo = store.guild_library
    one = await repo.add_version(1, "a", "id: a", 7, 1.0, LIMITS)
    two = await repo.add_version(1, "a", "id: a # v2", 7, 2.0, LIMITS)
    other = await repo.add_version(2, "a", "id: a", 9, 2.0, LIMITS)
    assert (one.version, two.version, other.version) == (1, 2, 1)
    assert [r.version for r in await repo.current(1)] == [2]
    assert await repo.delete(1, "a", 3.0) == 2
    assert await repo.current(1) == []
    again = await repo.add_version(1, "a", "id: a", 7, 4.0, LIMITS)
    assert again.version == 3
    assert [r.guild_id for r in await repo.current(None)] == [1, 2]


async def test_limits_are_checked_in_the_same_job(store: Store) -> None:
    repo = store.guild_library
    await repo.add_version(1, "a", "id: a", 7, 1.0, LIMITS)
    await repo.add_version(1, "b", "id: b", 7, 1.0, LIMITS)
    with pytest.raises(LibraryFull) as full:
        await repo.add_version(1, "c", "id: c", 7, 1.0, LIMITS)
    assert full.value.reason == "activities"
    await repo.add_version(1, "a", "id: a", 7, 1.0, LIMITS)  # a new version is fine
    tight = LibraryLimits(max_activities=10, max_uploads_per_day=3)
    with pytest.raises(LibraryFull) as today:
        await repo.add_version(1, "a", "id: a", 7, 2.0, tight)
    assert today.value.reason == "uploads_today"

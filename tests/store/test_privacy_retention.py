"""Retention: old check-ins are purged; members who left lose their data after the grace period."""

from __future__ import annotations

import pytest

from bot.store.checkins import NewCheckin
from bot.store.privacy import NotDeparted
from bot.store.store import Store
from tests.engines import TestDatabase
from tests.factories import save_checkin

DAY = 86400.0
GUILD = 10


async def open_store(engine: TestDatabase) -> Store:
    store = Store(engine.url)
    await store.open()
    return store


async def checkin(store: Store, user_id: int | None, at: float, value: int = 5) -> int:
    return await save_checkin(store, user_id, value, at, guild_id=GUILD)


async def test_purge_deletes_only_checkins_older_than_the_cutoff(engine: TestDatabase) -> None:
    store = await open_store(engine)
    try:
        now = 1000 * DAY
        await checkin(store, 1, now - 400 * DAY)
        await checkin(store, None, now - 366 * DAY)
        kept = await checkin(store, 1, now - 364 * DAY)
        deleted = await store.privacy.purge_checkins_before(now - 365 * DAY)
        assert deleted == 2
        rows = await store.db.fetch_all("SELECT id FROM checkins")
        assert [r[0] for r in rows] == [kept]
        assert await store.privacy.purge_checkins_before(now - 365 * DAY) == 0
    finally:
        await store.close()


async def test_leave_grace_period(engine: TestDatabase) -> None:
    store = await open_store(engine)
    try:
        now = 1000 * DAY
        for user in (1, 2):
            await store.members.remember_name(GUILD, user, f"user{user}")
            await checkin(store, user, now)
        assert await store.privacy.mark_left(GUILD, [1], now) == 1
        assert await store.privacy.mark_left(GUILD, [1], now + 5) == 0  # already marked
        # Not yet past 30 days.
        assert await store.privacy.departed_before(now + 29 * DAY - 30 * DAY) == []
        assert await store.privacy.departed_before(now + 31 * DAY - 30 * DAY) == [(GUILD, 1)]
        report = await store.privacy.forget(GUILD, 1, now + 31 * DAY)
        assert report.deleted["checkins"] == 1 and report.deleted["members"] == 1
        assert await store.privacy.departed_before(now + 100 * DAY) == []
        users = await store.db.fetch_all("SELECT user_id FROM checkins")
        assert [r[0] for r in users] == [2]
        # Coming back before the grace period ends clears the mark.
        await store.privacy.mark_left(GUILD, [2], now)
        await store.members.remember_name(GUILD, 2, "user2")
        assert await store.privacy.departed_before(now + 100 * DAY) == []
    finally:
        await store.close()


async def test_a_return_clears_the_leave_mark_and_counts_only_marks(
    engine: TestDatabase,
) -> None:
    """mark_returned clears this server's leave marks of the members given, says how many it
    cleared (not members without a mark or a record), and the purge then passes them by."""
    store = await open_store(engine)
    try:
        now = 1000 * DAY
        for guild in (GUILD, GUILD + 1):
            for user in (1, 2, 3):
                await store.members.remember_name(guild, user, f"user{user}")
            await store.privacy.mark_left(guild, [1, 2], now)
        assert await store.privacy.mark_returned(GUILD, [1, 3, 4]) == 1
        assert await store.privacy.mark_returned(GUILD, [1]) == 0  # already back
        assert await store.privacy.mark_returned(GUILD, []) == 0
        assert await store.privacy.left(GUILD) == [2]
        assert await store.privacy.not_left(GUILD) == [1, 3]
        assert await store.privacy.left(GUILD + 1) == [1, 2]
        later = now + 100 * DAY
        # One leave time for all three: their order among themselves is not defined.
        assert sorted(await store.privacy.departed_before(later)) == [
            (GUILD, 2), (GUILD + 1, 1), (GUILD + 1, 2)
        ]  # fmt: skip
    finally:
        await store.close()


async def test_the_purges_forget_checks_the_leave_mark_in_its_own_job(
    engine: TestDatabase,
) -> None:
    """The purge's forget (`left_by`, its cutoff) deletes nothing of a member whose mark went
    (they came back) or is later than the cutoff (they came back and left again) since the
    marks were read: NotDeparted. A mark at or before the cutoff lets it go ahead."""
    store = await open_store(engine)
    try:
        now = 1000 * DAY
        cutoff = now - 30 * DAY
        for user in (1, 2, 3):
            await store.members.remember_name(GUILD, user, f"user{user}")
            await checkin(store, user, now - 40 * DAY)
        await store.privacy.mark_left(GUILD, [2], now - 1)  # left again recently
        await store.privacy.mark_left(GUILD, [3], cutoff)
        for user in (1, 2):  # 1 has no mark at all
            with pytest.raises(NotDeparted):
                await store.privacy.forget(GUILD, user, now, left_by=cutoff)
        with pytest.raises(NotDeparted):  # another server's mark is not this one's
            await store.privacy.forget(GUILD + 1, 3, now, left_by=cutoff)
        report = await store.privacy.forget(GUILD, 3, now, left_by=cutoff)
        assert report.deleted["members"] == 1 and report.deleted["checkins"] == 1
        rows = await store.db.fetch_all("SELECT user_id FROM checkins ORDER BY user_id")
        assert [r[0] for r in rows] == [1, 2]
        assert await store.members.get(GUILD, 2) is not None
    finally:
        await store.close()


async def test_forget_is_per_server(engine: TestDatabase) -> None:
    store = await open_store(engine)
    try:
        await checkin(store, 1, 0.0)
        await store.checkins.save(NewCheckin(
            guild_id=GUILD + 1, user_id=1, session_id=None, run_id=None, step_index=None,
            scale="0-10", phase="any", measure=None, value=3, value2=None, passed=False,
            created_at=0.0,
        ))  # fmt: skip
        await store.privacy.forget(GUILD, 1, 1.0)
        rows = await store.db.fetch_all("SELECT guild_id FROM checkins")
        assert [r[0] for r in rows] == [GUILD + 1]
    finally:
        await store.close()

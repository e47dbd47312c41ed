"""Pattern-notice opt-ins on both engines: one per member per server, changed in place (the
first opt-in's time kept), deleted once."""

from __future__ import annotations

from bot.records.checkin_notices import NoticeOptin
from bot.store.store import Store


async def test_an_opt_in_is_one_row_per_member_and_server_changed_in_place(store: Store) -> None:
    notices = store.checkin_notices
    assert await notices.get(1, 7) is None
    await notices.put(1, 7, low_answers=3, within_days=7, now=100.0)
    await notices.put(2, 7, low_answers=2, within_days=5, now=101.0)  # another server
    assert await notices.get(1, 7) == NoticeOptin(1, 7, 3, 7, 100.0)
    await notices.put(1, 7, low_answers=4, within_days=14, now=200.0)
    assert await notices.get(1, 7) == NoticeOptin(1, 7, 4, 14, 100.0)
    assert await notices.get(2, 7) == NoticeOptin(2, 7, 2, 5, 101.0)


async def test_deleting_says_whether_there_was_one(store: Store) -> None:
    notices = store.checkin_notices
    await notices.put(1, 7, low_answers=3, within_days=7, now=100.0)
    assert await notices.delete(1, 7)
    assert not await notices.delete(1, 7)
    assert await notices.get(1, 7) is None

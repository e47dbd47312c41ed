"""Check-in tags: only on one's own check-in, replaced in one job, gone with the check-in."""

from __future__ import annotations

from bot.store.store import Store
from tests.factories import save_checkin


async def checkin(store: Store, user_id: int, value: int, at: float) -> int:
    return await save_checkin(store, user_id, value, at)


async def tags_of(store: Store, checkin_id: int) -> list[str]:
    """One check-in's tags as stored (the bot reads them per member, never per check-in)."""
    rows = await store.db.fetch_all(
        "SELECT tag FROM checkin_tags WHERE checkin_id = ? ORDER BY tag", (checkin_id,)
    )
    return [str(row[0]) for row in rows]


async def test_tags_are_replaced_only_by_their_owner_and_go_with_the_checkin(store: Store) -> None:
    repo = store.checkin_tags
    mine = await checkin(store, 7, 3, 100.0)
    other = await checkin(store, 8, 9, 100.0)
    assert await repo.set_tags(mine, 1, 7, ["slept badly", "played music"], 101.0)
    assert not await repo.set_tags(other, 1, 7, ["went outside"], 101.0)  # not hers
    assert not await repo.set_tags(mine, 2, 7, ["went outside"], 101.0)  # another server
    assert await tags_of(store, mine) == ["played music", "slept badly"]
    assert await tags_of(store, other) == []
    assert await repo.set_tags(mine, 1, 7, ["played music"], 102.0)
    assert await tags_of(store, mine) == ["played music"]
    later = await checkin(store, 7, 7, 200.0)
    await repo.set_tags(later, 1, 7, ["played music", "went outside"], 201.0)
    assert await repo.member_tags(1, 7, 10) == ["played music", "went outside"]
    answers = await repo.tagged_answers(1, 7, 150.0)
    assert [(a.tag, a.value) for a in answers] == [("played music", 7), ("went outside", 7)]
    assert await store.privacy.purge_checkins_before(150.0) == 2
    assert await tags_of(store, mine) == [] and await tags_of(store, later) != []


async def test_the_servers_own_list_in_order_and_within_its_limit(store: Store) -> None:
    tags = store.checkin_tags
    assert await tags.add_server_tags(1, ["sang", "walked"], 3, 5.0) == ["sang", "walked"]
    # The same clock reading again: still after the earlier ones.
    assert await tags.add_server_tags(1, ["a tag", "sang"], 3, 5.0) == ["a tag"]
    assert await tags.server_tags(1) == ["sang", "walked", "a tag"]
    assert await tags.add_server_tags(1, ["one more"], 3, 6.0) is None  # over the limit
    assert await tags.server_tags(1) == ["sang", "walked", "a tag"]
    assert await tags.server_tags(2) == []  # each server its own
    assert await tags.remove_server_tags(1, ["walked", "never"]) == ["walked"]
    assert await tags.server_tags(1) == ["sang", "a tag"]
    # Compared without regard to case, kept as spelled ("ß" folds to "ss", beyond SQL's lower()).
    assert await tags.add_server_tags(1, ["SANG", "Draußen"], 3, 7.0) == ["Draußen"]
    assert await tags.remove_server_tags(1, ["DRAUSSEN", "A Tag"]) == ["a tag", "Draußen"]
    assert await tags.server_tags(1) == ["sang"]

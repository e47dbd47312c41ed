"""CheckinTags without Discord: tags typed or picked land on the member's latest check-in of the
last day, the server's own list replaces the built-in suggestions, and the mood by tag is one
line per tag whatever its case (a real store on both engines)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.checkin_tags import (
    MAX_SERVER_TAGS,
    MAX_TAGS,
    PICK_OPTIONS,
    SUGGESTED,
    TAG_MAX,
    CheckinTags,
    TagMood,
    parse_tags,
    unique_tags,
)
from bot.core.errors import InvalidInput, NotFound
from bot.store.store import Store
from tests.core.runner_setup import stopped_at
from tests.factories import save_checkin

GUILD, ANA, BEN = 1, 7, 8
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOUR = 3600.0


clock = stopped_at(NOW)


@pytest.fixture
def tags(store: Store) -> CheckinTags:
    return CheckinTags(store, clock)


def test_typed_tags_are_cleaned_kept_as_written_and_each_once() -> None:
    assert parse_tags(" slept badly, Played music ,, played MUSIC, <@123> went out ") == [
        "slept badly",
        "Played music",
        "a member went out",  # a mention never reaches a tag
    ]
    assert parse_tags("") == []
    assert unique_tags(["Draußen", "DRAUSSEN", "sang", "draußen"]) == ["Draußen", "sang"]


def test_too_many_or_too_long_tags_are_refused_saying_the_limit() -> None:
    with pytest.raises(InvalidInput) as many:
        parse_tags(",".join(f"tag {n}" for n in range(MAX_TAGS + 1)))
    assert f"Up to {MAX_TAGS} tags on one check-in" in many.value.message
    with pytest.raises(InvalidInput) as listed:
        parse_tags("a, b, c", most=2)
    assert "Up to 2 tags at once" in listed.value.message
    with pytest.raises(InvalidInput) as long:
        parse_tags("x" * (TAG_MAX + 1))
    assert f"Keep each tag to {TAG_MAX} characters" in long.value.message


async def test_tags_go_on_the_latest_answered_checkin_of_the_last_day(
    store: Store, tags: CheckinTags
) -> None:
    now = NOW.timestamp()
    with pytest.raises(NotFound) as none:
        await tags.tag_latest(GUILD, ANA, "slept badly")
    assert "no check-in from the last day" in none.value.message
    await save_checkin(store, ANA, 4, now - 30 * HOUR)  # too old
    with pytest.raises(NotFound):
        await tags.tag_latest(GUILD, ANA, "slept badly")
    answered = await save_checkin(store, ANA, 6, now - 2 * HOUR)
    await save_checkin(store, ANA, None, now - HOUR)  # a pass is not tagged
    at, saved = await tags.tag_latest(GUILD, ANA, "slept badly, went outside")
    assert (at, saved) == (now - 2 * HOUR, ["slept badly", "went outside"])
    assert await store.checkin_tags.tags_of(answered) == ["slept badly", "went outside"]
    # Empty text takes them off again.
    assert await tags.tag_latest(GUILD, ANA, "") == (now - 2 * HOUR, [])
    assert await store.checkin_tags.tags_of(answered) == []


async def test_the_pick_menu_offers_the_checkins_tags_the_suggestions_and_the_members_own(
    store: Store, tags: CheckinTags
) -> None:
    now = NOW.timestamp()
    first = await save_checkin(store, ANA, 5, now - 3 * HOUR)
    await tags.tag_picked(GUILD, ANA, first, ["my own tag"])
    latest = await save_checkin(store, ANA, 7, now - HOUR)
    await tags.tag_picked(GUILD, ANA, latest, ["Sang"])
    pick = await tags.pick(GUILD, ANA, "en")
    assert (pick.checkin_id, pick.at, pick.current) == (latest, now - HOUR, ["Sang"])
    assert pick.options[0] == "Sang"
    assert "my own tag" in pick.options and SUGGESTED[0] in pick.options
    assert len(pick.options) <= PICK_OPTIONS
    # Picking for someone else's check-in is refused.
    with pytest.raises(NotFound):
        await tags.tag_picked(GUILD, BEN, latest, ["stolen"])
    assert await store.checkin_tags.tags_of(latest) == ["Sang"]


async def test_the_servers_list_replaces_the_suggestions_and_has_a_limit(
    tags: CheckinTags,
) -> None:
    assert await tags.suggested(GUILD, "en") == list(SUGGESTED)
    assert await tags.suggested(GUILD, "de") != list(SUGGESTED)  # worded per reader
    added, whole = await tags.add_server(GUILD, "sang, walked, SANG")
    assert added == ["sang", "walked"] and whole == ["sang", "walked"]
    assert await tags.suggested(GUILD, "de") == ["sang", "walked"]
    with pytest.raises(InvalidInput, match="Name at least one tag"):
        await tags.add_server(GUILD, " , ")
    many = ", ".join(f"tag {n}" for n in range(MAX_SERVER_TAGS - 1))
    with pytest.raises(InvalidInput) as full:
        await tags.add_server(GUILD, many)
    assert f"holds up to {MAX_SERVER_TAGS} tags and has 2" in full.value.message
    assert await tags.remove_server(GUILD, "WALKED, never there") == (["walked"], ["sang"])
    with pytest.raises(InvalidInput, match="Name the tags to remove"):
        await tags.remove_server(GUILD, "")


async def test_autocomplete_matches_the_last_word_and_keeps_what_was_typed_before(
    store: Store, tags: CheckinTags
) -> None:
    latest = await save_checkin(store, ANA, 7, NOW.timestamp() - HOUR)
    await tags.tag_picked(GUILD, ANA, latest, ["Walked the dog"])
    await tags.add_server(GUILD, "walked, sang")
    assert await tags.choices(GUILD, ANA, "sang, WALK", "en") == [
        "sang, Walked the dog",
        "sang, walked",
    ]
    assert await tags.choices(GUILD, BEN, "walk", "en") == ["walked"]


async def test_mood_by_tag_is_one_line_per_tag_under_its_latest_spelling(
    store: Store, tags: CheckinTags
) -> None:
    now = NOW.timestamp()
    for hours, value, picked in ((50, 2, ["outside"]), (26, 6, ["Outside", "sang"]), (2, 9, [])):
        checkin = await save_checkin(store, ANA, value, now - hours * HOUR)
        if picked:
            await tags.tag_picked(GUILD, ANA, checkin, picked)
    assert await tags.mood_by_tag(GUILD, ANA, 7) == [
        TagMood("Outside", 2, 4.0),
        TagMood("sang", 1, 6.0),
    ]
    assert await tags.mood_by_tag(GUILD, ANA, 1) == []  # none tagged in the last day

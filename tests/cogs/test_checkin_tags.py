"""/checkin tag: a member's own tags on their check-ins and their mood by tag; private, gone
with the check-in (retention) and with /forget."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from simcord.actors import MemberActor

from tests.cogs.test_checkin_schedule import agree
from tests.cogs.test_checkins import rows
from tests.cogs.test_private_languages import client_language
from tests.conftest import World
from tests.responses import reply_to


async def answer_now(world: World, member: MemberActor, value: str, scale: str = "0-10") -> None:
    shown = await member.slash(world.channel, "checkin now", scale=scale)
    saved = await member.click(reply_to(shown).message, label=value)
    assert "Your answer is saved" in (reply_to(saved).message.content or "")


async def tag(world: World, member: MemberActor, tags: str) -> str:
    result = await member.slash(world.channel, "checkin tag add", tags=tags)
    assert result.ephemeral
    return reply_to(result).content or ""


async def test_tags_and_mood_by_tag_are_the_members_own(world: World) -> None:
    ana, ben = world.members[:2]
    for member in (ana, ben):
        await agree(world, member)
    await answer_now(world, ana, "2")
    said = await tag(world, ana, "Slept badly,  played music, slept badly")
    # Kept as typed ("Slept badly"), each once whatever its case.
    assert "`Slept badly`, `played music`" in said, said
    await world.env.advance_time(3600)
    await answer_now(world, ana, "8")
    await tag(world, ana, "played music, went outside")
    await answer_now(world, ana, "very good", scale="1-5")
    await tag(world, ana, "went outside")
    await answer_now(world, ben, "9")
    await tag(world, ben, "played music")

    shown = await ana.slash(world.channel, "checkin tag mood")
    assert shown.ephemeral
    lines = (reply_to(shown).embeds[0].description or "").splitlines()
    # went outside: 8 and "very good" (5 of 5 -> 10) -> 9; played music: 2 and 8 -> 5.
    assert lines[:3] == [
        "**played music**: 5 / 10, 2 check-ins",
        "**went outside**: 9 / 10, 2 check-ins",
        "**Slept badly**: 2 / 10, 1 check-in",
    ], lines
    choices = await ana.autocomplete(world.channel, "checkin tag add", "tags", "slept badly, pl")
    assert choices[0]["value"] == "slept badly, played music", choices

    # Tags stay with their check-in: the retention purge takes them along, /forget too.
    stored = await rows(world, "SELECT user_id, tag FROM checkin_tags ORDER BY user_id, tag")
    assert (ben.id, "played music") in stored and len(stored) == 6
    asked = await ben.slash(world.channel, "forget")
    await ben.click(reply_to(asked).message, label="Delete my data")
    assert await rows(world, "SELECT tag FROM checkin_tags WHERE user_id = ?", ben.id) == []
    # The daily purge passes a year, a month at a time: each advance must settle within
    # simcord's 5 s of wall time, and a year of daily purges in one go may not on a busy box.
    for _ in range(12):
        await world.env.advance_time(31 * 86_400)
    assert await rows(world, "SELECT id FROM checkins") == []
    assert await rows(world, "SELECT tag FROM checkin_tags") == []


async def test_bad_tags_and_nothing_to_tag_say_how_to_fix_it(world: World) -> None:
    ana = world.members[0]
    assert "/checkin now" in await tag(world, ana, "tired")
    await agree(world, ana)
    await answer_now(world, ana, "5")
    assert "Up to 5 tags" in await tag(world, ana, "a, b, c, d, e, f")
    assert "32 characters" in await tag(world, ana, "x" * 40)
    assert "removed" in await tag(world, ana, "")
    assert await rows(world, "SELECT tag FROM checkin_tags") == []


async def setup_tags(world: World, who: MemberActor, action: str, tags: str = "") -> str:
    result = await who.slash(world.channel, "setup tags", action=action, tags=tags)
    assert result.ephemeral
    return reply_to(result).content or ""


async def menu_options(world: World, member: MemberActor) -> tuple[Any, list[Any]]:
    shown = await member.slash(world.channel, "checkin tag pick")
    assert shown.ephemeral, reply_to(shown).content
    [row] = reply_to(shown).message.components
    assert isinstance(row, discord.ActionRow), row
    [menu] = row.children
    assert isinstance(menu, discord.SelectMenu), menu
    return reply_to(shown).message, list(menu.options)


async def test_the_server_defines_its_list_and_members_pick_from_it(world: World) -> None:
    ana, ben = world.members[:2]
    manager = world.manager()
    listed = await setup_tags(world, manager, "list")
    assert "no tag list of its own" in listed and "`slept badly`" in listed, listed
    # Only Manage Server keeps the list (the facilitator role isn't enough).
    refused = await world.facilitator.slash(world.channel, "setup tags", action="add", tags="x")
    assert "Manage Server" in (reply_to(refused).content or "")
    added = await setup_tags(world, manager, "add", "Sang, walked the dog, SANG")
    assert "Added `Sang`, `walked the dog`" in added, added
    assert "(2 of 20)" in added, added

    await agree(world, ana)
    await answer_now(world, ana, "6")
    await tag(world, ana, "my own thing")
    message, options = await menu_options(world, ana)
    # The check-in's tag first (chosen), then the server's list; the built-in list is gone.
    assert [o.label for o in options] == ["my own thing", "Sang", "walked the dog"]
    assert [o.default for o in options] == [True, False, False]
    picked = await ana.select(message, ["Sang", "my own thing"])
    assert "`Sang`, `my own thing`" in (reply_to(picked).content or ""), reply_to(picked).content
    stored = await rows(
        world, "SELECT tag FROM checkin_tags WHERE user_id = ? ORDER BY tag", ana.id
    )
    assert sorted(stored) == [("Sang",), ("my own thing",)]
    choices = await ben.autocomplete(world.channel, "checkin tag add", "tags", "wal")
    assert [c["value"] for c in choices] == ["walked the dog"]

    # Removing a tag from the list leaves members' check-ins as they are.
    removed = await setup_tags(world, manager, "remove", "sang, never there")
    assert "Removed `Sang`" in removed and "(1 of 20)" in removed, removed
    assert len(await rows(world, "SELECT tag FROM checkin_tags WHERE user_id = ?", ana.id)) == 2


async def test_server_list_limits_are_explained(world: World) -> None:
    manager = world.manager()
    long = "x" * 33
    too_long = await manager.slash(world.channel, "setup tags", action="add", tags=long)
    assert "32 characters" in (reply_to(too_long).content or "")
    empty = await manager.slash(world.channel, "setup tags", action="add", tags=" , ")
    assert "at least one tag" in (reply_to(empty).content or "")
    await setup_tags(world, manager, "add", ", ".join(f"tag {i}" for i in range(18)))
    full = await manager.slash(world.channel, "setup tags", action="add", tags="a, b, c")
    assert "up to 20 tags and has 18" in (reply_to(full).content or ""), reply_to(full).content
    assert "(18 of 20)" in await setup_tags(world, manager, "list")
    # Twenty of the server's and the member's own fill the menu up to Discord's 25 options.
    await setup_tags(world, manager, "add", "a, b")
    ana = world.members[0]
    await agree(world, ana)
    for index in range(3):
        await answer_now(world, ana, str(index))
        await tag(world, ana, f"own {index}, own {index + 3}")
    _, options = await menu_options(world, ana)
    # The check-in's 2, the server's 20, then 3 of ana's 4 other own tags: Discord's 25.
    assert len(options) == 25
    assert [o.label for o in options[:2]] == ["own 2", "own 5"]
    assert all(o.default for o in options[:2]) and not any(o.default for o in options[2:])
    assert [o.label for o in options[2:22]] == [f"tag {i}" for i in range(18)] + ["a", "b"]
    assert {o.label for o in options[22:]} < {"own 0", "own 1", "own 3", "own 4"}


async def test_pick_without_a_check_in_says_what_to_do(world: World) -> None:
    ana = world.members[0]
    shown = await ana.slash(world.channel, "checkin tag pick")
    assert shown.ephemeral and "Check in first" in (reply_to(shown).content or "")


async def test_tags_keep_what_was_typed_and_show_it_plainly(world: World) -> None:
    """ "Draußen" stays "Draußen" (not "draussen") and matches "DRAUSSEN"; joined emoji keep
    their joiner; code spans show no backslashes; invisible tricks are still removed."""
    ana = world.members[0]
    await agree(world, ana)
    await answer_now(world, ana, "7")
    flag, yoga = "🏳️\u200d🌈", "🧘\u200d♀️"
    said = await tag(world, ana, f"Draußen, went_outside, {flag}, {yoga}\u200d, tick`s\u200b")
    assert f"`Draußen`, `went_outside`, `{flag}`, `{yoga}`, `` tick`s ``" in said, said
    assert "\\" not in said
    stored = await rows(world, "SELECT tag FROM checkin_tags WHERE user_id = ?", ana.id)
    assert sorted(t for (t,) in stored) == sorted(["Draußen", "went_outside", flag, yoga, "tick`s"])
    await world.env.advance_time(3600)
    await answer_now(world, ana, "3")
    await tag(world, ana, "DRAUSSEN")
    lines = (
        reply_to(await ana.slash(world.channel, "checkin tag mood")).embeds[0].description or ""
    ).splitlines()
    # One line for both spellings (the latest shown): 7 and 3 -> 5.
    assert lines[0] == "**DRAUSSEN**: 5 / 10, 2 check-ins", lines
    choices = await ana.autocomplete(world.channel, "checkin tag add", "tags", "draußen")
    assert [c["value"] for c in choices][:1] == ["DRAUSSEN"], choices


async def test_built_in_suggestions_are_in_the_readers_language(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    manager, ana = world.manager(), world.members[0]
    await manager.slash(world.channel, "setup language", language="de")
    english = await setup_tags(world, manager, "list")  # the manager's client is in English
    assert "`slept badly`" in english, english
    await agree(world, ana)
    await answer_now(world, ana, "4")
    client_language(monkeypatch, manager, "de")
    client_language(monkeypatch, ana, "de")
    listed = await setup_tags(world, manager, "list")
    assert "`schlecht geschlafen`" in listed and "`slept badly`" not in listed, listed
    message, options = await menu_options(world, ana)
    assert "Musik gemacht" in [o.label for o in options], [o.label for o in options]
    picked = await ana.select(message, ["Musik gemacht"])
    assert "`Musik gemacht`" in (reply_to(picked).content or "")
    # Stored as the member picked it.
    assert await rows(world, "SELECT tag FROM checkin_tags WHERE user_id = ?", ana.id) == [
        ("Musik gemacht",)
    ]

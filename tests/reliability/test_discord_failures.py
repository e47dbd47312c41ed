"""Area 6: Discord failing under the bot. The session keeps going, the board comes back when it
is lost, the facilitator is told once when only they can fix it, and no contribution is lost."""

from __future__ import annotations

from typing import Any

import discord

from bot.chorus_bot import ChorusBot
from tests.cogs.test_session_flow import board, open_session
from tests.conftest import World, find_message
from tests.responses import reply_to

ERROR_CODE = "Something went wrong"


def boards(world: World) -> list[discord.Message]:
    return [
        m
        for m in world.channel.history()
        if any("Tuesday circle" in (e.title or "") for e in m.embeds)
    ]


async def reflect(world: World, member: Any, text: str) -> None:
    form = await member.click(find_message(world.channel, "One word"), label="Reflect")
    saved = await member.submit_modal(form, {"answer": text})
    assert "saved" in reply_to(saved).content, reply_to(saved).content


async def reflections(bot: ChorusBot) -> list[str]:
    run = await bot.runner.live_run(1)
    runs = [run] if run else await bot.store.runs.for_session(1)
    texts: list[str] = []
    for r in runs:
        texts += [
            str(c.payload.get("text")) for c in await bot.store.contributions.for_step(r.id, 1)
        ]
    return sorted(texts)


async def to_reflect_step(world: World) -> None:
    await open_session(world)
    for member in world.members:
        await member.click(board(world), label="Join")
    await world.facilitator.slash(world.channel, "activity start", activity="test-flow")
    moved = await world.facilitator.click(board(world), label="Next")
    assert "Step 2" in reply_to(moved).content


def dms(world: World) -> list[str]:
    return [m.content for m in world.facilitator.user.dm_channel.history()]


async def test_rate_limited_board_edits(world: World) -> None:
    await to_reflect_step(world)
    bot = world.bot()
    path = f"/channels/{world.channel.id}/messages/{board(world).id}"
    world.env.inject_error(
        "PATCH", path, status=429, message="You are being rate limited.", times=4
    )
    await reflect(world, world.members[0], "patient")
    await world.members[1].click(board(world), label="Leave")
    await world.env.advance_time(30)
    fields = {f.name: f.value for f in board(world).embeds[0].fields}
    assert "Here now (3)" in fields, fields
    assert await reflections(bot) == ["patient"]
    assert len(boards(world)) == 1 and not dms(world)
    print("discord failures: 429 x4 on board edits -> board caught up, 1/1 reflection kept")


async def test_server_error_on_a_step_post(world: World) -> None:
    await open_session(world)
    ana = world.members[0]
    await ana.click(board(world), label="Join")
    await world.facilitator.slash(world.channel, "activity start", activity="test-flow")
    # Six 500s outlast discord.py's own five tries at the step message.
    world.env.inject_error("POST", f"/channels/{world.channel.id}/messages", status=500, times=6)
    moved = await world.facilitator.click(board(world), label="Next")
    assert "Step 2 of 4" in reply_to(moved).content and ERROR_CODE not in reply_to(moved).content
    await world.env.settle()
    step = find_message(world.channel, "One word")  # posted by the retry, once
    assert sum(1 for m in world.channel.history() if m.id == step.id) == 1
    assert (
        sum(1 for m in world.channel.history() for e in m.embeds if "One word" in (e.title or ""))
        == 1
    )
    await reflect(world, ana, "steady")
    assert await reflections(world.bot()) == ["steady"]
    assert not dms(world)
    print("discord failures: 500 x6 on a step post -> step posted once on retry, no error shown")


async def test_missing_permissions_tell_the_facilitator_once(world: World) -> None:
    await to_reflect_step(world)
    bot = world.bot()
    channel = world.channel.id
    world.env.inject_error(
        "PATCH",
        f"/channels/{channel}/messages/*",
        status=403,
        code=50013,
        message="Missing Permissions",
        times=None,
    )
    world.env.inject_error(
        "POST",
        f"/channels/{channel}/messages",
        status=403,
        code=50013,
        message="Missing Permissions",
        times=None,
    )
    await reflect(world, world.members[0], "quiet")
    await reflect(world, world.members[1], "here")
    await world.env.advance_time(61)  # the auto step moves on, though nothing can be shown
    await world.members[2].click(board(world), label="Leave")
    run = await bot.runner.live_run(1)
    assert run is not None and run.step_index == 2
    told = dms(world)
    assert len(told) == 1 and "Send Messages" in told[0] and "Tuesday circle" in told[0]
    patches = sum(1 for r in world.env.http_requests if r.method == "PATCH")
    assert patches < 20, f"no retry storm while forbidden ({patches} edits)"
    world.env.backend.faults.clear()  # a moderator gives the permissions back
    await world.members[2].click(board(world), label="Join")
    assert find_message(world.channel, "Breathe together") is not None
    assert await reflections(bot) == ["here", "quiet"]
    assert len(dms(world)) == 1
    print(
        f"discord failures: 50013 on every post and edit -> 1 DM to the facilitator, "
        f"{patches} edit attempts, session moved on, 2/2 reflections kept, step posted after"
    )


async def test_board_deleted_by_a_moderator_is_posted_again(world: World) -> None:
    await to_reflect_step(world)
    bot = world.bot()
    mods = world.guild.create_role("Mods", permissions=discord.Permissions(manage_messages=True))
    mod = world.guild.add_member(world.env.create_user("mod"), roles=[mods])
    first = board(world)
    await mod.delete(first)
    joined = await mod.slash(world.channel, "session join")
    assert "You've joined" in reply_to(joined).content
    await world.env.settle()
    second = board(world)
    assert second.id != first.id and len(boards(world)) == 1
    # Discord answering 10008 Unknown Message on the edit counts as deleted too.
    world.env.inject_error(
        "PATCH",
        f"/channels/{world.channel.id}/messages/{second.id}",
        status=404,
        code=10008,
        message="Unknown Message",
        times=1,
    )
    await reflect(world, world.members[0], "still here")
    await world.members[1].click(second, label="Leave")
    await world.env.settle()
    third = board(world)
    assert third.id not in (first.id, second.id)
    session = await bot.store.sessions.get(1)
    assert session is not None and session.board_message_id == third.id
    click = await world.members[1].click(third, label="Join")
    assert "You've joined" in reply_to(click).content
    assert await reflections(bot) == ["still here"]
    assert not dms(world)
    print("discord failures: board deleted (moderator, then 10008) -> re-posted 2/2, buttons work")

"""Sessions keep to themselves, survive their channel going away, and explain missing permissions."""

from __future__ import annotations

import discord

from tests.cogs.test_session_flow import board, open_session
from tests.conftest import World, find_message
from tests.responses import reply_to


async def test_two_sessions_in_two_channels_run_independently(world: World) -> None:
    other = world.guild.create_text_channel("second-circle")
    await open_session(world)
    result = await world.facilitator.slash(other, "session start", title="Second group")
    assert "is open" in reply_to(result).content
    again = await world.facilitator.slash(world.channel, "session start", title="Dup")
    assert "already open in this channel" in reply_to(again).content

    await world.members[0].click(board(world), label="Join")
    await world.members[1].click(find_message(other, "Second group"), label="Join")
    await world.facilitator.slash(world.channel, "activity start", activity="test-flow")
    bot = world.bot()
    first = await bot.store.sessions.open_in_channel(world.channel.id)
    second = await bot.store.sessions.open_in_channel(other.id)
    assert first is not None and second is not None
    assert [a.user_id for a in await bot.store.sessions.present(first.id)] == [
        world.facilitator.id,
        world.members[0].id,
    ]
    assert await bot.runner.live_run(second.id) is None
    ended = await world.facilitator.slash(other, "session end")
    assert "Second group" in (reply_to(ended).embeds[0].title or "")
    assert await bot.runner.live_run(first.id) is not None


async def test_deleting_the_channel_ends_its_session_cleanly(world: World) -> None:
    await open_session(world)
    await world.facilitator.slash(world.channel, "activity start", activity="test-flow")
    world.env.backend.delete_channel(world.channel.id)
    await world.env.settle()
    bot = world.bot()
    session = await bot.store.sessions.get(1)
    assert session is not None and session.status == "ended"
    assert await bot.runner.live_run(1) is None
    attendance = await bot.store.sessions.attendance(1)
    assert all(a.left_at is not None for a in attendance)


async def test_missing_send_permission_is_named_once(world: World) -> None:
    locked = world.guild.create_text_channel(
        "locked",
        overwrites={world.guild.default_role: discord.PermissionOverwrite(send_messages=False)},
    )
    result = await world.facilitator.slash(locked, "session start", title="Quiet room")
    assert result.ephemeral
    assert "Send Messages" in reply_to(result).content and "Embed Links" in reply_to(result).content
    bot = world.bot()
    assert await bot.store.sessions.open_in_channel(locked.id) is None
    assert world.facilitator.user.dm_channel.history() == []  # told once, in the reply only


async def test_losing_permission_mid_session_tells_the_facilitator_once(world: World) -> None:
    await open_session(world)
    path = f"/channels/{world.channel.id}/messages"
    world.env.inject_error(
        "POST", path, status=403, code=50013, message="Missing Permissions", times=2
    )
    await world.facilitator.slash(world.channel, "activity start", activity="test-flow")
    await world.facilitator.click(board(world), label="Next")
    dms = world.facilitator.user.dm_channel.history()
    assert len(dms) == 1
    assert "Send Messages" in dms[0].content and "Tuesday circle" in dms[0].content
    # The session carries on: the missed step is posted once permission is back.
    await world.members[0].click(board(world), label="Join")
    assert find_message(world.channel, "One word") is not None
    await world.facilitator.click(board(world), label="Next")
    assert find_message(world.channel, "Breathe together") is not None


async def test_history_list_info_and_autocomplete(world: World) -> None:
    await open_session(world)
    await world.facilitator.slash(world.channel, "activity start", activity="test-flow")
    await world.facilitator.slash(world.channel, "session end")
    history = await world.facilitator.slash(world.channel, "session history")
    text = reply_to(history).embeds[0].description or ""
    assert history.ephemeral and "Tuesday circle" in text and "Test flow" in text
    refused = await world.members[0].slash(world.channel, "session history")
    assert "Only facilitators" in reply_to(refused).content

    listing = await world.members[0].slash(world.channel, "activity list", tag="songwriting")
    body = reply_to(listing).embeds[0].description or ""
    assert "Lyric circle" in body and "Rhythm and breath" not in body

    first = await world.members[0].slash(world.channel, "activity list")
    footer = reply_to(first).embeds[0].footer.text or ""
    assert footer.startswith("Page 1 of ")
    second = await world.members[0].slash(world.channel, "activity list", page=2)
    first_ids = set((reply_to(first).embeds[0].description or "").split("`")[1::2])
    second_ids = set((reply_to(second).embeds[0].description or "").split("`")[1::2])
    assert first_ids and second_ids and not first_ids & second_ids

    member_info = await world.members[0].slash(
        world.channel, "activity info", activity="lyric-circle"
    )
    names = [f.name for f in reply_to(member_info).embeds[0].fields]
    assert "Steps" in names and "Facilitator notes" not in names
    fac_info = await world.facilitator.slash(
        world.channel, "activity info", activity="lyric-circle"
    )
    assert "Facilitator notes" in [f.name for f in reply_to(fac_info).embeds[0].fields]

    choices = await world.facilitator.autocomplete(
        world.channel, "activity start", "activity", "lyr"
    )
    assert choices and choices[0]["value"] == "lyric-circle"
    missing = await world.facilitator.slash(world.channel, "activity info", activity="nope")
    assert "no activity called `nope`" in reply_to(missing).content

"""A member leaving the server and coming back, through the real bot under simcord: a return
within the leave grace keeps their data, the database refusing a leave or a return is said at
WARNING and made good later (from the next purge's look at the server's member list), and only
the server's own sessions are read."""

from __future__ import annotations

import logging

import pytest

from bot.chorus_bot import ChorusBot
from tests.conftest import World, open_session
from tests.reliability.test_storage_trouble import set_read_only
from tests.responses import reply_to

DAY = 86400


async def left_at(bot: ChorusBot, guild_id: int, user_id: int) -> float | None:
    """When the store has the member leaving the server (None: still here)."""
    member = await bot.store.members.get(guild_id, user_id)
    assert member is not None, "the member has a stored row"
    return member.left_guild_at


async def test_a_leave_the_database_refused_is_marked_by_the_next_purge(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """ana leaves while the database can't be written: no member-leaving listener lets the
    refusal escape (the `env` fixture fails the test on one), each says at WARNING what happens
    next, and the purge a minute after the start finds her missing from the server's member
    list and marks her then, so her data still goes after the leave grace. ben, still in the
    server, is left alone. Before: the refusals escaped and her mark was lost for good."""
    ana, ben, _ = world.members
    await open_session(world, joining=(ana, ben))
    bot = world.bot()
    caplog.set_level(logging.WARNING, logger="chorus")
    await set_read_only(bot, True)
    world.guild.remove_member(ana)
    await world.env.settle()
    await set_read_only(bot, False)
    assert await left_at(bot, world.guild.id, ana.id) is None  # not marked yet
    warned = {
        record.name: record.getMessage()
        for record in caplog.records
        if record.levelno == logging.WARNING
        and f"member {ana.id} left server" in record.getMessage()
    }
    assert set(warned) == {"chorus.privacy", "chorus.sessions", "chorus.checkin_schedule"}
    assert "the next purge" in warned["chorus.privacy"]
    await world.env.advance_time(61)  # the first purge, a minute after the start
    marked = await left_at(bot, world.guild.id, ana.id)
    assert marked is not None
    assert await left_at(bot, world.guild.id, ben.id) is None
    await world.env.advance_time(31 * DAY)  # past the leave grace: her data goes
    assert await bot.store.members.get(world.guild.id, ana.id) is None
    assert await left_at(bot, world.guild.id, ben.id) is None


def open_sessions_read(statements: list[str]) -> list[str]:
    """The statements reading open sessions (SQLite's trace shows each with its values)."""
    return [s for s in statements if "FROM sessions" in s and "status = 'open'" in s]


async def test_leaving_and_forgetting_read_only_their_servers_sessions(world: World) -> None:
    """Members leave servers and use /forget all day: each reads its own server's open
    sessions, never every server's. Before: both read every open session and filtered."""
    ana, ben, _ = world.members
    await open_session(world, joining=(ana, ben))
    bot = world.bot()
    elsewhere = world.guild.id + 1  # another server's open session, which stays unread
    await bot.sessions.open(
        guild_id=elsewhere, channel_id=elsewhere, title="Their circle", facilitator_id=1
    )
    statements: list[str] = []
    await bot.store.db.conn.set_trace_callback(statements.append)
    try:
        world.guild.remove_member(ana)
        await world.env.settle()
        asked = await ben.slash(world.channel, "forget")
        forgot = await ben.click(reply_to(asked).message, label="Delete my data")
    finally:
        # As in test_round_leaving: sqlite3 takes None to remove the callback.
        await bot.store.db.conn.set_trace_callback(None)  # type: ignore[arg-type]
    assert "Done" in (reply_to(forgot).content or "")
    own = await bot.sessions.in_channel(world.channel.id)
    assert [a.user_id for a in await bot.sessions.present(own)] == [world.facilitator.id]
    read = open_sessions_read(statements)
    assert len(read) == 2, statements  # one when ana left, one when ben was forgotten
    for statement in read:
        assert statement.split(" WHERE ", 1)[1].startswith(f"guild_id = {world.guild.id} ")


async def test_a_purge_the_database_refuses_is_tried_again_within_the_hour(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """The database is still unavailable at the first purge: a warning (not an error with a
    traceback), and the purge is tried again an hour later, not a day, so the lost leave mark
    waits an hour. Before: logged as an error and tried again the next day."""
    ana = world.members[0]
    await open_session(world, joining=(ana,))
    bot = world.bot()
    caplog.set_level(logging.WARNING, logger="chorus")
    await set_read_only(bot, True)
    world.guild.remove_member(ana)
    await world.env.settle()
    await world.env.advance_time(61)  # the first purge, refused
    await set_read_only(bot, False)
    assert "purge: the database is unavailable" in caplog.text
    assert await left_at(bot, world.guild.id, ana.id) is None
    await world.env.advance_time(3600)
    assert await left_at(bot, world.guild.id, ana.id) is not None


async def test_a_member_who_comes_back_within_the_grace_keeps_their_data(world: World) -> None:
    """ana leaves the server and joins it again a week later without joining a session or
    writing anything: her leave mark goes at once, and the purges past the leave grace keep
    her data. Before: only a session or a lyric line cleared the mark, and her data went."""
    ana, ben, _ = world.members
    await open_session(world, joining=(ana, ben))
    bot = world.bot()
    world.guild.remove_member(ana)
    await world.env.settle()
    assert await left_at(bot, world.guild.id, ana.id) is not None
    await world.env.advance_time(7 * DAY)
    world.guild.add_member(ana.user)
    await world.env.settle()
    assert await left_at(bot, world.guild.id, ana.id) is None
    await world.env.advance_time(31 * DAY)  # past the leave grace, many purges later
    assert await left_at(bot, world.guild.id, ana.id) is None


async def test_a_return_the_database_refused_is_seen_by_the_next_purge(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """ana comes back while the database can't be written: the listener says so at WARNING
    (nothing escapes), and the purge a minute after the start finds her in the server's member
    list and clears her mark before it deletes anything, so her data stays past the grace.
    ben, who left and stays away, keeps his mark. Before: nothing noticed her return, and her
    data went after the grace."""
    ana, ben, _ = world.members
    await open_session(world, joining=(ana, ben))
    bot = world.bot()
    world.guild.remove_member(ana)
    world.guild.remove_member(ben)
    await world.env.settle()
    caplog.set_level(logging.WARNING, logger="chorus")
    await set_read_only(bot, True)
    world.guild.add_member(ana.user)
    await world.env.settle()
    await set_read_only(bot, False)
    assert await left_at(bot, world.guild.id, ana.id) is not None  # not cleared yet
    warned = [
        record
        for record in caplog.records
        if record.levelno == logging.WARNING
        and f"member {ana.id} joined server {world.guild.id}" in record.getMessage()
    ]
    assert [record.name for record in warned] == ["chorus.privacy"]
    assert "the next purge" in warned[0].getMessage()
    await world.env.advance_time(61)  # the first purge, a minute after the start
    assert await left_at(bot, world.guild.id, ana.id) is None
    assert await left_at(bot, world.guild.id, ben.id) is not None
    await world.env.advance_time(31 * DAY)  # past the leave grace: only ben's data goes
    assert await left_at(bot, world.guild.id, ana.id) is None
    assert await bot.store.members.get(world.guild.id, ben.id) is None

"""Two processes on one PostgreSQL and one session board: while another process holds the claim
to post it (found deleted, or not posted yet), this bot doesn't post a second one; when that
post failed (the claim released) or its process died (the claim lapsed), this bot posts it,
once. The real bot through simcord on PostgreSQL; the other process is a second Store on the
same database making the same claims its LiveMessages would (simcord runs one bot per loop)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest

from bot.settings import Settings
from bot.store.sessions import BOARD_CLAIM_SECONDS
from bot.store.store import Store
from tests.cogs.test_session_flow import board, open_session
from tests.conftest import World, open_store, settings_on
from tests.engines import TestDatabase
from tests.reliability.test_discord_failures import boards
from tests.responses import reply_to


@pytest.fixture
def settings(tmp_path: Path, postgres: TestDatabase) -> Settings:
    return settings_on(tmp_path, postgres.url)


@pytest.fixture
async def other(settings: Settings) -> AsyncIterator[Store]:
    """The other process's store on the same PostgreSQL database."""
    assert settings.database_url is not None
    async with open_store(settings.database_url) as store:
        yield store


async def test_a_deleted_board_is_posted_again_by_one_process_only(
    world: World, other: Store
) -> None:
    ana, ben, _ = world.members
    bot = world.bot()
    await open_session(world)
    first = board(world)
    session = await bot.sessions.in_channel(world.channel.id)
    mods = world.guild.create_role("Mods", permissions=discord.Permissions(manage_messages=True))
    mod = world.guild.add_member(world.env.create_user("mod"), roles=[mods])
    await mod.delete(first)
    # The other process found it deleted first and is posting it now.
    assert await other.sessions.claim_board(session.id, first.id, bot.clock().timestamp())
    joined = await ana.slash(world.channel, "session join")
    assert "You've joined" in reply_to(joined).content
    await world.env.settle()
    assert boards(world) == []  # this process saw the claim: no second board
    # The other process's post failed (it released the claim): the next change posts it here.
    await other.sessions.release_board(session.id)
    joined = await ben.slash(world.channel, "session join")
    assert "You've joined" in reply_to(joined).content
    await world.env.settle()
    [second] = boards(world)
    saved = await other.sessions.get(session.id)
    assert saved is not None and saved.board_message_id == second.id
    # ...and it works: its buttons answer.
    left = await ben.click(second, label="Leave")
    assert "You've left" in reply_to(left).content
    assert len(boards(world)) == 1


async def test_a_claim_whose_process_died_lapses_and_the_board_is_posted_once(
    world: World, other: Store
) -> None:
    ana, ben, _ = world.members
    bot = world.bot()
    await open_session(world)
    first = board(world)
    session = await bot.sessions.in_channel(world.channel.id)
    mods = world.guild.create_role("Mods", permissions=discord.Permissions(manage_messages=True))
    mod = world.guild.add_member(world.env.create_user("mod"), roles=[mods])
    await mod.delete(first)
    assert await other.sessions.claim_board(session.id, first.id, bot.clock().timestamp())
    # ...and the other process dies before posting. Within the hold, nothing is posted here.
    await ana.slash(world.channel, "session join")
    await world.env.settle()
    assert boards(world) == []
    await world.env.advance_time(BOARD_CLAIM_SECONDS + 1)
    await ben.slash(world.channel, "session join")
    await world.env.settle()
    assert len(boards(world)) == 1
    await ben.slash(world.channel, "session leave")
    await world.env.settle()
    assert len(boards(world)) == 1

"""A cog's commands under another cog's group: attached and detached by name, refused with a
clear message when the group isn't there yet (a cog loaded too early)."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot.cogs.controls import loaded_cog
from bot.cogs.subcommands import attach, detach


async def _noop(interaction: discord.Interaction) -> None:
    pass


def _bot() -> commands.Bot:
    bot = commands.Bot(command_prefix=[], intents=discord.Intents.none())
    bot.tree.add_command(app_commands.Group(name="session", description="Sessions"))
    return bot


def _command(name: str) -> app_commands.Command[Any, ..., None]:
    return app_commands.Command(name=name, description=name, callback=_noop)


def test_subcommands_are_attached_and_detached_by_name() -> None:
    bot = _bot()
    attach(bot, "session", _command("upcoming"), _command("calendar"), loader="tests")
    group = bot.tree.get_command("session")
    assert isinstance(group, app_commands.Group)
    assert sorted(c.name for c in group.commands) == ["calendar", "upcoming"]
    detach(bot, "session", "upcoming")
    assert [c.name for c in group.commands] == ["calendar"]
    detach(bot, "nothing", "upcoming")  # a group already gone: nothing to do


def test_a_cog_loaded_before_the_group_it_extends_is_refused() -> None:
    with pytest.raises(RuntimeError, match=r"bot\.cogs\.example must load after the /checkin"):
        attach(_bot(), "checkin", _command("notice"), loader="bot.cogs.example")


class _Cog(commands.Cog):
    pass


async def test_a_cog_is_found_by_its_class_and_a_missing_one_is_a_wiring_error() -> None:
    bot = _bot()
    with pytest.raises(RuntimeError, match="_Cog is not loaded"):
        loaded_cog(bot, _Cog)
    cog = _Cog()
    await bot.add_cog(cog)
    assert loaded_cog(bot, _Cog) is cog

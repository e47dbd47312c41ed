"""What every cog module declares the same way: its `setup` (discord.py's extension entry point)
and its top-level slash-command group."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from discord import app_commands
from discord.ext import commands

from bot.chorus_bot import ChorusBot

Setup = Callable[[commands.Bot], Coroutine[Any, Any, None]]


def cog_setup(cog: Callable[[ChorusBot], commands.Cog]) -> Setup:
    """The `setup` discord.py calls when it loads a cog's module (`ChorusBot.load_extension`):
    it adds `cog(bot)`. The setup raises AssertionError for a bot that isn't the `ChorusBot`."""

    async def setup(bot: commands.Bot) -> None:
        assert isinstance(bot, ChorusBot)
        await bot.add_cog(cog(bot))

    return setup


def server_group(name: str, description: str) -> app_commands.Group:
    """A cog's top-level command group `/name` (Discord shows `description`, up to 100
    characters), offered only in servers: every Chorus command acts on a server's sessions,
    members or settings."""
    return app_commands.Group(name=name, description=description, guild_only=True)

"""A cog module's `setup`, discord.py's extension entry point: the same for every cog."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

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

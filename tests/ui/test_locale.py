"""Which language an answer is in: the server's for public posts, the member's client language
for private replies (else the server's), and the server settings found on the client that
received an interaction (the ChorusBot's; none on any other client)."""

from __future__ import annotations

import discord

from bot.ui.locale import server_language, server_settings
from tests.conftest import World


async def test_the_chorus_bot_holds_the_server_settings_a_bare_client_none(world: World) -> None:
    bot = world.bot()
    assert server_settings(bot) is bot.guild_settings
    assert server_settings(discord.Client(intents=discord.Intents.none())) is None


async def test_public_posts_use_the_servers_language(world: World) -> None:
    bot = world.bot()
    assert server_language(bot.guild_settings, world.guild.id) == "en"
    await world.manager().slash(world.channel, "setup language", language="de")
    assert server_language(bot.guild_settings, world.guild.id) == "de"

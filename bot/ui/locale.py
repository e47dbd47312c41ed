"""Which language an interaction's answer is in (see bot/i18n.py for the rule)."""

from __future__ import annotations

import discord

from bot.core.guild_settings import GuildSettingsService
from bot.i18n import private_language, public_language


def server_language(settings: GuildSettingsService, guild_id: int | None) -> str:
    """The language of public posts in this server (step cards, the board, summaries)."""
    return public_language(settings.for_guild(guild_id).language)


def reply_language(
    settings: GuildSettingsService, interaction: discord.Interaction, guild_id: int | None = None
) -> str:
    """The language of a private reply: the member's client language if shipped, else the
    server's (``guild_id``'s when given: a button in a DM belongs to a server the interaction
    doesn't name)."""
    server = guild_id if guild_id is not None else interaction.guild_id
    return private_language(interaction.locale.value, settings.for_guild(server).language)


def member_language(interaction: discord.Interaction) -> str:
    """The language of a private reply when only the interaction is at hand (the error path):
    the member's client language if shipped, else the server's from the bot's settings, else
    English. ``interaction.client`` is the ChorusBot, whose ``guild_settings`` holds the server
    language; any other client (a bare discord.py one in a test) counts as a server without one.
    """
    settings = getattr(interaction.client, "guild_settings", None)
    server = (
        settings.for_guild(interaction.guild_id).language
        if isinstance(settings, GuildSettingsService)
        else None
    )
    return private_language(interaction.locale.value, server)

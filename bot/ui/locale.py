"""Which language an interaction's answer is in (see bot/i18n.py for the rule)."""

from __future__ import annotations

import discord

from bot.core.guild_settings import GuildSettingsService
from bot.i18n import private_language, public_language


def server_language(settings: GuildSettingsService, guild_id: int | None) -> str:
    """The language of public posts in this server (step cards, the board, summaries)."""
    return public_language(settings.for_guild(guild_id).language)


def reply_language(settings: GuildSettingsService, interaction: discord.Interaction) -> str:
    """The language of a private reply: the member's client language if shipped, else the server's."""
    return private_language(
        interaction.locale.value, settings.for_guild(interaction.guild_id).language
    )

"""Which language an interaction's answer is in (see bot/i18n/languages.py for the rule)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

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


@runtime_checkable
class WithServerSettings(Protocol):
    """A client that holds each server's settings (`ChorusBot` is one)."""

    guild_settings: GuildSettingsService
    """Each server's settings (its language among them)."""


def server_settings(client: discord.Client) -> GuildSettingsService | None:
    """The server settings of `client` when it holds them (the ChorusBot), else None (any other
    client, e.g. a bare discord.py one in a test)."""
    return client.guild_settings if isinstance(client, WithServerSettings) else None


def member_language(interaction: discord.Interaction) -> str:
    """The language of a private reply when only the interaction is at hand (the error path):
    the member's client language if shipped, else the server's from the bot's settings
    (`server_settings`), else English (a client without server settings counts as a server
    without a language)."""
    settings = server_settings(interaction.client)
    server = settings.for_guild(interaction.guild_id).language if settings is not None else None
    return private_language(interaction.locale.value, server)

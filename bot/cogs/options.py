"""Slash-command option pieces several cogs share: what an autocomplete returns, and the one
time-zone autocomplete (/setup timezone, /checkin schedule set)."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.core.time_zones import timezone_choices

TextChoices = list[app_commands.Choice[str]]
"""What a text option's autocomplete returns (Discord shows at most 25)."""
IdChoices = list[app_commands.Choice[int]]
"""What an id option's autocomplete returns (Discord shows at most 25)."""


async def time_zones(interaction: discord.Interaction, current: str) -> TextChoices:
    """Autocomplete (discord.py calls it with the interaction and the text typed so far): IANA
    time zones containing `current`, at most 25."""
    return [app_commands.Choice(name=n, value=n) for n in timezone_choices(current)]

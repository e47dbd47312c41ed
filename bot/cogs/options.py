"""Slash-command option pieces several cogs share: what an autocomplete returns, the one
time-zone autocomplete (/setup timezone, /checkin schedule set), and the closed-group options'
descriptions (/session start, /session schedule create)."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.core.time_zones import timezone_choices

TextChoices = list[app_commands.Choice[str]]
"""What a text option's autocomplete returns (Discord shows at most 25)."""
IdChoices = list[app_commands.Choice[int]]
"""What an id option's autocomplete returns (Discord shows at most 25)."""

CLOSED_GROUP = {
    "capacity": "At most this many members (a closed group); further Join presses wait in line",
    "role": "Only members with this role can join",
    "invite_only": "Members press Join to ask; you let them in from the board's Manage button",
}
"""What Discord shows under a command's closed-group options (`SessionLimits`), by option name:
`app_commands.describe(**CLOSED_GROUP)`."""


async def time_zones(interaction: discord.Interaction, current: str) -> TextChoices:
    """Autocomplete (discord.py calls it with the interaction and the text typed so far): IANA
    time zones containing `current`, at most 25."""
    return [app_commands.Choice(name=n, value=n) for n in timezone_choices(current)]

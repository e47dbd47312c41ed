"""Slash-command option pieces several cogs share: what an autocomplete returns, the one
time-zone autocomplete (/setup timezone, /checkin schedule set), a session's title option and
the closed-group options (/session start, /session schedule create)."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.core.session import CAPACITY_MAX, TITLE_MAX, SessionLimits
from bot.core.time_zones import timezone_choices

TextChoices = list[app_commands.Choice[str]]
"""What a text option's autocomplete returns (Discord shows at most 25)."""
IdChoices = list[app_commands.Choice[int]]
"""What an id option's autocomplete returns (Discord shows at most 25)."""

SessionTitle = app_commands.Range[str, 1, TITLE_MAX]
"""A session's title option (/session start, /session schedule create and edit): as long as core
keeps a title."""

Capacity = app_commands.Range[int, 1, CAPACITY_MAX]
"""The closed-group option `capacity`: a cap on places, as core allows it."""

CLOSED_GROUP = {
    "capacity": "At most this many members (a closed group); further Join presses wait in line",
    "role": "Only members with this role can join",
    "invite_only": "Members press Join to ask; you let them in from the board's Manage button",
}
"""What Discord shows under a command's closed-group options (`SessionLimits`), by option name:
`app_commands.describe(**CLOSED_GROUP)`."""


def closed_group(
    capacity: int | None, role: discord.Role | None, invite_only: bool
) -> SessionLimits:
    """The closed-group options as a session's limits (none given: open to anyone)."""
    return SessionLimits(capacity, role.id if role else None, invite_only)


async def time_zones(interaction: discord.Interaction, current: str) -> TextChoices:
    """Autocomplete (discord.py calls it with the interaction and the text typed so far): IANA
    time zones containing `current`, at most 25."""
    return [app_commands.Choice(name=n, value=n) for n in timezone_choices(current)]

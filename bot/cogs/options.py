"""Slash-command option pieces several cogs share: what an autocomplete returns, the one
time-zone autocomplete (/setup timezone, /checkin schedule set), the activity options and their
autocompletes (/activity, /session schedule's plan), a session's title option and the
closed-group options (/session start, /session schedule create), and how far back a member's
check-in history reaches."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.chorus_bot import ChorusBot
from bot.core.activities import localize
from bot.core.session import CAPACITY_MAX, TITLE_MAX, SessionLimits
from bot.core.time_zones import timezone_choices
from bot.i18n import _
from bot.ui import limits
from bot.ui.locale import member_language

TextChoices = list[app_commands.Choice[str]]
"""What a text option's autocomplete returns (Discord shows at most 25)."""
IdChoices = list[app_commands.Choice[int]]
"""What an id option's autocomplete returns (Discord shows at most 25)."""
AnyChoices = list[app_commands.Choice[int | float | str]]
"""What a `Transformer`'s autocomplete returns (discord.py types the values so); at most 25."""

SessionTitle = app_commands.Range[str, 1, TITLE_MAX]
"""A session's title option (/session start, /session schedule create and edit): as long as core
keeps a title."""

Capacity = app_commands.Range[int, 1, CAPACITY_MAX]
"""The closed-group option `capacity`: a cap on places, as core allows it."""

DaysBack = app_commands.Range[int, 1, 3650]
"""How far back a member's own check-in history reaches, in days (/checkin history, /checkin tag
mood): up to ten years; each command defaults to 90."""
DAYS_BACK = "How many days back (default 90)"
"""What Discord shows under a `DaysBack` option."""

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


class Autocompleted(app_commands.Transformer[ChorusBot]):
    """An option whose value the command takes as Discord sends it (its checks are the
    command's), declared by its type so that every command using it offers the same
    autocomplete: a subclass's `autocomplete`. discord.py reads the option's type (text by
    default), autocomplete and the absence of ranges from the transformer, as from a plain
    annotated option."""

    async def transform(self, interaction: discord.Interaction[ChorusBot], value: Any, /) -> Any:
        """`value` unchanged (text or a number, as the option's type says)."""
        return value


class ActivitySearch(Autocompleted):
    """An activity's id (/activity info, start, export and copy, /session schedule's plan): the
    autocomplete offers the server's activities whose id or title holds the text typed."""

    async def autocomplete(
        self, interaction: discord.Interaction[ChorusBot], value: int | float | str, /
    ) -> AnyChoices:
        """Those starting with `value` first, then by title (`GuildLibrary.search`), each named
        with its title and length in minutes in the member's language; at most 25."""
        locale = member_language(interaction)
        return [
            app_commands.Choice(
                name=limits.choice_name(
                    _(
                        "{title} ({minutes} min)",
                        locale,
                        title=localize(activity.title, locale),
                        minutes=activity.duration_minutes,
                    )
                ),
                value=activity.id,
            )
            for activity in interaction.client.library.search(
                interaction.guild_id, str(value), locale
            )
        ]


class OwnActivitySearch(Autocompleted):
    """The id of one of the server's own activities, uploaded or copied (/activity delete and
    versions): the autocomplete offers those ids holding the text typed."""

    async def autocomplete(
        self, interaction: discord.Interaction[ChorusBot], value: int | float | str, /
    ) -> AnyChoices:
        """The server's own activity ids containing `value` (ignoring case), sorted; at most
        25."""
        needle = str(value).casefold().strip()
        own = interaction.client.library.own_ids(interaction.guild_id or 0)
        found = [i for i in own if needle in i][:25]
        return [app_commands.Choice(name=i, value=i) for i in found]


ActivityId = app_commands.Transform[str, ActivitySearch]
"""An activity option: its id as typed, with `ActivitySearch`'s autocomplete."""
OwnActivityId = app_commands.Transform[str, OwnActivitySearch]
"""An option naming one of the server's own activities, with `OwnActivitySearch`'s
autocomplete."""

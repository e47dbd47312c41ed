"""/session calendar: the server's scheduled sessions as an .ics file for members' calendars.

Attached to the sessions cog's /session group in cog_load (like /session schedule).
"""

from __future__ import annotations

import io
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs import controls
from bot.cogs.access import require_guild
from bot.cogs.extension import cog_setup
from bot.cogs.subcommands import attach, detach
from bot.core.calendar import SessionCalendar
from bot.ui import calendar as ui
from bot.ui.locale import member_language, server_language


class CalendarCog(commands.Cog):
    """The .ics export of scheduled sessions."""

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        self.calendar: SessionCalendar = bot.calendar
        self.command: app_commands.Command[Any, Any, Any] = app_commands.Command(
            name="calendar",
            description="Scheduled sessions as a calendar file (.ics) for your own calendar",
            callback=_calendar_callback,
        )

    async def cog_load(self) -> None:
        """Adds this cog's command to the /session group (SessionsCog's)."""
        attach(self.bot, "session", self.command, loader=__name__)

    async def cog_unload(self) -> None:
        """Takes this cog's command out of the /session group again."""
        detach(self.bot, "session", self.command.name)

    def _place(self, guild_id: int) -> Any:
        guild = self.bot.get_guild(guild_id)

        def place(channel_id: int, voice_channel_id: int | None) -> str | None:
            channel = guild.get_channel(voice_channel_id or channel_id) if guild else None
            return f"#{channel.name}" if channel is not None else None

        return place

    async def send_calendar(self, interaction: discord.Interaction) -> None:
        """/session calendar: the server's scheduled series as an `.ics` file, privately."""
        guild_id, _unused = require_guild(interaction)
        await controls.defer_private(interaction)
        guild = interaction.guild
        name = guild.name if guild is not None else "Chorus"
        zone = self.bot.guild_settings.for_guild(guild_id).timezone
        language = server_language(self.bot.guild_settings, guild_id)
        entries = await self.calendar.entries(guild_id, self._place(guild_id), language)
        data = self.calendar.render(guild_id, name, zone, entries, language)
        reader = member_language(interaction)
        await controls.answer_deferred(
            interaction,
            content=ui.calendar_text(len(entries), zone, reader),
            file=discord.File(io.BytesIO(data), filename=ui.file_name(reader)) if entries else None,
        )


async def _calendar_callback(interaction: discord.Interaction) -> None:
    """/session calendar, answered by the loaded `CalendarCog.send_calendar`."""
    await controls.loaded_cog(interaction.client, CalendarCog).send_calendar(interaction)


setup = cog_setup(CalendarCog)

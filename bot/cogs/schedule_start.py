"""The Start button under the board of a session the schedule opened."""

from __future__ import annotations

import discord
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs import controls
from bot.cogs.extension import cog_setup
from bot.ui.locale import server_language
from bot.ui.schedule_events import StartButton, opening_closed

NONE = discord.AllowedMentions.none()


class ScheduleStartCog(commands.Cog):
    """A facilitator presses Start: they join, and the planned activity (if any) begins."""

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        bot.register_family(StartButton, self.on_start)

    async def on_start(self, interaction: discord.Interaction, item: StartButton) -> None:
        """Start (facilitators): the scheduled session's plan starts now."""
        controls.facilitator_only(interaction)
        started = await self.bot.schedule.start(
            item.occurrence_id, interaction.user.id, interaction.user.display_name
        )
        await interaction.response.edit_message(
            # The message is public, under the board: the server's language.
            content=opening_closed(
                started.series.title,
                "started",
                server_language(self.bot.guild_settings, interaction.guild_id),
            ),
            view=None,
            allowed_mentions=NONE,
        )
        if started.update is not None:
            await self.bot.live.apply(started.update)
        else:
            self.bot.live.request_board(started.session.id)


setup = cog_setup(ScheduleStartCog)

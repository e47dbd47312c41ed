"""/remind me: a DM before scheduled sessions a member marked Interested."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs.access import require_guild
from bot.core.reminders import DEFAULT_MINUTES, MAX_MINUTES
from bot.ui.replies import reply_ephemeral


class RemindersCog(commands.Cog):
    """Members choose whether, and how long before, they are reminded."""

    remind = app_commands.Group(
        name="remind", description="Reminders before scheduled sessions", guild_only=True
    )

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot

    @remind.command(name="me", description="Get a reminder before sessions you're interested in")
    @app_commands.describe(
        state="on or off",
        minutes_before=f"How long before the start (1-{MAX_MINUTES} minutes, default 15)",
    )
    async def remind_me(
        self,
        interaction: discord.Interaction,
        state: Literal["on", "off"],
        minutes_before: app_commands.Range[int, 1, MAX_MINUTES] = DEFAULT_MINUTES,
    ) -> None:
        guild_id, _ = require_guild(interaction)
        if state == "off":
            removed = await self.bot.schedule.stop_reminding(guild_id, interaction.user.id)
            await reply_ephemeral(
                interaction,
                "🔕 Reminders are off; you won't hear from me about scheduled sessions."
                if removed
                else "Reminders were already off for you here.",
            )
            return
        await self.bot.schedule.remind(guild_id, interaction.user.id, minutes_before)
        await reply_ephemeral(
            interaction,
            f"🔔 Reminders are on: I'll DM you {minutes_before} min before each scheduled "
            "session you've marked **Interested** in the server's Events list (once per "
            "session). /remind me off stops them.",
        )


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, ChorusBot)
    await bot.add_cog(RemindersCog(bot))

"""Breathe steps: a member presses Done when they have finished the breathing pattern."""

from __future__ import annotations

import discord
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs import attendance
from bot.cogs.extension import cog_setup
from bot.i18n import _
from bot.ui.locale import member_language
from bot.ui.replies import reply_ephemeral
from bot.ui.steps.breathe import BreatheButton


class BreatheCog(commands.Cog):
    """The breathe step's Done button."""

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        bot.register_family(BreatheButton, self.on_done)

    async def on_done(self, interaction: discord.Interaction, item: BreatheButton) -> None:
        """A breathe step's Done: the member's part is counted."""
        session, _run = await self.bot.sessions.live_step(item.run_id, item.step_index)
        await attendance.ensure_joined(interaction, session)
        outcome = await self.bot.runner.contribute(
            item.run_id, item.step_index, interaction.user.id, "done", {}
        )
        await reply_ephemeral(
            interaction,
            _("🌿 Well done. Rest a moment while the others finish.", member_language(interaction)),
        )
        await self.bot.live.after_contribution(session.id, outcome.update)


setup = cog_setup(BreatheCog)

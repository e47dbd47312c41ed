"""Another question: the facilitator draws a step's pooled texts again, once per step."""

from __future__ import annotations

import discord
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs import controls
from bot.cogs.extension import cog_setup
from bot.i18n import _
from bot.ui.locale import member_language
from bot.ui.pools import AnotherQuestionButton
from bot.ui.replies import reply_ephemeral


class PoolsCog(commands.Cog):
    """The Another question button on step cards whose text comes from a pool."""

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        bot.register_family(AnotherQuestionButton, self.on_another_button)

    async def on_another_button(
        self, interaction: discord.Interaction, item: AnotherQuestionButton
    ) -> None:
        """Another question (facilitators): the step's next text from its pool, the card
        redrawn."""
        controls.facilitator_only(interaction)
        session, _run = await self.bot.sessions.live_step(item.run_id, item.step_index)
        update = await self.bot.runner.draw_again(item.run_id, item.step_index)
        await reply_ephemeral(
            interaction,
            _(
                "🔀 Drawn another question; the card shows it now (one per step).",
                member_language(interaction),
            ),
        )
        await self.bot.live.redraw_step(session, update.run)


setup = cog_setup(PoolsCog)

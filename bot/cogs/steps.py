"""One-click step answers (`StepButton`): any kind's button that is a contribution and nothing more."""

from __future__ import annotations

import discord
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs import attendance, controls
from bot.cogs.extension import cog_setup
from bot.core.errors import Conflict
from bot.i18n import N_, _
from bot.ui.locale import member_language
from bot.ui.replies import reply_ephemeral
from bot.ui.steps.base import StepButton


class StepsCog(commands.Cog):
    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        bot.register_family(StepButton, self.on_step_button)

    async def on_step_button(self, interaction: discord.Interaction, item: StepButton) -> None:
        """A kind's one-click answer (`StepButton`): the kind's handler accepts or refuses it."""
        session = await controls.session_by_id(interaction, item.session_id)
        run = await self.bot.runner.live_run(session.id)
        if run is None or run.id != item.run_id or run.step_index != item.step_index:
            raise Conflict(N_("That step has ended."))
        await attendance.ensure_joined(interaction, session)
        outcome = await self.bot.runner.contribute(
            item.run_id, item.step_index, interaction.user.id, item.action, {}
        )
        locale = member_language(interaction)
        thanks = (
            _("✅ Thank you, your answer is updated.", locale)
            if outcome.replaced
            else _("✅ Thank you, your answer is saved.", locale)
        )
        await reply_ephemeral(interaction, thanks)
        self.bot.live.request_board(session.id)
        if outcome.update is not None:
            await self.bot.live.apply(outcome.update)


setup = cog_setup(StepsCog)

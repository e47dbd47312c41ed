"""Step buttons (`StepButton`): any kind's button whose press its handler decides (`pressed`):
a one-click answer, a facilitator's move on, or both, with the kind's own private reply."""

from __future__ import annotations

import discord
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs import attendance, controls
from bot.cogs.access import leads
from bot.cogs.extension import cog_setup
from bot.core.run_updates import RunUpdate
from bot.core.steps import Press
from bot.i18n import N_, _
from bot.ui.locale import member_language
from bot.ui.replies import reply_ephemeral
from bot.ui.steps.base import StepButton

SAVED = N_("✅ Thank you, your answer is saved.")
UPDATED = N_("✅ Thank you, your answer is updated.")


class StepsCog(commands.Cog):
    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        bot.register_family(StepButton, self.on_step_button)

    async def on_step_button(self, interaction: discord.Interaction, item: StepButton) -> None:
        """A kind's `StepButton`: its handler's `pressed` says what the press does (answer, move
        on, or both) and what the clicker is told; it may refuse the press. Raises Conflict when
        the button's step is no longer the run's live step."""
        session = await controls.session_by_id(interaction, item.session_id)
        run = await self.bot.runner.live_at(session.id, item.run_id, item.step_index)
        step = self.bot.runner.step(run)
        press = Press(
            action=item.action,
            member_id=interaction.user.id,
            leads=leads(
                interaction.user, session, self.bot.guild_settings.for_guild(interaction.guild_id)
            ),
        )
        pressed = self.bot.runner.handler_for(step).pressed(step, press)
        if pressed.move_on and not press.leads:
            controls.facilitator_only(interaction)  # refuses, saying who may
        reply = pressed.reply
        updates: list[RunUpdate] = []
        if pressed.contribute:
            await attendance.ensure_joined(interaction, session)
            outcome = await self.bot.runner.contribute(
                item.run_id, item.step_index, interaction.user.id, item.action, {}
            )
            reply = reply or (UPDATED if outcome.replaced else SAVED)
            if outcome.update is not None:
                updates.append(outcome.update)
        if pressed.move_on and not updates:
            moved = await self.bot.runner.advance(run.id, run.step_index, by_facilitator=True)
            if moved is None:
                reply = N_("Already moved on.")
            else:
                updates.append(moved)
        await reply_ephemeral(interaction, _(reply or SAVED, member_language(interaction)))
        await self.bot.live.after_contribution(session.id, *updates)


setup = cog_setup(StepsCog)

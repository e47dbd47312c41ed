"""Personal goals: /goal set|list|done|drop|progress; the goal step's buttons are in `answers`.

Everything a member sees about their goals is ephemeral; the channel only ever shows counts.
Storing a goal needs the same consent as check-ins (one explanation, one choice).
"""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs import controls
from bot.cogs.access import require_guild
from bot.cogs.extension import cog_setup, server_group
from bot.cogs.goals.answers import GoalAnswers, consent_message
from bot.cogs.options import IdChoices
from bot.core.goal_service import ConsentNeeded, GoalService
from bot.core.goals import GOAL_MAX
from bot.i18n import N_
from bot.records.goals import GoalRecord
from bot.ui import goals as ui
from bot.ui.locale import member_language
from bot.ui.replies import reply_ephemeral, show_private
from bot.ui.steps.goal import GoalStepButton


class GoalsCog(commands.Cog):
    """Members' own goals, rated privately at goal steps; facilitators see counts at k >= 3."""

    goal = server_group("goal", "Your personal goals, private to you")

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        self.service: GoalService = bot.goals
        # /goal set text waiting for the consent answer (after a restart: read from the message).
        self._pending: dict[tuple[int, int], str] = {}
        bot.privacy.on_forget(self._forget_member)
        self.answers = answers = GoalAnswers(bot, self.service, self._pending)
        bot.register_family(GoalStepButton, answers.on_step_button)
        for rating in (ui.RateButton, ui.RatePassButton):
            bot.register_family(rating, answers.on_rate)
        for consent in (ui.GoalConsentCommandButton, ui.GoalConsentStepButton):
            bot.register_family(consent, answers.on_consent)
        bot.register_form(ui.GoalStepFormId, answers.on_goal_form, what=N_("your goal"))
        bot.register_form(ui.GoalCommandFormId, answers.on_goal_form, what=N_("your goal"))
        bot.sessions.add_summary_contributor(self.service.summary_lines)

    # ------------------------------------------------------------------- commands

    async def _forget_member(self, guild_id: int, user_id: int) -> None:
        """/forget: a goal waiting for the consent answer goes too."""
        self._pending.pop((guild_id, user_id), None)

    @goal.command(name="set", description="Choose a personal goal (up to 3; only you see them)")
    @app_commands.describe(text="Your goal in a few words, e.g. 'feel less anxious'")
    async def set_goal(
        self, interaction: discord.Interaction, text: app_commands.Range[str, 1, GOAL_MAX]
    ) -> None:
        """/goal set: a personal goal saved (up to 3 open); asks for consent first when the member
        hasn't given it, keeping `text` until they answer. Raises Conflict (or the goal rules'
        InvalidInput) when the member already has the most goals allowed."""
        guild_id, _unused = require_guild(interaction)
        locale = member_language(interaction)
        try:
            goal = await self.service.add(guild_id, interaction.user.id, text)
        except ConsentNeeded:
            self._pending[(guild_id, interaction.user.id)] = text
            await show_private(
                interaction, embed=consent_message(locale, text), view=ui.consent_view(locale)
            )
            return
        await reply_ephemeral(interaction, ui.saved_text(goal, at_step=False, locale=locale))

    @goal.command(name="list", description="Your goals (only you see them)")
    async def list_goals(self, interaction: discord.Interaction) -> None:
        """/goal list: the member's goals, privately."""
        guild_id, _unused = require_guild(interaction)
        goals = await self.service.all_goals(guild_id, interaction.user.id)
        await show_private(interaction, embed=ui.list_embed(goals, member_language(interaction)))

    @goal.command(name="done", description="Mark one of your goals as done")
    @app_commands.describe(id="Which goal (start typing its words)")
    async def done(self, interaction: discord.Interaction, id: int) -> None:
        """/goal done: the member's goal `id` marked done. Raises NotFound for a goal that isn't
        theirs, Conflict for one already closed."""
        await self._close(interaction, id, "done")

    @goal.command(name="drop", description="Drop one of your goals")
    @app_commands.describe(id="Which goal (start typing its words)")
    async def drop(self, interaction: discord.Interaction, id: int) -> None:
        """/goal drop: the member's goal `id` dropped. Raises NotFound for a goal that isn't theirs,
        Conflict for one already closed."""
        await self._close(interaction, id, "dropped")

    async def _close(self, interaction: discord.Interaction, goal_id: int, status: str) -> None:
        guild_id, _unused = require_guild(interaction)
        goal = await self.service.close(guild_id, interaction.user.id, goal_id, status)
        await reply_ephemeral(interaction, ui.closed_text(goal, member_language(interaction)))

    @goal.command(name="progress", description="A chart of how your goals went, session by session")
    @app_commands.describe(goal="One goal (default: your active goals)")
    async def progress(self, interaction: discord.Interaction, goal: int | None = None) -> None:
        """/goal progress: a chart of the member's ratings per session (one goal, or all),
        privately; a text reply when there is nothing to draw."""
        guild_id, _unused = require_guild(interaction)
        locale = member_language(interaction)
        found = await self.service.progress(guild_id, interaction.user.id, goal)
        if not found:
            await show_private(interaction, embed=ui.progress_embed(found, locale))
            return
        await controls.defer_private(interaction)  # a chart can take over a second to draw
        chart = await asyncio.to_thread(ui.progress_file, found, locale)
        await controls.answer_deferred(
            interaction, embed=ui.progress_embed(found, locale), file=chart
        )

    @done.autocomplete("id")
    @drop.autocomplete("id")
    async def active_ids(self, interaction: discord.Interaction, current: str) -> IdChoices:
        """Autocomplete: the member's active goals matching `current`."""
        return await self._choices(interaction, current, active_only=True)

    @progress.autocomplete("goal")
    async def any_ids(self, interaction: discord.Interaction, current: str) -> IdChoices:
        """Autocomplete: all the member's goals matching `current`, closed ones too."""
        return await self._choices(interaction, current, active_only=False)

    async def _choices(
        self, interaction: discord.Interaction, current: str, *, active_only: bool
    ) -> IdChoices:
        if interaction.guild_id is None:
            return []
        locale = member_language(interaction)
        goals = await self.service.all_goals(interaction.guild_id, interaction.user.id)
        wanted = current.strip().casefold().lstrip("#")
        found: list[GoalRecord] = [
            g
            for g in goals
            if (not active_only or g.status == "active")
            and (not wanted or wanted in g.text.casefold() or wanted == str(g.id))
        ]
        found.sort(key=lambda g: (g.status != "active", -g.id))
        return [
            app_commands.Choice(name=ui.autocomplete_name(g, locale), value=g.id)
            for g in found[:25]
        ]


setup = cog_setup(GoalsCog)

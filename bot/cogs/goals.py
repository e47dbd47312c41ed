"""Personal goals: /goal set|list|done|drop|progress, and the goal step's private rating.

Everything a member sees about their goals is ephemeral; the channel only ever shows counts.
Storing a goal needs the same consent as check-ins (one explanation, one choice).
"""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import ChorusBot
from bot.cogs import controls
from bot.cogs.access import require_guild
from bot.cogs.errors import reply_ephemeral
from bot.core.activity_models import GoalStep
from bot.core.errors import Conflict, UserFacingError
from bot.core.goals import GOAL_MAX, ConsentNeeded, GoalService
from bot.core.runner import RunUpdate
from bot.store.goals import GoalRecord
from bot.store.records import SessionRecord
from bot.ui import goals as ui
from bot.ui import limits
from bot.ui.checkins import consent_again_embed, consent_embed
from bot.ui.forms import ChorusForm, FormValues, send_form

NONE = discord.AllowedMentions.none()
CONSENT_TITLE = "Before your first goal"
PENDING_FIELD = "Your goal, saved when you agree"


GOAL_FORM = "form_goal"


class SetGoalForm(ChorusForm):
    """One text box; from a goal step (run and step given) or after agreeing to consent.

    Answered through its custom_id by `GoalsCog.on_goal_form`, with no timeout."""

    def __init__(self, run_id: int | None, step_index: int | None, default: str = "") -> None:
        where: list[object] = (
            ["step", run_id, step_index]
            if run_id is not None and step_index is not None
            else ["cmd"]
        )
        super().__init__("Set a personal goal", GOAL_FORM, *where)
        self.add_item(
            discord.ui.TextInput(
                custom_id="goal_text",
                label=limits.label("Your goal (only you see it)"),
                style=discord.TextStyle.short,
                min_length=1,
                max_length=GOAL_MAX,
                required=True,
                default=default[:GOAL_MAX] or None,
                placeholder=limits.placeholder(
                    "e.g. feel less anxious, share more with others, sleep better"
                ),
            )
        )


class GoalsCog(commands.Cog):
    """Members' own goals, rated privately at goal steps; facilitators see counts at k >= 3."""

    goal = app_commands.Group(
        name="goal", description="Your personal goals, private to you", guild_only=True
    )

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        self.service = GoalService(bot.store, bot.clock, bot.runner)
        # /goal set text waiting for the consent answer (after a restart: read from the message).
        self._pending: dict[tuple[int, int], str] = {}
        # (guild, member, run, step) already shown the consent explanation at a goal step: a
        # second button press gets the short question, not the same prompt twice.
        self._asked: set[tuple[int, int, int, int]] = set()
        bot.privacy.on_forget(self._forget_member)
        bot.register_component("goal", self.on_step_button)
        bot.register_component("goal_rate", self.on_rate_button)
        bot.register_component("goal_consent", self.on_consent_button)
        bot.register_form(GOAL_FORM, self.on_goal_form, what="your goal")
        bot.sessions.add_summary_contributor(self.service.summary_lines)

    # ------------------------------------------------------------------- commands

    async def _forget_member(self, guild_id: int, user_id: int) -> None:
        """/forget: a goal waiting for the consent answer goes too."""
        self._pending.pop((guild_id, user_id), None)
        self._asked = {key for key in self._asked if key[:2] != (guild_id, user_id)}

    @goal.command(name="set", description="Choose a personal goal (up to 3; only you see them)")
    @app_commands.describe(text="Your goal in a few words, e.g. 'feel less anxious'")
    async def set_goal(
        self, interaction: discord.Interaction, text: app_commands.Range[str, 1, GOAL_MAX]
    ) -> None:
        guild_id, _ = require_guild(interaction)
        try:
            goal = await self.service.add(guild_id, interaction.user.id, text)
        except ConsentNeeded:
            self._pending[(guild_id, interaction.user.id)] = text
            explained = consent_embed("goal", CONSENT_TITLE)
            # The goal rides along in the (private) message, so a restart before Agree keeps it.
            explained.add_field(name=PENDING_FIELD, value=limits.cut(text, limits.FIELD_VALUE))
            await interaction.response.send_message(
                embed=explained,
                view=ui.consent_view(["cmd"], ["cmd"]),
                ephemeral=True,
                allowed_mentions=NONE,
            )
            return
        await reply_ephemeral(interaction, ui.saved_text(goal, at_step=False))

    @goal.command(name="list", description="Your goals (only you see them)")
    async def list_goals(self, interaction: discord.Interaction) -> None:
        guild_id, _ = require_guild(interaction)
        goals = await self.service.all_goals(guild_id, interaction.user.id)
        await interaction.response.send_message(
            embed=ui.list_embed(goals), ephemeral=True, allowed_mentions=NONE
        )

    @goal.command(name="done", description="Mark one of your goals as done")
    @app_commands.describe(id="Which goal (start typing its words)")
    async def done(self, interaction: discord.Interaction, id: int) -> None:
        await self._close(interaction, id, "done")

    @goal.command(name="drop", description="Drop one of your goals")
    @app_commands.describe(id="Which goal (start typing its words)")
    async def drop(self, interaction: discord.Interaction, id: int) -> None:
        await self._close(interaction, id, "dropped")

    async def _close(self, interaction: discord.Interaction, goal_id: int, status: str) -> None:
        guild_id, _ = require_guild(interaction)
        goal = await self.service.close(guild_id, interaction.user.id, goal_id, status)
        await reply_ephemeral(interaction, ui.closed_text(goal))

    @goal.command(name="progress", description="A chart of how your goals went, session by session")
    @app_commands.describe(goal="One goal (default: your active goals)")
    async def progress(self, interaction: discord.Interaction, goal: int | None = None) -> None:
        guild_id, _ = require_guild(interaction)
        found = await self.service.progress(guild_id, interaction.user.id, goal)
        if not found:
            await interaction.response.send_message(
                embed=ui.progress_embed(found), ephemeral=True, allowed_mentions=NONE
            )
            return
        await controls.defer_private(interaction)  # a chart can take over a second to draw
        chart = await asyncio.to_thread(ui.progress_file, found)
        await controls.answer_deferred(interaction, embed=ui.progress_embed(found), file=chart)

    @done.autocomplete("id")
    @drop.autocomplete("id")
    async def active_ids(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        return await self._choices(interaction, current, active_only=True)

    @progress.autocomplete("goal")
    async def any_ids(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        return await self._choices(interaction, current, active_only=False)

    async def _choices(
        self, interaction: discord.Interaction, current: str, *, active_only: bool
    ) -> list[app_commands.Choice[int]]:
        if interaction.guild_id is None:
            return []
        goals = await self.service.all_goals(interaction.guild_id, interaction.user.id)
        wanted = current.strip().casefold().lstrip("#")
        found: list[GoalRecord] = [
            g
            for g in goals
            if (not active_only or g.status == "active")
            and (not wanted or wanted in g.text.casefold() or wanted == str(g.id))
        ]
        found.sort(key=lambda g: (g.status != "active", -g.id))
        return [app_commands.Choice(name=ui.autocomplete_name(g), value=g.id) for g in found[:25]]

    # ------------------------------------------------------------------ the step

    async def on_step_button(self, interaction: discord.Interaction, args: list[str]) -> None:
        run_id, step_index, action = _int(args[0]), _int(args[1]), args[2]
        session, step = await self.service.step_of(run_id, step_index)
        user_id = interaction.user.id
        if action == "pass":
            await controls.ensure_joined(interaction, session)
            update = await self.service.pass_step(run_id, step_index, user_id)
            await reply_ephemeral(interaction, ui.PASSED_STEP)
            await self._after_step_change(session, update)
            return
        if action == "set":
            await self._offer_set(interaction, step, run_id, step_index)
            return
        goals = await self.service.active(session.guild_id, user_id)
        if not goals:
            await self._offer_set(interaction, step, run_id, step_index)
            return
        await controls.ensure_joined(interaction, session)
        answers = await self.service.step_ratings(run_id, step_index, user_id)
        for position, goal in enumerate(goals, 1):
            content = ui.rating_prompt(
                goal, position, len(goals), answers.get(goal.id), goal.id in answers
            )
            view = ui.rating_view(
                goal, run_id, step_index, answers.get(goal.id), goal.id in answers
            )
            if position == 1:
                await interaction.response.send_message(
                    content, view=view, ephemeral=True, allowed_mentions=NONE
                )
            else:
                await interaction.followup.send(
                    content, view=view, ephemeral=True, allowed_mentions=NONE
                )

    async def _offer_set(
        self, interaction: discord.Interaction, step: GoalStep, run_id: int, step_index: int
    ) -> None:
        """One click to the Set a goal form (after the consent explanation, the first time)."""
        if not step.offer_set:
            await reply_ephemeral(
                interaction,
                "You haven't set a personal goal yet, so there's nothing to rate today. "
                "You can choose one any time with /goal set.",
            )
            return
        guild_id, _ = require_guild(interaction)
        if not await self.service.has_consent(guild_id, interaction.user.id):
            where = ["step", run_id, step_index]
            key = (guild_id, interaction.user.id, run_id, step_index)
            again = key in self._asked
            self._asked.add(key)
            await interaction.response.send_message(
                embed=consent_again_embed("goal")
                if again
                else consent_embed("goal", CONSENT_TITLE),
                view=ui.consent_view(where, where),
                ephemeral=True,
                allowed_mentions=NONE,
            )
            return
        await send_form(interaction, SetGoalForm(run_id, step_index))

    async def on_rate_button(self, interaction: discord.Interaction, args: list[str]) -> None:
        goal_id, run_id, step_index = _int(args[0]), _int(args[1]), _int(args[2])
        value = None if args[3] == "pass" else _int(args[3])
        session, _ = await self.service.step_of(run_id, step_index)
        await controls.ensure_joined(interaction, session)
        try:
            rated = await self.service.rate(run_id, step_index, interaction.user.id, goal_id, value)
        except ConsentNeeded:
            raise Conflict(
                "Goals are saved only with your agreement. Use /goal set to see the explanation."
            ) from None
        goals = await self.service.active(session.guild_id, interaction.user.id)
        position = next((i for i, g in enumerate(goals, 1) if g.id == goal_id), 1)
        content = ui.rating_prompt(rated.goal, position, len(goals), value, True)
        if rated.done:
            content += "\n\n" + ui.ALL_DONE
        await interaction.response.edit_message(
            content=content,
            view=ui.rating_view(rated.goal, run_id, step_index, value, True),
            allowed_mentions=NONE,
        )
        await self._after_step_change(session, rated.update)

    async def _after_step_change(self, session: SessionRecord, update: RunUpdate | None) -> None:
        self.bot.live.request_board(session.id)
        if update is not None:
            await self.bot.live.apply(update)

    async def on_goal_form(
        self, interaction: discord.Interaction, args: list[str], values: FormValues
    ) -> None:
        at_step = len(args) >= 3 and args[0] == "step"
        await self.save_from_modal(
            interaction,
            _int(args[1]) if at_step else None,
            _int(args[2]) if at_step else None,
            values.text("goal_text"),
        )

    async def save_from_modal(
        self,
        interaction: discord.Interaction,
        run_id: int | None,
        step_index: int | None,
        text: str,
    ) -> None:
        guild_id, _ = require_guild(interaction)
        try:
            if run_id is not None and step_index is not None:
                session, _ = await self.service.step_of(run_id, step_index)
                await controls.ensure_joined(interaction, session)
                goal, update = await self.service.set_at_step(
                    run_id, step_index, interaction.user.id, text
                )
                await reply_ephemeral(interaction, ui.saved_text(goal, at_step=True))
                await self._after_step_change(session, update)
                return
            goal = await self.service.add(guild_id, interaction.user.id, text)
        except ConsentNeeded:
            raise Conflict(
                "Goals are saved only with your agreement. Use /goal set to see the explanation."
            ) from None
        await reply_ephemeral(interaction, ui.saved_text(goal, at_step=False))

    # -------------------------------------------------------------------- consent

    async def on_consent_button(self, interaction: discord.Interaction, args: list[str]) -> None:
        guild_id, _ = require_guild(interaction)
        user_id = interaction.user.id
        agreed = args[0] == "yes"
        await self.service.set_consent(guild_id, user_id, agreed, interaction.user.display_name)
        rest = args[1:]
        at_step = bool(rest) and rest[0] == "step" and len(rest) >= 3
        pending = None if at_step else self._pending.pop((guild_id, user_id), None)
        if pending is None and not at_step:
            pending = _pending_goal(interaction.message)
        if not agreed:
            await interaction.response.edit_message(content=ui.DECLINED, embed=None, view=None)
            if at_step:
                await self._pass_quietly(int(rest[1]), int(rest[2]), interaction)
            return
        if at_step:
            await send_form(interaction, SetGoalForm(_int(rest[1]), _int(rest[2])))
            return
        if pending is None:
            await send_form(interaction, SetGoalForm(None, None))
            return
        goal = await self.service.add(guild_id, user_id, pending)
        await interaction.response.edit_message(
            content=ui.saved_text(goal, at_step=False),
            embed=None,
            view=None,
            allowed_mentions=NONE,
        )

    async def _pass_quietly(
        self, run_id: int, step_index: int, interaction: discord.Interaction
    ) -> None:
        """Declining at a step counts as a pass, so the step need not wait; nothing is stored."""
        try:
            session, _ = await self.service.step_of(run_id, step_index)
            await controls.ensure_joined(interaction, session)
            update = await self.service.pass_step(run_id, step_index, interaction.user.id)
        except UserFacingError:
            return
        await self._after_step_change(session, update)


def _pending_goal(message: discord.Message | None) -> str | None:
    """The goal text shown in a consent message (see `set_goal`), if it holds one."""
    for embed in message.embeds if message is not None else []:
        for item in embed.fields:
            if item.name == PENDING_FIELD and item.value:
                return item.value
    return None


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise UserFacingError("That button no longer works; please use the newest one.") from None


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, ChorusBot)
    await bot.add_cog(GoalsCog(bot))

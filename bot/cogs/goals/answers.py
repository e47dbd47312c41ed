"""The goal step's buttons, the private ratings, the Set a goal form and the consent before it.

Each handler gets its typed button, asks `GoalService` and replies privately.
"""

from __future__ import annotations

import discord

from bot.chorus_bot import ChorusBot
from bot.cogs import attendance
from bot.cogs.access import require_guild
from bot.core.errors import UserFacingError
from bot.core.goal_service import GoalService
from bot.core.goals import GOAL_MAX
from bot.core.steps.goal import GoalStep
from bot.i18n import N_, SHIPPED, _
from bot.ui import goals as ui
from bot.ui import limits
from bot.ui.checkin_consent import consent_again_embed, consent_embed
from bot.ui.form_ids import FormId
from bot.ui.forms import ChorusForm, FormValues, send_form
from bot.ui.locale import member_language
from bot.ui.replies import reply_ephemeral, show_private
from bot.ui.steps.goal import GoalStepButton

NONE = discord.AllowedMentions.none()
CONSENT_TITLE = N_("Before your first goal")
PENDING_FIELD = N_("Your goal, saved when you agree")


class SetGoalForm(ChorusForm):
    """One text box; from a goal step (run and step given) or after agreeing to consent.

    Answered through its custom_id by `GoalAnswers.on_goal_form`, with no timeout."""

    def __init__(
        self, run_id: int | None, step_index: int | None, locale: str, default: str = ""
    ) -> None:
        where: FormId = (
            ui.GoalStepFormId(run_id=run_id, step_index=step_index)
            if run_id is not None and step_index is not None
            else ui.GoalCommandFormId()
        )
        super().__init__(_("Set a personal goal", locale), where)
        self.add_item(
            discord.ui.TextInput(
                custom_id="goal_text",
                label=limits.label(_("Your goal (only you see it)", locale)),
                style=discord.TextStyle.short,
                min_length=1,
                max_length=GOAL_MAX,
                required=True,
                default=default[:GOAL_MAX] or None,
                placeholder=limits.placeholder(
                    _("e.g. feel less anxious, share more with others, sleep better", locale)
                ),
            )
        )


def consent_message(locale: str, text: str | None = None) -> discord.Embed:
    """The consent explanation before a first goal, titled in ``locale``; `text`, the goal from
    /goal set, rides along in the (private) message so a restart before Agree keeps it."""
    explained = consent_embed("goal", _(CONSENT_TITLE, locale), locale=locale)
    if text is not None:
        explained.add_field(
            name=_(PENDING_FIELD, locale), value=limits.cut(text, limits.FIELD_VALUE)
        )
    return explained


class GoalAnswers:
    """The handlers of the goal buttons and form (registered by `GoalsCog`)."""

    def __init__(
        self, bot: ChorusBot, service: GoalService, pending: dict[tuple[int, int], str]
    ) -> None:
        self.bot = bot
        self.service = service
        # /goal set text waiting for the consent answer, by (server, member); shared with the cog.
        self.pending = pending

    # ------------------------------------------------------------------ the step

    async def on_step_button(self, interaction: discord.Interaction, item: GoalStepButton) -> None:
        """A goal step's button: the member's goals to rate, or the form to set one."""
        locale = member_language(interaction)
        run_id, step_index = item.run_id, item.step_index
        session, step = await self.service.step_of(run_id, step_index)
        user_id = interaction.user.id
        if item.action == "pass":
            await attendance.ensure_joined(interaction, session)
            update = await self.service.pass_step(run_id, step_index, user_id)
            await reply_ephemeral(interaction, _(ui.PASSED_STEP, locale))
            await self.bot.live.after_contribution(session.id, update)
            return
        if item.action == "set":
            await self._offer_set(interaction, step, run_id, step_index)
            return
        goals = await self.service.active(session.guild_id, user_id)
        if not goals:
            await self._offer_set(interaction, step, run_id, step_index)
            return
        await attendance.ensure_joined(interaction, session)
        answers = await self.service.step_ratings(run_id, step_index, user_id)
        for position, goal in enumerate(goals, 1):
            content = ui.rating_prompt(
                goal, position, len(goals), answers.get(goal.id), goal.id in answers, locale
            )
            view = ui.rating_view(
                goal, run_id, step_index, answers.get(goal.id), goal.id in answers, locale
            )
            if position == 1:
                await show_private(interaction, content, view=view)
            else:
                await interaction.followup.send(
                    content, view=view, ephemeral=True, allowed_mentions=NONE
                )

    async def _offer_set(
        self, interaction: discord.Interaction, step: GoalStep, run_id: int, step_index: int
    ) -> None:
        """One click to the Set a goal form (after the consent explanation, the first time)."""
        locale = member_language(interaction)
        if not step.offer_set:
            await reply_ephemeral(
                interaction,
                _(
                    "You haven't set a personal goal yet, so there's nothing to rate today. You can "
                    "choose one any time with /goal set.",
                    locale,
                ),
            )
            return
        guild_id, _unused = require_guild(interaction)
        if not await self.service.has_consent(guild_id, interaction.user.id):
            # Shown the explanation at this step before: the short question instead.
            again = await self.service.asked_consent_before(
                run_id, step_index, guild_id, interaction.user.id
            )
            await show_private(
                interaction,
                embed=consent_again_embed("goal", locale=locale)
                if again
                else consent_message(locale),
                view=ui.consent_view(locale, run_id, step_index),
            )
            return
        await send_form(interaction, SetGoalForm(run_id, step_index, locale))

    async def on_rate(self, interaction: discord.Interaction, item: ui.GoalRating) -> None:
        """A rating (1-5) pressed for one goal at a goal step: saved, privately confirmed. Raises
        Conflict when the member hasn't agreed to goals being saved."""
        run_id, step_index, goal_id, value = (
            item.run_id,
            item.step_index,
            item.goal_id,
            item.value,
        )
        locale = member_language(interaction)
        session, _unused = await self.service.step_of(run_id, step_index)
        await attendance.ensure_joined(interaction, session)
        rated = await self.service.rate(run_id, step_index, interaction.user.id, goal_id, value)
        goals = await self.service.active(session.guild_id, interaction.user.id)
        position = next((i for i, g in enumerate(goals, 1) if g.id == goal_id), 1)
        content = ui.rating_prompt(rated.goal, position, len(goals), value, True, locale)
        if rated.done:
            content = "\n\n".join([content, _(ui.ALL_DONE, locale)])
        await interaction.response.edit_message(
            content=content,
            view=ui.rating_view(rated.goal, run_id, step_index, value, True, locale),
            allowed_mentions=NONE,
        )
        await self.bot.live.after_contribution(session.id, rated.update)

    # ------------------------------------------------------------------ the form

    async def on_goal_form(
        self,
        interaction: discord.Interaction,
        form: ui.GoalStepFormId | ui.GoalCommandFormId,
        values: FormValues,
    ) -> None:
        """The goal form submitted (from /goal set or a goal step): the goal is saved."""
        text = values.text("goal_text")
        if isinstance(form, ui.GoalStepFormId):
            await self.save_from_modal(interaction, form.run_id, form.step_index, text)
        else:
            await self.save_from_modal(interaction, None, None, text)

    async def save_from_modal(
        self,
        interaction: discord.Interaction,
        run_id: int | None,
        step_index: int | None,
        text: str,
    ) -> None:
        """Save goal `text` (at step `step_index` of run `run_id`, or from /goal set when None);
        asks for consent first when the member hasn't chosen yet. Raises Conflict when they
        haven't agreed to goals being saved."""
        guild_id, _unused = require_guild(interaction)
        locale = member_language(interaction)
        if run_id is not None and step_index is not None:
            session, _step = await self.service.step_of(run_id, step_index)
            await attendance.ensure_joined(interaction, session)
            goal, update = await self.service.set_at_step(
                run_id, step_index, interaction.user.id, text
            )
            await reply_ephemeral(interaction, ui.saved_text(goal, at_step=True, locale=locale))
            await self.bot.live.after_contribution(session.id, update)
            return
        goal = await self.service.add(guild_id, interaction.user.id, text)
        await reply_ephemeral(interaction, ui.saved_text(goal, at_step=False, locale=locale))

    # --------------------------------------------------------------- consent

    async def on_consent(
        self, interaction: discord.Interaction, item: ui.GoalConsentButton
    ) -> None:
        """Agree / No thanks before a first goal: the choice is stored, then the waiting goal."""
        guild_id, _unused = require_guild(interaction)
        locale = member_language(interaction)
        user_id = interaction.user.id
        await self.service.set_consent(
            guild_id, user_id, item.agreed, interaction.user.display_name
        )
        run_id, step_index = item.run_id, item.step_index
        at_step = run_id is not None and step_index is not None
        pending = None if at_step else self.pending.pop((guild_id, user_id), None)
        if pending is None and not at_step:
            pending = _pending_goal(interaction.message)
        if not item.agreed:
            await interaction.response.edit_message(
                content=_(ui.DECLINED, locale), embed=None, view=None
            )
            if run_id is not None and step_index is not None:
                await self._pass_quietly(run_id, step_index, interaction)
            return
        if run_id is not None and step_index is not None:
            await send_form(interaction, SetGoalForm(run_id, step_index, locale))
            return
        if pending is None:
            await send_form(interaction, SetGoalForm(None, None, locale))
            return
        goal = await self.service.add(guild_id, user_id, pending)
        await interaction.response.edit_message(
            content=ui.saved_text(goal, at_step=False, locale=locale),
            embed=None,
            view=None,
            allowed_mentions=NONE,
        )

    async def _pass_quietly(
        self, run_id: int, step_index: int, interaction: discord.Interaction
    ) -> None:
        """Declining at a step counts as a pass, so the step need not wait; nothing is stored."""
        try:
            session, _unused = await self.service.step_of(run_id, step_index)
            await attendance.ensure_joined(interaction, session)
            update = await self.service.pass_step(run_id, step_index, interaction.user.id)
        except UserFacingError:
            return
        await self.bot.live.after_contribution(session.id, update)


def _pending_goal(message: discord.Message | None) -> str | None:
    """The goal text shown in a consent message (see `consent_message`), if it holds one."""
    # The field is named in whichever language the message was written.
    names = {_(PENDING_FIELD, language) for language in SHIPPED}
    for embed in message.embeds if message is not None else []:
        for item in embed.fields:
            if item.name in names and item.value:
                return item.value
    return None

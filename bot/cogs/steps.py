"""Step buttons (`StepButton`): any kind's button whose press its handler decides (`pressed`):
a one-click answer, a facilitator's move on, or both, with the kind's own private reply. A button
whose presenter declares a form (`answer_form`) opens it instead; its submission (`AnswerFormId`)
goes to the handler's `submitted` and is saved the same way."""

from __future__ import annotations

from collections.abc import Mapping

import discord
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs import attendance, controls
from bot.cogs.access import leads
from bot.cogs.extension import cog_setup
from bot.core.errors import Conflict
from bot.core.run_updates import RunUpdate
from bot.core.steps import Press, Pressed
from bot.i18n import N_, _
from bot.records.sessions import RunRecord, SessionRecord
from bot.ui import limits
from bot.ui.forms import ChorusForm, FormValues, send_form
from bot.ui.locale import member_language
from bot.ui.replies import reply_ephemeral
from bot.ui.steps.base import AnswerForm, AnswerFormId, StepButton

SAVED = N_("✅ Thank you, your answer is saved.")
UPDATED = N_("✅ Thank you, your answer is updated.")
FORM_GONE = N_("This step no longer asks for this; nothing was saved.")


class StepsCog(commands.Cog):
    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        bot.register_family(StepButton, self.on_step_button)
        bot.register_form(AnswerFormId, self.on_step_form, what=N_("your answer"))

    async def _live(
        self, interaction: discord.Interaction, at: StepButton | AnswerFormId
    ) -> tuple[SessionRecord, RunRecord, Press]:
        """The session and live run of `at`'s step, and who acts there. Raises Conflict when
        the step is no longer the run's live step, NotFound when the session is gone."""
        session = await controls.session_by_id(interaction, at.session_id)
        run = await self.bot.runner.live_at(session.id, at.run_id, at.step_index)
        press = Press(
            action=at.action,
            member_id=interaction.user.id,
            leads=leads(
                interaction.user, session, self.bot.guild_settings.for_guild(interaction.guild_id)
            ),
        )
        return session, run, press

    def _form(self, run: RunRecord, action: str) -> AnswerForm | None:
        step = self.bot.runner.step(run)
        return self.bot.live.presenter(step.type).answer_form(step, action)

    async def on_step_button(self, interaction: discord.Interaction, item: StepButton) -> None:
        """A kind's `StepButton`: the form its presenter declares for the action, or else its
        handler's `pressed` says what the press does (answer, move on, or both) and what the
        clicker is told; it may refuse the press. Raises Conflict when the button's step is no
        longer the run's live step."""
        session, run, press = await self._live(interaction, item)
        form = self._form(run, item.action)
        if form is not None:
            form_id = AnswerFormId(
                session_id=session.id,
                run_id=item.run_id,
                step_index=item.step_index,
                action=item.action,
            )
            await send_form(interaction, answer_modal(form, form_id, member_language(interaction)))
            return
        step = self.bot.runner.step(run)
        pressed = self.bot.runner.handler_for(step).pressed(step, press)
        await self._carry_out(interaction, session, run, press, pressed, {})

    async def on_step_form(
        self, interaction: discord.Interaction, form_id: AnswerFormId, values: FormValues
    ) -> None:
        """A submitted `AnswerForm`: the kind's handler's `submitted` says what it does, saved
        as `pressed` is (the answers as the payload). Raises Conflict when the step has ended
        or no longer asks for this form (the member is given their words back)."""
        session, run, press = await self._live(interaction, form_id)
        form = self._form(run, form_id.action)
        if form is None:
            raise Conflict(FORM_GONE)
        answers = {box.key: values.text(box.key).strip() for box in form.fields}
        step = self.bot.runner.step(run)
        pressed = self.bot.runner.handler_for(step).submitted(step, press, answers)
        await self._carry_out(interaction, session, run, press, pressed, answers)

    async def _carry_out(
        self,
        interaction: discord.Interaction,
        session: SessionRecord,
        run: RunRecord,
        press: Press,
        pressed: Pressed,
        payload: Mapping[str, str],
    ) -> None:
        """Do what the handler decided (`pressed`) for `press` at the run's live step: save the
        contribution (of kind `press.action`, with `payload`), move on, reply privately."""
        if pressed.move_on and not press.leads:
            controls.facilitator_only(interaction)  # refuses, saying who may
        reply = pressed.reply
        updates: list[RunUpdate] = []
        if pressed.contribute:
            await attendance.ensure_joined(interaction, session)
            outcome = await self.bot.runner.contribute(
                run.id, run.step_index, interaction.user.id, press.action, payload
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


def answer_modal(form: AnswerForm, form_id: AnswerFormId, locale: str) -> ChorusForm:
    """The modal of a kind's `form`, worded in `locale`: one paragraph box per field."""
    modal = ChorusForm(_(form.title, locale), form_id)
    # A question too long for a label's description is shown as text above its box, one more
    # of the modal's five components (`ChorusForm.add_question`): where there is no room left,
    # it is cut to a description instead (a translation may be longer than the English).
    room = limits.MODAL_COMPONENTS - len(form.fields)
    for box in form.fields:
        label = " ".join(_(box.label, locale).split())
        if len(label) > limits.LABEL_DESCRIPTION:
            if room > 0:
                room -= 1
            else:
                label = limits.cut(label, limits.LABEL_DESCRIPTION)
        text_input: discord.ui.TextInput[discord.ui.Modal] = discord.ui.TextInput(
            custom_id=box.key,
            style=discord.TextStyle.paragraph,
            max_length=box.max_length,
            required=box.required,
        )
        modal.add_question(label, text_input, short_label=label)
    return modal


setup = cog_setup(StepsCog)

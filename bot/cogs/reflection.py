"""Answering reflect steps, through a form (modal) opened by the step's Reflect button."""

from __future__ import annotations

import discord
from discord.ext import commands

from bot.app import ChorusBot
from bot.cogs import controls
from bot.cogs.errors import reply_ephemeral
from bot.core.activities import ReflectStep, localize
from bot.core.errors import Conflict
from bot.core.session import SessionRecord
from bot.ui import limits
from bot.ui.forms import ChorusForm, FormValues, send_form
from bot.ui.steps.reflect import ReflectButton


class ReflectForm(ChorusForm):
    """The reflection form; the share box defaults to the step's visibility.

    Answered by `ReflectionCog.on_reflect_form` through its custom_id, with no timeout."""

    def __init__(self, run_id: int, step_index: int, step: ReflectStep) -> None:
        super().__init__("Your reflection", FORM, run_id, step_index)
        answer: discord.ui.TextInput[ReflectForm] = discord.ui.TextInput(
            custom_id="answer",
            style=discord.TextStyle.paragraph,
            max_length=step.max_chars,
            required=True,
            placeholder=limits.placeholder("A few words are plenty."),
        )
        self.add_question(
            localize(step.question) or "Your reflection", answer, short_label="Your reflection"
        )
        share: discord.ui.Checkbox[ReflectForm] = discord.ui.Checkbox(
            custom_id="share", default=step.visibility_default == "shared"
        )
        self.add_item(
            discord.ui.Label(
                text="Share with the group",
                description=(
                    "Shown without your name when the step ends."
                    if step.anonymous
                    else "Shown with your name when the step ends. Unticked: only you see it."
                ),
                component=share,
            )
        )


FORM = "form_reflect"


class ReflectionCog(commands.Cog):
    """Reflect steps: the Reflect button opens the form; the form's answer is saved."""

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        bot.register_family(ReflectButton, self.on_reflect_button)
        bot.register_form(FORM, self.on_reflect_form, what="your reflection")

    async def _reflect_step(
        self, run_id: int, step_index: int
    ) -> tuple[SessionRecord, ReflectStep]:
        session, run = await self.bot.sessions.live_step(run_id, step_index)
        step = self.bot.runner.step(run)
        if not isinstance(step, ReflectStep):
            raise Conflict("That step has ended.")
        return session, step

    async def on_reflect_button(
        self, interaction: discord.Interaction, item: ReflectButton
    ) -> None:
        _, step = await self._reflect_step(item.run_id, item.step_index)
        await send_form(interaction, ReflectForm(item.run_id, item.step_index, step))

    async def on_reflect_form(
        self, interaction: discord.Interaction, args: list[str], values: FormValues
    ) -> None:
        run_id, step_index = int(args[0]), int(args[1])
        session, step = await self._reflect_step(run_id, step_index)
        text, shared = values.text("answer"), values.flag("share")
        await controls.ensure_joined(interaction, session)
        outcome = await self.bot.runner.contribute(
            run_id,
            step_index,
            interaction.user.id,
            "reflection",
            {"text": text, "shared": shared},
            anonymous=step.anonymous,
        )
        await reply_ephemeral(interaction, saved_text(step.anonymous, shared, outcome.replaced))
        self.bot.live.request_board(session.id)
        if outcome.update is not None:
            await self.bot.live.apply(outcome.update)


def saved_text(anonymous: bool, shared: bool, replaced: bool) -> str:
    """The private thanks once a reflection is saved: where it goes from here."""
    where = (
        "It will be shared with the group when the step ends." if shared else "It stays private."
    )
    if anonymous:
        where = "It was saved anonymously." + (
            " It will be shared without your name." if shared else ""
        )
    verb = "updated" if replaced else "saved"
    return f"💭 Thank you, your reflection is {verb}. {where}"


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, ChorusBot)
    await bot.add_cog(ReflectionCog(bot))

"""Answering reflect steps (through a modal) and finishing breathe steps."""

from __future__ import annotations

import discord
from discord.ext import commands

from bot.app import ChorusBot
from bot.cogs import controls
from bot.cogs.errors import reply_ephemeral
from bot.core.activities import ReflectStep, localize
from bot.core.errors import Conflict
from bot.ui import limits
from bot.ui.forms import ChorusForm, FormValues, send_form


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
    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        bot.register_component("reflect", self.on_reflect_button)
        bot.register_component("breathe", self.on_breathe_button)
        bot.register_form(FORM, self.on_reflect_form, what="your reflection")

    async def _live_step(self, run_id: int, step_index: int) -> tuple[object, object]:
        run = await self.bot.store.runs.get(run_id)
        if run is None or not run.live or run.step_index != step_index:
            raise Conflict("That step has ended.")
        session = await self.bot.sessions.get(run.session_id)
        return session, self.bot.runner.step(run)

    async def on_reflect_button(self, interaction: discord.Interaction, args: list[str]) -> None:
        run_id, step_index = int(args[0]), int(args[1])
        _, step = await self._live_step(run_id, step_index)
        assert isinstance(step, ReflectStep)
        await send_form(interaction, ReflectForm(run_id, step_index, step))

    async def on_reflect_form(
        self, interaction: discord.Interaction, args: list[str], values: FormValues
    ) -> None:
        run_id, step_index = int(args[0]), int(args[1])
        _, step = await self._live_step(run_id, step_index)
        if not isinstance(step, ReflectStep):
            raise Conflict("That step has ended.")
        await self.save_reflection(
            interaction, run_id, step_index, step, values.text("answer"), values.flag("share")
        )

    async def save_reflection(
        self,
        interaction: discord.Interaction,
        run_id: int,
        step_index: int,
        step: ReflectStep,
        text: str,
        shared: bool,
    ) -> None:
        session, _ = await self._live_step(run_id, step_index)
        from bot.store.records import SessionRecord

        assert isinstance(session, SessionRecord)
        await controls.ensure_joined(interaction, session)
        outcome = await self.bot.runner.contribute(
            run_id,
            step_index,
            interaction.user.id,
            "reflection",
            {"text": text, "shared": shared},
            anonymous=step.anonymous,
        )
        where = (
            "It will be shared with the group when the step ends."
            if shared
            else "It stays private."
        )
        if step.anonymous:
            where = "It was saved anonymously." + (
                " It will be shared without your name." if shared else ""
            )
        verb = "updated" if outcome.replaced else "saved"
        await reply_ephemeral(interaction, f"💭 Thank you, your reflection is {verb}. {where}")
        self.bot.live.request_board(session.id)
        if outcome.update is not None:
            await self.bot.live.apply(outcome.update)

    async def on_breathe_button(self, interaction: discord.Interaction, args: list[str]) -> None:
        run_id, step_index = int(args[0]), int(args[1])
        session, _ = await self._live_step(run_id, step_index)
        from bot.store.records import SessionRecord

        assert isinstance(session, SessionRecord)
        await controls.ensure_joined(interaction, session)
        outcome = await self.bot.runner.contribute(
            run_id, step_index, interaction.user.id, "done", {}
        )
        await reply_ephemeral(interaction, "🌿 Well done. Rest a moment while the others finish.")
        self.bot.live.request_board(session.id)
        if outcome.update is not None:
            await self.bot.live.apply(outcome.update)


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, ChorusBot)
    await bot.add_cog(ReflectionCog(bot))

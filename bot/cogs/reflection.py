"""Answering reflect steps (through a modal) and finishing breathe steps."""

from __future__ import annotations

import discord
from discord.ext import commands

from bot.app import ChorusBot
from bot.cogs import controls
from bot.cogs.errors import reply_ephemeral
from bot.core.activities import ReflectStep, localize
from bot.core.errors import Conflict
from bot.ui.components import ChorusModal


class ReflectModal(ChorusModal):
    """The reflection form; the share box defaults to the step's visibility."""

    def __init__(self, cog: ReflectionCog, run_id: int, step_index: int, step: ReflectStep) -> None:
        super().__init__(title="Your reflection"[:45], timeout=900)
        self.cog = cog
        self.run_id = run_id
        self.step_index = step_index
        self.step = step
        self.answer: discord.ui.TextInput[ReflectModal] = discord.ui.TextInput(
            custom_id="answer",
            label=localize(step.question)[:45] or "Your reflection",
            style=discord.TextStyle.paragraph,
            max_length=step.max_chars,
            required=True,
            placeholder="A few words are plenty."[:100],
        )
        self.add_item(self.answer)
        self.share: discord.ui.Checkbox[ReflectModal] = discord.ui.Checkbox(
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
                component=self.share,
            )
        )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        shared = bool(self.share.value)
        await self.cog.save_reflection(
            interaction, self.run_id, self.step_index, self.step, self.answer.value, shared
        )


class ReflectionCog(commands.Cog):
    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        bot.register_component("reflect", self.on_reflect_button)
        bot.register_component("breathe", self.on_breathe_button)

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
        await interaction.response.send_modal(ReflectModal(self, run_id, step_index, step))

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

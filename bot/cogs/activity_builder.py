"""/activity new: write a simple activity in Discord, a step at a time, without YAML."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs import controls
from bot.cogs.extension import cog_setup
from bot.cogs.subcommands import attach, detach
from bot.core import activity_builder as builder
from bot.core.errors import InvalidInput
from bot.core.guild_library import Refused
from bot.i18n import N_
from bot.ui import activity_builder as ui
from bot.ui.forms import FormValues, send_form
from bot.ui.library import saved_text, send_upload_errors
from bot.ui.locale import reply_language
from bot.ui.replies import show_private


def _bot(interaction: discord.Interaction) -> ChorusBot:
    client = interaction.client
    assert isinstance(client, ChorusBot)
    return client


@app_commands.describe(
    activity_id="Its id, e.g. our-opening-circle (lowercase letters, digits, hyphens)",
    title="What the group sees, e.g. Our opening circle",
    summary="One or two sentences about it",
    minutes="About how long it takes",
)
@app_commands.rename(activity_id="id")
async def _new_callback(
    interaction: discord.Interaction,
    activity_id: app_commands.Range[str, 1, 64],
    title: app_commands.Range[str, 1, 100],
    summary: app_commands.Range[str, 1, 300],
    minutes: app_commands.Range[int, 1, 480],
) -> None:
    """/activity new: a private draft started for `activity_id` (lowercase words and hyphens, up
    to 64), `title`, `summary` and a length in `minutes` (1-480), for facilitators. Raises
    InvalidInput for a bad or taken id."""
    bot = _bot(interaction)
    guild_id, _unused = controls.facilitator_here(interaction)
    activity_id = builder.draft_id(bot.library, guild_id, activity_id)
    draft = builder.new_draft(activity_id, title, summary, minutes)
    locale = reply_language(bot.guild_settings, interaction)
    await show_private(
        interaction,
        embed=ui.draft_embed(builder.fenced(builder.render(draft)), draft["title"], 0, locale),
        view=ui.draft_view(0, locale),
    )


class ActivityBuilderCog(commands.Cog):
    """The draft's buttons and forms; `/activity new` joins the /activity group."""

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        self.new_command: app_commands.Command[Any, Any, Any] = app_commands.Command(
            name="new",
            description="Write a simple activity here, a step at a time (facilitators)",
            callback=_new_callback,
        )
        bot.register_family(ui.AddStepSelect, self.on_add)
        bot.register_family(ui.RemoveStepButton, self.on_pop)
        bot.register_family(ui.SaveDraftButton, self.on_save)
        bot.register_form(ui.StepFormId, self.on_step_form, what=N_("your step"))

    async def cog_load(self) -> None:
        """Adds /activity new to the /activity group (the group belongs to ActivitiesCog)."""
        attach(self.bot, "activity", self.new_command, loader=__name__)

    async def cog_unload(self) -> None:
        """Takes /activity new out of the /activity group again."""
        detach(self.bot, "activity", "new")

    def _draft(self, interaction: discord.Interaction) -> dict[str, Any]:
        message = interaction.message
        if message is None or not message.embeds:
            raise InvalidInput(
                N_("I can't find this draft any more. Start again with /activity new.")
            )
        return builder.parse(message.embeds[0].description or "")

    async def _show(self, interaction: discord.Interaction, draft: dict[str, Any]) -> None:
        steps = len(draft["steps"])
        locale = reply_language(self.bot.guild_settings, interaction)
        await interaction.response.edit_message(
            embed=ui.draft_embed(
                builder.fenced(builder.render(draft)), str(draft.get("title", "")), steps, locale
            ),
            view=ui.draft_view(steps, locale),
        )

    async def on_add(self, interaction: discord.Interaction, item: ui.AddStepSelect) -> None:
        """The kind select: open the chosen kind's step form (facilitators only). Raises
        InvalidInput when the choice is no kind with a step form."""
        controls.facilitator_only(interaction)
        kind = builder.offered_kind(item.chosen[0] if item.chosen else "")
        await send_form(
            interaction, ui.step_form(kind, reply_language(self.bot.guild_settings, interaction))
        )

    async def on_step_form(
        self, interaction: discord.Interaction, form: ui.StepFormId, values: FormValues
    ) -> None:
        """A step form submitted: add the step it describes to the draft. Raises InvalidInput
        (answered privately with what to fix) when the draft with that step doesn't validate."""
        controls.facilitator_only(interaction)
        kind = form.kind
        draft = self._draft(interaction)
        step = builder.step_from_form(kind, values.texts)
        candidate = {**draft, "steps": [*draft["steps"], step]}
        builder.check_draft(self.bot.library, candidate)
        await self._show(interaction, candidate)

    async def on_pop(self, interaction: discord.Interaction, item: ui.RemoveStepButton) -> None:
        """Remove the draft's last step (facilitators only)."""
        controls.facilitator_only(interaction)
        draft = self._draft(interaction)
        if draft["steps"]:
            draft["steps"] = draft["steps"][:-1]
        await self._show(interaction, draft)

    async def on_save(self, interaction: discord.Interaction, item: ui.SaveDraftButton) -> None:
        """Save the draft as one of the server's own activities (facilitators only)."""
        guild_id, _unused = controls.facilitator_here(interaction)
        draft = self._draft(interaction)
        name = f"{draft['id']}.yaml"
        result = await self.bot.library.upload(
            guild_id, interaction.user.id, name, builder.render(draft).encode("utf-8")
        )
        locale = reply_language(self.bot.guild_settings, interaction)
        if isinstance(result, Refused):
            await send_upload_errors(interaction, name, result.errors, locale)
            return
        await interaction.response.edit_message(
            content=saved_text(
                result.activity,
                result.record.version,
                result.shadows_shipped,
                copied=False,
                locale=locale,
            ),
            embed=None,
            view=None,
        )


setup = cog_setup(ActivityBuilderCog)

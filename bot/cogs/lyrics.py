"""Writing songs together: the write step's buttons and forms, /line and /rhyme.

The rules (turns, refusals, the song's record) are the lyrics service's; the live sheet and
turn pings are lyric_sheet.py's; saved songs and /song are song.py's.
"""

from __future__ import annotations

import asyncio
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs import attendance, controls
from bot.cogs.extension import cog_setup
from bot.cogs.lyric_sheet import LiveLyricSheet
from bot.core.errors import Conflict
from bot.core.lyric_lines import typed_line_number
from bot.core.lyric_slots import blanks
from bot.core.lyrics_service import LineAsk, LyricsService
from bot.core.rhymes import suggest
from bot.i18n import N_
from bot.ui.forms import FormValues, send_form
from bot.ui.locale import member_language, reply_language, server_language
from bot.ui.lyrics import rhyme_embed, thanks
from bot.ui.lyrics_forms import EditLineFormId, LineForm, LineFormId, RemoveForm, RemoveFormId
from bot.ui.replies import reply_ephemeral
from bot.ui.steps.write import LyricsButton


class LyricsCog(commands.Cog):
    """The buttons, forms and commands of write steps."""

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        self.service: LyricsService = bot.lyrics
        self.sheet = LiveLyricSheet(bot, self.service)
        bot.register_family(LyricsButton, self.on_button)
        bot.register_form(LineFormId, self.on_line_form, what=N_("your line"))
        bot.register_form(EditLineFormId, self.on_line_form, what=N_("your line"))
        bot.register_form(RemoveFormId, self.on_remove_form, what=N_("the line number"))

    async def cog_load(self) -> None:
        """Loads the lyric sheets of running write steps (the store is open by now)."""
        await self.sheet.load()

    async def cog_unload(self) -> None:
        """Stops the lyric sheets' pending refreshes."""
        self.sheet.close()

    # ---------------------------------------------------------------- buttons

    async def on_button(self, interaction: discord.Interaction, item: LyricsButton) -> None:
        """A write step's button (write, edit, pass, withdraw): the form or the change. Raises
        Conflict for an action this version doesn't know (an older version's button)."""
        run_id, step_index, user = item.run_id, item.step_index, interaction.user.id
        if item.action == "write":
            await self._send_line_form(
                interaction, item, await self.service.line_ask(run_id, step_index, user)
            )
        elif item.action == "edit":
            await self._send_line_form(
                interaction, item, await self.service.edit_ask(run_id, step_index, user)
            )
        elif item.action in ("pass", "withdraw"):
            await self.contribute(interaction, run_id, step_index, item.action, {})
        elif item.action == "remove":
            controls.facilitator_only(interaction)
            await self.service.live(run_id, step_index)
            await send_form(
                interaction, RemoveForm(run_id, step_index, member_language(interaction))
            )
        else:
            raise Conflict(N_("That button is from an older version of Chorus."))

    async def _send_line_form(
        self, interaction: discord.Interaction, item: LyricsButton, ask: LineAsk
    ) -> None:
        form = LineForm(
            item.run_id,
            item.step_index,
            ask.step,
            ask.slot,
            clue=ask.clue,
            hidden=ask.hidden,
            editing=ask.editing,
            locale=member_language(interaction),
        )
        await send_form(interaction, form)

    # ---------------------------------------------------------------- forms

    async def on_line_form(
        self,
        interaction: discord.Interaction,
        form: LineFormId | EditLineFormId,
        values: FormValues,
    ) -> None:
        """A line (or an edit) from the line form, whenever it comes: the step decides."""
        run_id, step_index, position = form.run_id, form.step_index, form.position
        slot = await self.service.form_slot(run_id, step_index, position)
        count = blanks(slot.template)
        payload: dict[str, Any]
        if count > 1 and "line0" in values.texts:
            payload = {"fills": [values.text(f"line{i}") for i in range(count)]}
        elif slot.template and count == 1:
            payload = {"fills": [values.text("line")]}
        else:
            payload = {"text": values.text("line")}
        if isinstance(form, EditLineFormId):
            await self.contribute(interaction, run_id, step_index, "edit", payload)
        else:
            payload["expected_position"] = position
            await self.contribute(interaction, run_id, step_index, "line", payload)

    async def on_remove_form(
        self, interaction: discord.Interaction, form: RemoveFormId, values: FormValues
    ) -> None:
        """The facilitator's remove form: the line number typed is taken out of the song. Raises
        InvalidInput (`typed_line_number`) when what was typed is no line number."""
        number = typed_line_number(values.text("number"))
        await self.remove(interaction, form.run_id, form.step_index, number)

    # ---------------------------------------------------------------- contributing

    async def contribute(
        self,
        interaction: discord.Interaction,
        run_id: int,
        step_index: int,
        kind: str,
        payload: dict[str, Any],
    ) -> None:
        """Save one song event (committed with its line in the song), reply privately, and
        show it on the sheet."""
        session, run, step = await self.service.live(run_id, step_index)
        await attendance.ensure_joined(interaction, session)
        user = interaction.user
        outcome = await self.service.contribute(
            session, run, step, user.id, user.display_name, kind, payload
        )
        shown = dict(outcome.record.payload)
        if server_language(self.bot.guild_settings, session.guild_id) != "en":
            # English syllable rules say nothing true about a line in another language.
            shown.pop("syl", None)
        await reply_ephemeral(interaction, thanks(step, kind, shown, member_language(interaction)))
        fresh = await self.service.run(run_id)
        if fresh is not None:
            await self.sheet.load_info(fresh, step)
        await self.bot.live.after_contribution(session.id, outcome.update)
        if outcome.update is None:
            self.sheet.request_sheet(run_id)

    async def remove(
        self, interaction: discord.Interaction, run_id: int, step_index: int, number: int
    ) -> None:
        """Take line `number` (1-based, as the sheet shows) out of the song at step `step_index` of run
        `run_id` (facilitators only)."""
        controls.facilitator_only(interaction)
        await self.contribute(interaction, run_id, step_index, "remove", {"number": number})

    # ---------------------------------------------------------------- slash commands

    @app_commands.command(name="line", description="Add your line to the song we're writing")
    @app_commands.describe(text="Your line (for a line with several blanks: part one / part two)")
    @app_commands.guild_only()
    async def line(self, interaction: discord.Interaction, text: str) -> None:
        """/line: `text` added as the member's line to the song the running write step is writing.
        Raises NotFound when no write step runs here, InvalidInput for a line the song's rules
        refuse."""
        session = await controls.session_here(interaction)
        run = await controls.live_run(interaction, session)
        self.service.writing(run)
        await self.contribute(interaction, run.id, run.step_index, "line", {"text": text})

    @app_commands.command(
        name="rhyme", description="Rhymes and near rhymes for a word (only you see them)"
    )
    @app_commands.describe(word="The word to rhyme with")
    async def rhyme(self, interaction: discord.Interaction, word: str) -> None:
        """/rhyme: near rhymes for `word` (its first 40 characters) in the song's language,
        privately (deferred first: the search takes 0.5-1 s)."""
        # Searching the dictionary for near rhymes takes 0.5-1 s: acknowledge first.
        await controls.defer_private(interaction)
        song_language = server_language(self.bot.guild_settings, interaction.guild_id)
        found = await asyncio.to_thread(suggest, word[:40], 24, song_language)
        reader = reply_language(self.bot.guild_settings, interaction)
        await controls.answer_deferred(interaction, embed=rhyme_embed(found, reader))


setup = cog_setup(LyricsCog)

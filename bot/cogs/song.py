"""/song: the facilitator's removal and title, and the songs saved in this server."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs import controls
from bot.cogs.extension import cog_setup, server_group
from bot.cogs.lyrics import LyricsCog
from bot.core.lyrics import credits
from bot.core.lyrics_service import LyricsService
from bot.core.session import clean_title
from bot.i18n import N_, _, ngettext
from bot.records.sessions import RunRecord, SessionRecord
from bot.records.songs import SongRecord
from bot.ui.format import sentence
from bot.ui.locale import member_language
from bot.ui.lyrics import SongSheet, sections_of
from bot.ui.replies import reply_ephemeral, reply_outcome, show_private
from bot.ui.songs import song_embed, song_file, song_list_embed

SONG_NUMBER = "The song's number from /song list"
"""What Discord shows under a saved song's `song_id` option (/song show and export)."""


class SongCog(commands.Cog):
    """The /song commands."""

    song = server_group("song", "Songs written together")

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        self.service: LyricsService = bot.lyrics

    @property
    def writing(self) -> LyricsCog:
        """The lyrics cog, which owns the live song sheet."""
        return controls.loaded_cog(self.bot, LyricsCog)

    async def _live_here(self, interaction: discord.Interaction) -> tuple[SessionRecord, RunRecord]:
        session = await controls.session_here(interaction)
        run = await controls.live_run(interaction, session)
        self.service.writing(run)
        return session, run

    @song.command(name="remove", description="Facilitators: take a line out of the song")
    @app_commands.describe(line_number="The line's number on the lyric sheet")
    async def song_remove(self, interaction: discord.Interaction, line_number: int) -> None:
        """/song remove: line `line_number` taken out of the song being written here (facilitators).
        Raises NotFound when no write step runs here; the line's own refusals come from the lyrics
        service."""
        controls.facilitator_only(interaction)
        _, run = await self._live_here(interaction)
        await self.writing.remove(interaction, run.id, run.step_index, line_number)

    @song.command(name="title", description="Facilitators: give the song a title")
    @app_commands.describe(
        title="The song's title", song_id="Which song (default: the one being written)"
    )
    async def song_title(
        self, interaction: discord.Interaction, title: str, song_id: int | None = None
    ) -> None:
        """/song title: the title of the song being written here, or of saved song `song_id`
        (facilitators). Raises InvalidInput for an empty title (a long one is cut to TITLE_MAX
        characters), NotFound for no such song."""
        controls.facilitator_only(interaction)
        clean = clean_title(title)
        if song_id is None:
            session, run = await self._live_here(interaction)
            step = self.service.writing(run)
            song = await self.service.song(session, run, step)
            await self.service.set_title(song.id, clean)
            await self.writing.sheet.load_info(run, step)
        else:
            song = await self.service.guild_song(interaction.guild_id, song_id)
            await self.service.set_title(song.id, clean)
        await reply_ephemeral(
            interaction,
            sentence(
                _(
                    "🎶 Song #{number} is now called **{title}**",
                    member_language(interaction),
                    number=song.id,
                    title=clean,
                )
            ),
        )

    @song.command(name="list", description="Songs written together in this server")
    async def song_list(self, interaction: discord.Interaction) -> None:
        """/song list: the songs written together in this server, with their line counts,
        privately."""
        locale = member_language(interaction)
        rows = [
            (
                song.id,
                song.title or _("Song #{number}", locale, number=song.id),
                count,
                song.created_at,
            )
            for song, count in await self.service.songs_in(interaction.guild_id or 0)
        ]
        await show_private(interaction, embed=song_list_embed(rows, locale))

    @song.command(name="show", description="Read a saved song")
    @app_commands.describe(song_id=SONG_NUMBER)
    async def song_show(self, interaction: discord.Interaction, song_id: int) -> None:
        """/song show: saved song `song_id` as an embed, privately. Raises NotFound for a song of
        another server or none."""
        sheet = await self.saved_sheet(await self.service.guild_song(interaction.guild_id, song_id))
        await show_private(interaction, embed=song_embed(sheet, member_language(interaction)))

    @song.command(name="export", description="A saved song as a text or Markdown file")
    @app_commands.describe(song_id=SONG_NUMBER, format="File format")
    async def song_export(
        self,
        interaction: discord.Interaction,
        song_id: int,
        format: Literal["markdown", "text"] = "markdown",
    ) -> None:
        """/song export: saved song `song_id` as a text or Markdown file, privately. Raises NotFound
        for a song of another server or none."""
        sheet = await self.saved_sheet(await self.service.guild_song(interaction.guild_id, song_id))
        locale = member_language(interaction)
        await show_private(
            interaction,
            ngettext(
                "🎶 **{title}**, {count} line.",
                "🎶 **{title}**, {count} lines.",
                sheet.line_count,
                locale,
                title=sheet.title_in(locale),
            ),
            file=song_file(sheet, format, locale=locale),
        )

    @song.command(name="credit", description="Be named in song credits, or credited as the group")
    @app_commands.describe(setting="on: your name in credits; off: you're part of “the group”")
    async def song_credit(
        self, interaction: discord.Interaction, setting: Literal["on", "off"]
    ) -> None:
        """/song credit: whether the member is named in song credits (on) or credited as the group
        (off), privately confirmed."""
        named = setting == "on"
        await self.service.set_credit(interaction.guild_id or 0, interaction.user.id, named)
        await reply_outcome(
            interaction,
            named,
            N_("Your name will appear in the credits of songs you help write."),
            N_("You'll be credited as part of “the group” in songs from now on."),
        )

    async def saved_sheet(self, song: SongRecord) -> SongSheet:
        """A saved song as the sheet shows and exports it."""
        saved = await self.service.saved(song)
        return SongSheet(
            title=song.title,
            theme=song.theme,
            sections=sections_of(saved.slots, saved.lines),
            credits=credits(saved.lines, song.anonymous, saved.opted_out),
            names=saved.names,
            song_id=song.id,
            written_at=song.created_at,
        )


setup = cog_setup(SongCog)

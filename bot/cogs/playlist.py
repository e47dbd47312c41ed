"""/listen: the session playlist, what is playing, and the media library (uploads)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs import attendance, controls
from bot.cogs.access import is_facilitator, require_guild
from bot.cogs.extension import cog_setup, server_group
from bot.cogs.listening import ListeningCog
from bot.core.listening_service import ListeningService
from bot.core.media_library import check_upload_size
from bot.core.steps.listen import ListenStep
from bot.i18n import _
from bot.records.sessions import SessionRecord
from bot.ui.format import duration
from bot.ui.listening import library_embed, now_playing, playlist_embed
from bot.ui.locale import member_language
from bot.ui.replies import reply_ephemeral, show_private


class PlaylistCog(commands.Cog):
    """The /listen commands: suggest, playlist, remove, now, library and upload."""

    listen = server_group("listen", "Shared listening: the session playlist and the media library")

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        self.service: ListeningService = bot.listening

    @property
    def cards(self) -> ListeningCog:
        """The listening cog, which redraws the cards a playlist change touches."""
        return controls.loaded_cog(self.bot, ListeningCog)

    async def _changed(self, session: SessionRecord) -> None:
        await self.cards.refresh_live_vote(session)

    @listen.command(name="suggest", description="Add a song to this session's playlist")
    @app_commands.describe(
        title="The song's title",
        artist="Who made it (optional)",
        url="A link to it, starting with https:// (optional)",
        note="A line about why (optional)",
    )
    async def suggest(
        self,
        interaction: discord.Interaction,
        title: app_commands.Range[str, 1, 100],
        artist: app_commands.Range[str, 0, 100] | None = None,
        url: app_commands.Range[str, 0, 500] | None = None,
        note: app_commands.Range[str, 0, 200] | None = None,
    ) -> None:
        """/listen suggest: a song added to this session's playlist (the member joins the session if
        not in it). Raises InvalidInput for a link that isn't an https address, Conflict when the
        playlist or the member's share of it is full (the caps are the service's)."""
        locale = member_language(interaction)
        session = await controls.session_here(interaction)
        song = self.service.suggestion(title, artist, url, note)
        await attendance.ensure_joined(interaction, session)
        nomination = await self.service.suggest(session, interaction.user.id, song)
        await reply_ephemeral(
            interaction,
            _(
                "🎵 Added **{title}** to the playlist (entry #{id}). /listen playlist shows "
                "everything suggested so far.",
                locale,
                title=nomination.title,
                id=nomination.id,
            ),
        )
        await self._changed(session)

    @listen.command(name="playlist", description="Show this session's playlist")
    async def playlist(self, interaction: discord.Interaction) -> None:
        """/listen playlist: the session's playlist, with entry numbers for facilitators,
        privately."""
        locale = member_language(interaction)
        session = await controls.session_here(interaction)
        shown = await self.service.playlist(session)
        facilitator = is_facilitator(
            interaction.user, self.bot.guild_settings.for_guild(interaction.guild_id)
        )
        embed = playlist_embed(
            session.title,
            shown.nominations,
            facilitator=facilitator,
            hidden_credit=shown.hidden_credit,
            names=shown.names,
            locale=locale,
        )
        await show_private(interaction, embed=embed)

    @listen.command(name="remove", description="Remove an entry from the playlist (facilitators)")
    @app_commands.describe(entry="The entry's number, as /listen playlist shows it (#12 -> 12)")
    async def remove(self, interaction: discord.Interaction, entry: int) -> None:
        """/listen remove: playlist entry `entry` removed (facilitators). Raises NotFound for an
        unknown entry."""
        locale = member_language(interaction)
        controls.facilitator_only(interaction)
        session = await controls.session_here(interaction)
        nomination = await self.service.remove(session, entry)
        await reply_ephemeral(
            interaction, _("Removed **{title}** from the playlist.", locale, title=nomination.title)
        )
        await self._changed(session)

    @listen.command(name="now", description="What is playing and how long is left (facilitators)")
    async def now(self, interaction: discord.Interaction) -> None:
        """/listen now: the piece playing in the running listen step and the time left
        (facilitators), privately."""
        locale = member_language(interaction)
        controls.facilitator_only(interaction)
        session = await controls.session_here(interaction)
        run = await self.bot.runner.live_run(session.id)
        step = self.bot.runner.step(run) if run is not None else None
        if run is None or not isinstance(step, ListenStep):
            await reply_ephemeral(
                interaction, _("Nothing is playing: the session isn't on a listening step.", locale)
            )
            return
        track = await self.service.resolve_track(session, run, run.step_index)
        where = self.cards.voice.where(session, (run.id, run.step_index), locale)
        now = self.bot.clock().timestamp()
        await reply_ephemeral(interaction, now_playing(run, step, track, where, now, locale))

    @listen.command(name="library", description="The audio files the bot can play in voice")
    async def library(self, interaction: discord.Interaction) -> None:
        """/listen library: the server's audio files the bot can play, privately."""
        locale = member_language(interaction)
        guild_id, _unused = require_guild(interaction)
        tracks, others = await self.service.media.library(guild_id)
        await show_private(interaction, embed=library_embed(tracks, others, locale))

    @listen.command(name="upload", description="Add an audio file to the library (facilitators)")
    @app_commands.describe(
        file="An audio file (MP3, OGG, FLAC, WAV, M4A)",
        title="The piece's title (default: from the file's tags or name)",
        artist="Who made or performs it",
    )
    async def upload(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment,
        title: app_commands.Range[str, 1, 100] | None = None,
        artist: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        """/listen upload: an audio attachment checked (size against `upload_max_mb`, then by
        ffprobe) and added to the server's library (facilitators). Raises InvalidInput for a file
        too large or not audio."""
        locale = member_language(interaction)
        guild_id, _unused = controls.facilitator_here(interaction)
        limit_mb = self.bot.settings.upload_max_mb
        check_upload_size(file.size, limit_mb)
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await file.read()
        saved = await self.service.media.upload(
            guild_id, interaction.user.id, data, file.filename, title, artist, limit_mb
        )
        track = saved.track
        fields = {"title": track.title, "artist": track.artist, "file_name": saved.file_name}
        if saved.duration:
            fields["length"] = duration(saved.duration, locale)
        text = (
            _(
                "📥 Saved **{title}** by {artist} ({length}) to the library as `{file_name}`. "
                "Use it in an activity's track with `file: {file_name}`.",
                locale,
                **fields,
            )
            if track.artist and saved.duration
            else _(
                "📥 Saved **{title}** by {artist} to the library as `{file_name}`. "
                "Use it in an activity's track with `file: {file_name}`.",
                locale,
                **fields,
            )
            if track.artist
            else _(
                "📥 Saved **{title}** ({length}) to the library as `{file_name}`. "
                "Use it in an activity's track with `file: {file_name}`.",
                locale,
                **fields,
            )
            if saved.duration
            else _(
                "📥 Saved **{title}** to the library as `{file_name}`. "
                "Use it in an activity's track with `file: {file_name}`.",
                locale,
                **fields,
            )
        )
        await reply_ephemeral(interaction, text)


setup = cog_setup(PlaylistCog)

"""Playing a listen step's piece in the session's voice channel, and falling back to the card.

`ListenVoice` belongs to the listening cog (bot/cogs/listening.py), which calls it as the step
moves and forwards the voice events of discord.py to it. One voice job per server joins the
channel during the countdown and starts the piece (or set) at its planned second, off the timer
path; any problem falls back to the step's card, told once to the facilitator in the server's
language (a problem is a refusal, `VoiceUnavailable` or `MediaPathError`, worded where it is shown).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import discord

from bot.chorus_bot import ChorusBot
from bot.core.errors import UserFacingError
from bot.core.listening import COUNTDOWN, PLAYING, set_tracks, step_track
from bot.core.listening_service import ListeningService
from bot.core.media import MediaPathError, playable_path
from bot.core.steps.listen import ListenStep
from bot.i18n import N_, _
from bot.records.sessions import RunRecord, SessionRecord
from bot.ui.listening import listen_state
from bot.ui.locale import server_language
from bot.ui.steps.listen import Note
from bot.voice import refusals
from bot.voice.player import Piece, VoiceChannelLike, VoiceUnavailable

log = logging.getLogger("chorus.listening")
Key = tuple[int, int]
Redraw = Callable[[SessionRecord, Key], Awaitable[None]]


class ListenVoice:
    """Voice playback of listen steps: which step plays where, and which steps fell back."""

    def __init__(self, bot: ChorusBot, service: ListeningService, redraw: Redraw) -> None:
        self.bot = bot
        self.service = service
        self._redraw = redraw
        self.playing: dict[int, Key] = {}  # guild id -> the step playing there
        # guild id -> the task joining voice and starting the piece (off the timer path)
        self.jobs: dict[int, tuple[Key, asyncio.Task[None]]] = {}
        self.failed: dict[Key, UserFacingError] = {}  # steps whose voice failed (told once)
        self.left: set[Key] = set()  # steps whose channel emptied: no rejoining
        self.notes: dict[Key, Note] = {}
        """Where each step's piece is heard, as its card says (the listening cog's scene)."""

    def close(self) -> None:
        """Cancel every playback job (the bot is closing)."""
        for _key, task in self.jobs.values():
            task.cancel()
        self.jobs.clear()

    def forget(self, key: Key) -> None:
        """Drop what is kept about the step `key` (run id, step index) once it is over."""
        self.failed.pop(key, None)
        self.notes.pop(key, None)
        self.left.discard(key)

    def where(self, session: SessionRecord, key: Key, locale: str = "en") -> str:
        """Where a file piece is heard now, for /listen now (in ``locale``)."""
        failed = self.failed.get(key)
        job = self.jobs.get(session.guild_id)
        channel = f"<#{session.voice_channel_id}>"
        if failed is not None:
            return _("Not in voice: {reason}", locale, reason=failed.text(locale))
        if self.playing.get(session.guild_id) == key:
            return _("In voice in {channel}.", locale, channel=channel)
        if job is not None and job[0] == key and not job[1].done():
            return _("Joining {channel} for the start.", locale, channel=channel)
        return _("Not in voice.", locale)

    async def step_ended(self, guild_id: int, key: Key) -> None:
        """The listen step `key` ended: stop its playback in the server."""
        joining = self.cancel(guild_id, key)
        if self.playing.get(guild_id) == key or joining:
            # Playing, or joined and waiting for the start (a step skipped in its
            # countdown): stop and leave either way.
            self.playing.pop(guild_id, None)
            await self.bot.voice.stop(guild_id)

    async def paused(self, guild_id: int, key: Key) -> None:
        # A piece waiting to start would start at a stale second: it is re-planned on Resume.
        """The listen step `key` was paused: its playback stops."""
        self.cancel(guild_id, key)
        if self.playing.get(guild_id) == key:
            await self.bot.voice.pause(guild_id)

    async def resumed(self, guild_id: int, key: Key) -> None:
        """The listen step `key` resumed: its playback starts again if it was playing."""
        if self.playing.get(guild_id) == key:
            await self.bot.voice.resume(guild_id)

    async def ensure(self, session: SessionRecord, run: RunRecord) -> None:
        """Start the voice job of a running listen step that plays a file, unless it runs.

        Called when the step is entered (so the bot joins during the countdown), on every
        update (Resume re-plans the start), and after a restart (the piece resumes where it
        should be now).
        """
        step_index = run.step_index
        step = self.bot.runner.step_at(run, step_index)
        if not isinstance(step, ListenStep) or run.state != "running":
            return
        key = (run.id, step_index)
        guild_id = session.guild_id
        if self.playing.get(guild_id) == key or key in self.failed or key in self.left:
            return
        job = self.jobs.get(guild_id)
        if job is not None and job[0] == key and not job[1].done():
            return
        state = listen_state(run)
        if state.phase not in (COUNTDOWN, PLAYING):
            return
        own = step_track(step)
        if own is not None and not own.file:
            return  # a link or text card: nothing for voice (and no store reads per update)
        track = own or await self.service.resolve_track(session, run, step_index)
        if track is None or not track.file:
            return
        files = [(t.file, t.duration) for t in [track, *set_tracks(step)] if t.file]
        played = await self.service.play_for_step(run.id, step_index)
        if played is not None and played.mode != "voice":
            return  # it fell back to the card earlier: that stays the honest story
        start_at = state.piece_start()
        if start_at is None:
            return
        self.cancel(guild_id)
        task = asyncio.create_task(
            self._job(session, key, files, start_at, step.volume), name=f"chorus-voice-{key}"
        )
        self.jobs[guild_id] = (key, task)

    def cancel(self, guild_id: int, key: Key | None = None) -> bool:
        """Cancel the guild's voice job (for `key` only, if given); True if there was one."""
        job = self.jobs.get(guild_id)
        if job is None or (key is not None and job[0] != key):
            return False
        self.jobs.pop(guild_id, None)
        if job[1] is not asyncio.current_task():  # a job failing tidies up after itself
            job[1].cancel()
        return not job[1].done()

    def _language(self, session: SessionRecord) -> str:
        """The facilitator's messages and the card's notes: the server's language."""
        return server_language(self.bot.guild_settings, session.guild_id)

    def problem(self, session: SessionRecord, key: Key) -> str | None:
        """Why a step's piece isn't heard in voice, in the server's language (None: no problem)."""
        failed = self.failed.get(key)
        return None if failed is None else failed.text(self._language(session))

    def _channel(self, session: SessionRecord, file: str) -> VoiceChannelLike:
        if session.voice_channel_id is None:
            raise refusals.no_voice_channel(file)
        channel = self.bot.get_channel(session.voice_channel_id)
        if not isinstance(channel, discord.VoiceChannel | discord.StageChannel):
            raise refusals.voice_channel_gone()
        return channel

    async def _job(
        self,
        session: SessionRecord,
        key: Key,
        files: list[tuple[str, int | None]],
        start_at: float,
        volume: float,
    ) -> None:
        """Join the voice channel now, start the piece (or set) at `start_at` (UTC timestamp);
        any problem falls back to the card."""
        try:
            channel = self._channel(session, files[0][0])
            pieces = []
            for file, seconds in files:
                path = playable_path(self.bot.settings.media_dir, file)
                pieces.append(Piece(path, seconds))
            await self.bot.voice.connect(channel)
            await self.bot.voice.play(channel, pieces, start_at=start_at, volume=volume)
        except (VoiceUnavailable, MediaPathError) as problem:
            log.info("voice playback fell back to text in session %s: %s", session.id, problem)
            await self.fail(session, key, problem)
            return
        except Exception:
            log.exception("voice playback failed in session %s", session.id)
            await self.fail(session, key, refusals.unexpected())
            return
        finally:
            job = self.jobs.get(session.guild_id)
            if job is not None and job[0] == key and job[1] is asyncio.current_task():
                self.jobs.pop(session.guild_id, None)
        self.playing[session.guild_id] = key
        self.notes[key] = (
            N_("🔊 Playing now in {channel}. Join the voice channel to listen."),
            {"channel": f"<#{session.voice_channel_id}>"},
        )
        await self._redraw(session, key)

    async def fail(self, session: SessionRecord, key: Key, problem: UserFacingError) -> None:
        """Fall back to the card: one message to the facilitator per step (`problem` worded in
        the server's language), the card says so."""
        if key in self.failed:
            return
        self.failed[key] = problem
        message = problem.text(self._language(session))
        if session.voice_channel_id is None:
            self.notes[key] = N_("Follow the card below while the group listens.")
        else:
            self.notes[key] = N_(
                "Voice playback isn't available right now; follow the card below while the "
                "group listens."
            )
        joining = self.cancel(session.guild_id, key)
        if self.playing.get(session.guild_id) == key or joining:
            self.playing.pop(session.guild_id, None)
            await self.bot.voice.stop(session.guild_id)
        await self.service.fell_back_to_text(*key, message)
        await self.bot.live.tell_facilitator(session, message)
        await self._redraw(session, key)

    async def _session_of(self, key: Key) -> SessionRecord | None:
        run = await self.service.run(key[0])
        return None if run is None else await self.service.session(run.session_id)

    async def on_problem(self, guild_id: int, problem: VoiceUnavailable) -> None:
        """The player reports a break after the start (FFmpeg error, connection lost)."""
        key = self.playing.get(guild_id)
        session = await self._session_of(key) if key is not None else None
        if key is not None and session is not None:
            await self.fail(session, key, problem)

    def _key(self, guild_id: int) -> Key | None:
        key = self.playing.get(guild_id)
        if key is None:
            job = self.jobs.get(guild_id)
            key = job[0] if job is not None else None
        return key

    async def bot_moved(
        self, member: discord.Member, before: discord.VoiceState, after: discord.VoiceState
    ) -> None:
        """Someone disconnected or moved the bot while it played (or was about to)."""
        key = self._key(member.guild.id)
        if key is None or before.channel is None or self.bot.voice.leaving(member.guild.id):
            return  # not playing, joining, or the player left by itself (the piece ended)
        if after.channel is not None and after.channel.id == before.channel.id:
            return  # mute, deafen: not a move
        session = await self._session_of(key)
        if session is None or before.channel.id != session.voice_channel_id:
            return  # our own move into the session's channel
        moved_to = None if after.channel is None else after.channel.id
        await self.fail(session, key, refusals.moved_away(before.channel.id, moved_to))

    async def member_moved(
        self, member: discord.Member, before: discord.VoiceState, after: discord.VoiceState
    ) -> None:
        """Stop and leave when the last person leaves the channel the bot is playing in."""
        if member.bot or before.channel is None:
            return
        guild_id = member.guild.id
        playing_in = self.bot.voice.channel_of(guild_id)
        if playing_in is None or before.channel.id != playing_in:
            return
        if after.channel is not None and after.channel.id == playing_in:
            return
        if any(not m.bot for m in before.channel.members):
            return
        log.info("voice channel %s emptied; stopping playback", playing_in)
        key = self._key(guild_id)
        if key is not None:
            self.left.add(key)
        self.playing.pop(guild_id, None)
        self.cancel(guild_id)
        await self.bot.voice.stop(guild_id)

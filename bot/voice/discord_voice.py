"""`DiscordVoice`: the real player, one discord.py voice connection per server.

It joins with `VoiceChannel.connect`, plays through FFmpeg (`bot/voice/ffmpeg.py`) at the
announced second, seeks into the set when that second has passed, and leaves when the piece
ends. Tested against a voice protocol peer (tests/fakes/discord_voice.py).
"""

from __future__ import annotations

import asyncio
import logging
import shutil

import discord

from bot.core.clock import Clock, timestamp
from bot.i18n import N_
from bot.voice.ffmpeg import make_source
from bot.voice.player import (
    Playback,
    ProblemHandler,
    VoiceChannelLike,
    VoicePlayer,
    VoiceUnavailable,
)
from bot.voice.refusals import (
    AUDIO_BROKE,
    DISCONNECTED,
    FFMPEG_MISSING,
    LOST_BEFORE_START,
    NOT_STARTED,
    channel_problem,
    connect_reason,
    start_reason,
)

log = logging.getLogger("chorus.voice")

# FFmpeg is started this long before the announced second, so the first frame is ready on time.
PREPARE_LEAD = 1.0


class DiscordVoice(VoicePlayer):
    """The real player: one voice connection per server, through discord.py."""

    def __init__(
        self,
        client: discord.Client,
        *,
        executable: str = "ffmpeg",
        clock: Clock = discord.utils.utcnow,
        connect_timeout: float = 20.0,
    ) -> None:
        self._client = client
        self._executable = executable
        self._clock = clock
        self._connect_timeout = connect_timeout
        self._handler: ProblemHandler | None = None
        self._stopping: set[int] = set()
        self._generation: dict[int, int] = {}
        self._leaving: dict[int, asyncio.Task[None]] = {}

    def on_problem(self, handler: ProblemHandler) -> None:
        """See `VoicePlayer.on_problem`."""
        self._handler = handler

    def _voice_client(self, guild_id: int) -> discord.VoiceClient | None:
        guild = self._client.get_guild(guild_id)
        vc = guild.voice_client if guild is not None else None
        return vc if isinstance(vc, discord.VoiceClient) else None

    def _leave_later(self, guild_id: int, vc: discord.VoiceClient) -> None:
        """Leave the channel in a task of its own: discord.py waits (up to the connect
        timeout) for Discord to confirm a leave, and stopping is called on the timer path."""
        task = asyncio.create_task(vc.disconnect(force=True), name=f"chorus-voice-leave-{guild_id}")
        self._leaving[guild_id] = task

        def done(finished: asyncio.Task[None]) -> None:
            if self._leaving.get(guild_id) is finished:
                self._leaving.pop(guild_id, None)
            if not finished.cancelled() and finished.exception() is not None:
                log.info("leaving voice in %s failed: %r", guild_id, finished.exception())

        task.add_done_callback(done)

    async def connect(self, channel: VoiceChannelLike) -> None:
        """See `VoicePlayer.connect`: waits (at most the connect timeout, seconds) for a leave still
        unconfirmed, and leaves and joins to move. Raises VoiceUnavailable without FFmpeg, for the
        channel's problem (permissions) or when connecting fails or times out."""
        if shutil.which(self._executable) is None:
            raise VoiceUnavailable(FFMPEG_MISSING)
        leaving = self._leaving.get(channel.guild.id)
        if leaving is not None:
            # Joining while the last leave is unconfirmed confuses discord.py's voice state.
            await asyncio.wait([leaving], timeout=self._connect_timeout)
        vc = self._voice_client(channel.guild.id)
        here = vc is not None and vc.is_connected() and vc.channel is not None
        if here and vc is not None and vc.channel is not None and vc.channel.id == channel.id:
            return
        refused = channel_problem(channel)
        if refused is not None:
            raise refused
        try:
            if vc is not None:
                # Leave and join rather than VoiceClient.move_to: one connection path, the
                # one the voice-peer test proves. Moving is rare (two sessions with voice in
                # one server), and the piece is started afresh after it anyway.
                self._stopping.add(channel.guild.id)
                await vc.disconnect(force=True)
            await channel.connect(timeout=self._connect_timeout, reconnect=True, self_deaf=True)
            self._stopping.discard(channel.guild.id)
        except (TimeoutError, discord.ClientException, RuntimeError, OSError) as error:
            # discord.py's own words (English, technical) stay in the log; members read ours.
            log.warning("voice connect failed in %s: %r", channel.id, error)
            stale = self._voice_client(channel.guild.id)
            if stale is not None:
                await stale.disconnect(force=True)
            raise VoiceUnavailable(
                N_(
                    "I couldn't connect to {channel} to play the track ({error}). Members can "
                    "follow the link or text card instead."
                ),
                channel=channel.mention,
                error=connect_reason(error),
            ) from error

    async def start(self, channel: VoiceChannelLike, playback: Playback) -> None:
        """See `VoicePlayer.start`: one FFmpeg source for the set from `start_at` (Unix seconds).
        Raises VoiceUnavailable when the connection was lost first."""
        pieces, start_at = playback.pieces, playback.start_at
        vc = self._voice_client(channel.guild.id)
        if vc is None:
            raise VoiceUnavailable(LOST_BEFORE_START, channel=channel.mention)
        guild_id = channel.guild.id
        # A new generation first: the piece this one replaces must not leave the channel
        # when it finishes (see _finished).
        generation = self._generation.get(guild_id, 0) + 1
        self._generation[guild_id] = generation
        if vc.is_playing() or vc.is_paused():
            self._stopping.add(guild_id)
            vc.stop()
        wait = start_at - timestamp(self._clock)
        if wait > PREPARE_LEAD:
            await asyncio.sleep(wait - PREPARE_LEAD)
        # The first frame goes out at the announced second, or, when that has passed (a
        # restart, a slow connect), PREPARE_LEAD from now, seeking to where the piece is by
        # then: either way FFmpeg gets PREPARE_LEAD to have its first frames ready, and what
        # plays matches the clock everyone was shown.
        begin = max(start_at, timestamp(self._clock) + PREPARE_LEAD)
        offset = begin - start_at
        try:
            source = make_source(
                pieces, executable=self._executable, offset=offset, volume=playback.volume
            )
        except (discord.ClientException, OSError) as error:
            log.warning("voice source for %s failed: %r", channel.id, error)
            raise VoiceUnavailable(NOT_STARTED, error=start_reason(error)) from error
        wait = begin - timestamp(self._clock)
        try:
            if wait > 0:
                await asyncio.sleep(wait)
        except asyncio.CancelledError:
            source.cleanup()  # the step ended or paused before the start: no stray FFmpeg
            raise
        vc = self._voice_client(guild_id)
        if vc is None or not vc.is_connected():
            source.cleanup()
            raise VoiceUnavailable(LOST_BEFORE_START, channel=channel.mention)
        if self._generation.get(guild_id) != generation:
            source.cleanup()
            raise VoiceUnavailable(N_("Another piece was started in this server instead."))
        loop = asyncio.get_running_loop()
        self._stopping.discard(guild_id)

        def finished(error: Exception | None) -> None:
            # Runs on the audio thread: hand over to the event loop.
            loop.call_soon_threadsafe(
                lambda: loop.create_task(self._finished(guild_id, generation, error))
            )

        try:
            vc.play(source, after=finished)
        except (discord.ClientException, OSError) as error:
            source.cleanup()
            log.warning("voice playback in %s failed to start: %r", channel.id, error)
            raise VoiceUnavailable(NOT_STARTED, error=start_reason(error)) from error
        names = " + ".join(p.path.name for p in pieces)
        # The scheduled second is logged too: the voice-peer tests hold what a listener hears to
        # it (tests/voice/test_discord_voice.py), and it tells a late start from a wrong seek.
        log.info(
            "playing %s in %s from %.2f s, scheduled for %.3f", names, channel.id, offset, begin
        )

    async def _finished(self, guild_id: int, generation: int, error: Exception | None) -> None:
        if self._generation.get(guild_id) != generation:
            return  # a newer piece replaced this one
        stopped = guild_id in self._stopping
        vc = self._voice_client(guild_id)
        lost = vc is None or not vc.is_connected()
        if not stopped and (error is not None or lost) and self._handler is not None:
            if error is not None:
                log.warning("voice playback ended with an error: %s", error)
            problem = VoiceUnavailable(AUDIO_BROKE if error is not None else DISCONNECTED)
            await self._handler(guild_id, problem)
        # Leave when the piece ends: sitting silently in the channel helps no one.
        if vc is not None and not vc.is_playing() and not vc.is_paused():
            self._stopping.add(guild_id)
            self._leave_later(guild_id, vc)

    async def stop(self, guild_id: int) -> None:
        """See `VoicePlayer.stop`: the music stops now; the leave is confirmed in the background."""
        vc = self._voice_client(guild_id)
        if vc is None:
            return
        self._stopping.add(guild_id)
        vc.stop()  # the music stops now; the leave is confirmed in the background
        self._leave_later(guild_id, vc)

    async def pause(self, guild_id: int) -> None:
        """See `VoicePlayer.pause`."""
        vc = self._voice_client(guild_id)
        if vc is not None and vc.is_playing():
            vc.pause()

    async def resume(self, guild_id: int) -> None:
        """See `VoicePlayer.resume`."""
        vc = self._voice_client(guild_id)
        if vc is not None and vc.is_paused():
            vc.resume()

    def channel_of(self, guild_id: int) -> int | None:
        """See `VoicePlayer.channel_of`."""
        vc = self._voice_client(guild_id)
        return vc.channel.id if vc is not None and vc.channel is not None else None

    def leaving(self, guild_id: int) -> bool:
        """See `VoicePlayer.leaving`: True between our own stop and the leave's end."""
        return guild_id in self._stopping

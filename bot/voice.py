"""Voice playback behind a small interface, so the step logic never depends on a real connection.

`DiscordVoice` is the real thing (VoiceChannel.connect + FFmpegOpusAudio with loudness
normalisation, input seeking and a per-step volume); `RecordingVoice` is the stand-in the
simulated-Discord tests inject (`create_bot(voice=...)`), because simcord can't carry audio.
`DiscordVoice` itself is tested against a voice protocol peer (tests/fakes/discord_voice.py).

Joining and playing are separate: the listening cog joins during the countdown in a task of its
own, then asks for the piece to start at the announced second (`start_at`). A start in the past
(a restart mid-piece, a slow connect) seeks into the file so the music is where it should be now.
Every way playback can fail is a `VoiceUnavailable`: a refusal (bot/core/errors.py) carrying one
catalogue sentence for the facilitator and its fields, worded in the reader's language by
`text(locale)` where it is shown (`message` stays English, for logs). Problems after the start
(an FFmpeg error, a lost connection) go to the problem handler as such an error too.
"""

from __future__ import annotations

import asyncio
import logging
import shlex
import shutil
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import discord

from bot.core.errors import UserFacingError
from bot.core.listening import piece_at
from bot.i18n import N_, format_list, gettext, ngettext

log = logging.getLogger("chorus.voice")

# EBU R128-style normalisation: every piece comes out at about the same loudness.
LOUDNORM = "loudnorm=I=-16:TP=-1.5:LRA=11"
BITRATE_KBPS = 128
# FFmpeg is started this long before the announced second, so the first frame is ready on time.
PREPARE_LEAD = 1.0

FFMPEG_MISSING = N_(
    "I couldn't play the track in voice because FFmpeg isn't installed on the bot's computer. "
    "Members can still follow the text card; ask whoever runs the bot to install FFmpeg."
)
AUDIO_BROKE = N_(
    "The music stopped in voice before the end of the piece (the audio couldn't be read any "
    "further). Members can follow the card instead."
)
DISCONNECTED = N_(
    "I was disconnected from the voice channel in the middle of the piece, so the music "
    "stopped. Members can follow the card instead."
)
LOST_BEFORE_START = N_(
    "I lost the connection to {channel} before the piece started. Members can follow the link "
    "or text card instead."
)
NOT_STARTED = N_(
    "I couldn't start the track in voice ({error}). Members can follow the text card instead."
)
# Discord's own names of the permissions (as its settings show them, in each client language).
VIEW_CHANNEL = N_("View Channel")
CONNECT = N_("Connect")
SPEAK = N_("Speak")

# Why a connection or a start failed, in members' words (discord.py's and FFmpeg's own texts are
# English and technical: they go to the log only).
TOOK_TOO_LONG = N_("it took too long")
VOICE_LIBRARIES_MISSING = N_("the bot's computer lacks the voice libraries")
NETWORK_FAILED = N_("the network connection to Discord's voice server failed")
VOICE_REFUSED = N_("Discord's voice connection refused")
FFMPEG_NOT_FOUND = N_("FFmpeg isn't installed on the bot's computer")
FILE_UNREADABLE = N_("the audio file couldn't be opened")
NOT_READY = N_("the voice connection wasn't ready")
FFMPEG_FAILED = N_("FFmpeg couldn't start")


def connect_reason(error: BaseException) -> str:
    """The catalogue text (msgid) that explains a failed voice connection to members."""
    text = str(error)
    if isinstance(error, TimeoutError) or not text:
        return TOOK_TOO_LONG
    if "PyNaCl" in text or "davey" in text or "opus" in text.lower():
        return VOICE_LIBRARIES_MISSING
    if isinstance(error, OSError):
        return NETWORK_FAILED
    return VOICE_REFUSED


def start_reason(error: BaseException) -> str:
    """The catalogue text (msgid) that explains why a piece couldn't start (FFmpeg or the
    voice client refused)."""
    text = str(error).lower()
    if "ffmpeg" in text and "not found" in text:
        return FFMPEG_NOT_FOUND
    if isinstance(error, FileNotFoundError | PermissionError | IsADirectoryError):
        return FILE_UNREADABLE
    if "not connected" in text or "already playing" in text:
        return NOT_READY
    return FFMPEG_FAILED


VoiceChannelLike = discord.VoiceChannel | discord.StageChannel
Clock = Callable[[], Any]


@dataclass(frozen=True, slots=True)
class Piece:
    """One file to play; `seconds` (its declared length) places the pieces of a set."""

    path: Path
    seconds: float | None = None


class VoiceUnavailable(UserFacingError):
    """Playback can't happen: a catalogue sentence (English msgid) with ``{named}`` fields
    (``VoiceUnavailable(N_("... {channel} ..."), channel=channel.mention)``), worded for the
    facilitator by ``text(locale)``; ``message`` is the English, for logs."""


class MissingVoicePermission(VoiceUnavailable):
    """The bot lacks voice permissions in a channel: their names (Discord's, translated) joined
    the language's way ("A and B", "A und B"), with the plural the count asks for."""

    def __init__(self, channel: str, permissions: Iterable[str]) -> None:
        self.channel = channel
        self.permissions = tuple(permissions)
        super().__init__(self.text(None))

    def text(self, locale: str | None) -> str:
        names = format_list([f"**{gettext(name, locale)}**" for name in self.permissions], locale)
        return ngettext(
            "I couldn't play the track in voice: I don't have the {names} permission in "
            "{channel}. Members can follow the link or text card instead; give me that "
            "permission to play in voice next time.",
            "I couldn't play the track in voice: I don't have the {names} permissions in "
            "{channel}. Members can follow the link or text card instead; give me those "
            "permissions to play in voice next time.",
            len(self.permissions),
            locale,
            names=names,
            channel=self.channel,
        )


ProblemHandler = Callable[[int, VoiceUnavailable], Awaitable[None]]


class VoicePlayer(Protocol):
    """What the listening feature needs from voice: join, play one file at a second, stop."""

    async def connect(self, channel: VoiceChannelLike) -> None:
        """Join `channel` (moving if needed); raise VoiceUnavailable if that can't happen."""
        ...

    async def play(
        self,
        channel: VoiceChannelLike,
        pieces: Sequence[Piece],
        *,
        start_at: float,
        volume: float = 1.0,
    ) -> None:
        """Play `pieces` back to back in `channel` as if they had started at `start_at` (Unix
        seconds): wait for a future second, seek into the set for a past one. Raise
        VoiceUnavailable if not."""
        ...

    async def stop(self, guild_id: int) -> None:
        """Stop playing and leave the voice channel (nothing happens if not connected)."""
        ...

    async def pause(self, guild_id: int) -> None: ...

    async def resume(self, guild_id: int) -> None: ...

    def channel_of(self, guild_id: int) -> int | None:
        """The voice channel the bot is in (or joining), in this server."""
        ...

    def leaving(self, guild_id: int) -> bool:
        """True when the player itself stopped or left (so a disconnect is no surprise)."""
        ...

    def on_problem(self, handler: ProblemHandler) -> None:
        """Call `handler(guild_id, problem)` when playback breaks after it started."""
        ...


def missing_permission(channel: VoiceChannelLike) -> MissingVoicePermission | None:
    """The voice permissions the bot lacks in `channel` (View Channel, Connect, Speak), as the
    error that names them, or None."""
    me = channel.guild.me
    perms = channel.permissions_for(me)
    wanted = (
        (VIEW_CHANNEL, perms.view_channel),
        (CONNECT, perms.connect),
        (SPEAK, perms.speak),
    )
    missing = [name for name, ok in wanted if not ok]
    if not missing:
        return None
    return MissingVoicePermission(channel.mention, missing)


def channel_problem(channel: VoiceChannelLike) -> VoiceUnavailable | None:
    """Why the bot can't play in `channel` (stage, permissions, full), as the error to raise
    (not raised here), or None."""
    if getattr(channel, "type", None) == discord.ChannelType.stage_voice:
        return VoiceUnavailable(
            N_(
                "I couldn't play the track: {channel} is a stage channel, where a bot has to be "
                "invited to speak. Members can follow the link or text card instead; choose an "
                "ordinary voice channel for the session to play files there."
            ),
            channel=channel.mention,
        )
    reason = missing_permission(channel)
    if reason is not None:
        return reason
    me = channel.guild.me
    limit = getattr(channel, "user_limit", 0) or 0
    members = list(getattr(channel, "members", []))
    inside = any(getattr(m, "id", None) == getattr(me, "id", 0) for m in members)
    full = bool(limit) and not inside and len(members) >= limit
    if full and not channel.permissions_for(me).move_members:
        return VoiceUnavailable(
            N_(
                "I couldn't play the track: {channel} is full ({limit} people, its user limit). "
                "Members can follow the link or text card instead; raise the limit or give me "
                "the **Move Members** permission so I can join a full channel."
            ),
            channel=channel.mention,
            limit=limit,
        )
    return None


class OpusFileSource(discord.FFmpegOpusAudio):
    """FFmpeg's Ogg Opus stream without its two header packets.

    discord.py 2.7.1 hands every Ogg packet to the voice connection, so `OpusHead` and
    `OpusTags` would go out as the first two "audio" packets (undecodable, and 40 ms late
    for the real first frame). The voice-peer test checks that only audio goes out.
    """

    def read(self) -> bytes:
        packet = super().read()
        while packet[:8] in (b"OpusHead", b"OpusTags"):
            packet = super().read()
        return packet


def make_source(
    pieces: Path | Sequence[Piece],
    *,
    executable: str = "ffmpeg",
    offset: float = 0.0,
    volume: float = 1.0,
) -> discord.FFmpegOpusAudio:
    """The audio pipeline: FFmpeg seeks to `offset` seconds (input seeking, `-ss` before
    `-i`), decodes the file (a set: the files from the one playing at `offset` on, joined by
    the concat filter), normalises loudness, applies the step's volume and encodes Opus
    (20 ms frames at 48 kHz) that discord.py sends without re-encoding."""
    if isinstance(pieces, Path):
        pieces = [Piece(pieces)]
    index, into = 0, offset
    if len(pieces) > 1:
        index, into = piece_at([p.seconds or 0.0 for p in pieces], offset)
    remaining = list(pieces[index:])
    filters = LOUDNORM if volume == 1.0 else f"{LOUDNORM},volume={volume:.3f}"
    before = ["-nostdin"]
    for number, piece in enumerate(remaining):
        if number == 0 and into > 0:
            before.append(f"-ss {into:.3f}")
        before.append("-protocol_whitelist file")
        if number < len(remaining) - 1:  # the last file is discord.py's own `-i` input
            before.append("-i " + shlex.quote(f"file:{piece.path}"))
    if len(remaining) > 1:
        inputs = "".join(f"[{n}:a]" for n in range(len(remaining)))
        graph = f"{inputs}concat=n={len(remaining)}:v=0:a=1,{filters}"
        options = f"-vn -filter_complex {shlex.quote(graph)}"
    else:
        options = f"-vn -af {filters}"
    return OpusFileSource(
        f"file:{remaining[-1].path}",
        bitrate=BITRATE_KBPS,
        executable=executable,
        before_options=" ".join(before),
        options=options,
    )


def _now(clock: Clock) -> float:
    return float(clock().timestamp())


class DiscordVoice:
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

    async def play(
        self,
        channel: VoiceChannelLike,
        pieces: Sequence[Piece],
        *,
        start_at: float,
        volume: float = 1.0,
    ) -> None:
        await self.connect(channel)
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
        wait = start_at - _now(self._clock)
        if wait > PREPARE_LEAD:
            await asyncio.sleep(wait - PREPARE_LEAD)
        # The first frame goes out at the announced second, or, when that has passed (a
        # restart, a slow connect), PREPARE_LEAD from now, seeking to where the piece is by
        # then: either way FFmpeg gets PREPARE_LEAD to have its first frames ready, and what
        # plays matches the clock everyone was shown.
        begin = max(start_at, _now(self._clock) + PREPARE_LEAD)
        offset = begin - start_at
        try:
            source = make_source(pieces, executable=self._executable, offset=offset, volume=volume)
        except (discord.ClientException, OSError) as error:
            log.warning("voice source for %s failed: %r", channel.id, error)
            raise VoiceUnavailable(NOT_STARTED, error=start_reason(error)) from error
        wait = begin - _now(self._clock)
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
        log.info("playing %s in %s from %.2f s", names, channel.id, offset)

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
        vc = self._voice_client(guild_id)
        if vc is None:
            return
        self._stopping.add(guild_id)
        vc.stop()  # the music stops now; the leave is confirmed in the background
        self._leave_later(guild_id, vc)

    async def pause(self, guild_id: int) -> None:
        vc = self._voice_client(guild_id)
        if vc is not None and vc.is_playing():
            vc.pause()

    async def resume(self, guild_id: int) -> None:
        vc = self._voice_client(guild_id)
        if vc is not None and vc.is_paused():
            vc.resume()

    def channel_of(self, guild_id: int) -> int | None:
        vc = self._voice_client(guild_id)
        return vc.channel.id if vc is not None and vc.channel is not None else None

    def leaving(self, guild_id: int) -> bool:
        return guild_id in self._stopping


class RecordingVoice:
    """A player that records what it was asked to do (tests; dry runs without audio).

    It runs the same channel checks as the real player, waits for `start_at` like it, and
    can be slowed down (`connect_delay`) to stand for a voice handshake that hangs.
    `fail_with` (a catalogue text such as `FFMPEG_MISSING`) refuses every connect with it.
    """

    def __init__(
        self,
        *,
        fail_with: str | None = None,
        connect_delay: float = 0.0,
        clock: Clock = discord.utils.utcnow,
    ) -> None:
        self.fail_with = fail_with
        self.connect_delay = connect_delay
        self.clock = clock
        self.calls: list[tuple[Any, ...]] = []
        self._channels: dict[int, int] = {}
        self._playing: dict[int, int] = {}
        self.paused: set[int] = set()
        self.handler: ProblemHandler | None = None
        self._left: set[int] = set()

    def on_problem(self, handler: ProblemHandler) -> None:
        self.handler = handler

    async def connect(self, channel: VoiceChannelLike) -> None:
        if self._channels.get(channel.guild.id) == channel.id:
            return
        refused = VoiceUnavailable(self.fail_with) if self.fail_with else channel_problem(channel)
        if refused is not None:
            self.calls.append(("refused", channel.id))
            raise refused
        self.calls.append(("connect", channel.id))
        if self.connect_delay:
            await asyncio.sleep(self.connect_delay)
        self._channels[channel.guild.id] = channel.id
        self._left.discard(channel.guild.id)

    async def play(
        self,
        channel: VoiceChannelLike,
        pieces: Sequence[Piece],
        *,
        start_at: float,
        volume: float = 1.0,
    ) -> None:
        await self.connect(channel)
        wait = start_at - _now(self.clock)
        if wait > 0:
            await asyncio.sleep(wait)
        offset = round(max(0.0, _now(self.clock) - start_at), 1)
        names = "+".join(p.path.name for p in pieces)
        self.calls.append(("play", channel.id, names, offset, volume))
        self._playing[channel.guild.id] = channel.id

    async def stop(self, guild_id: int) -> None:
        if self._channels.pop(guild_id, None) is not None:
            self.calls.append(("stop", guild_id))
            self._left.add(guild_id)
        self._playing.pop(guild_id, None)
        self.paused.discard(guild_id)

    async def pause(self, guild_id: int) -> None:
        if guild_id in self._playing:
            self.paused.add(guild_id)
            self.calls.append(("pause", guild_id))

    async def resume(self, guild_id: int) -> None:
        if guild_id in self.paused:
            self.paused.discard(guild_id)
            self.calls.append(("resume", guild_id))

    def channel_of(self, guild_id: int) -> int | None:
        return self._channels.get(guild_id)

    def leaving(self, guild_id: int) -> bool:
        return guild_id in self._left

    def actions(self) -> list[str]:
        return [call[0] for call in self.calls]

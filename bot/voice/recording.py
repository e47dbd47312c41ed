"""`RecordingVoice`: a player that records what it was asked to do.

The simulated-Discord tests inject it (`create_bot(voice=...)`) because simcord can't carry
audio; it runs the real player's channel checks and waits for the announced second like it.
"""

from __future__ import annotations

import asyncio
from typing import Any

import discord

from bot.core.clock import Clock, timestamp
from bot.voice.player import (
    Playback,
    ProblemHandler,
    VoiceChannelLike,
    VoicePlayer,
    VoiceUnavailable,
)
from bot.voice.refusals import channel_problem


class RecordingVoice(VoicePlayer):
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
        """See `VoicePlayer.on_problem` (tests call `handler` to simulate a break)."""
        self.handler = handler

    async def connect(self, channel: VoiceChannelLike) -> None:
        """See `VoicePlayer.connect`: recorded; raises VoiceUnavailable with `fail_with` or the
        channel's own problem (permissions)."""
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

    async def start(self, channel: VoiceChannelLike, playback: Playback) -> None:
        """See `VoicePlayer.start`: sleeps (virtual time) until `start_at`, then records the play
        with its offset in seconds."""
        wait = playback.start_at - timestamp(self.clock)
        if wait > 0:
            await asyncio.sleep(wait)
        offset = round(max(0.0, timestamp(self.clock) - playback.start_at), 1)
        names = "+".join(p.path.name for p in playback.pieces)
        self.calls.append(("play", channel.id, names, offset, playback.volume))
        self._playing[channel.guild.id] = channel.id

    async def stop(self, guild_id: int) -> None:
        """See `VoicePlayer.stop`: recorded when connected."""
        if self._channels.pop(guild_id, None) is not None:
            self.calls.append(("stop", guild_id))
            self._left.add(guild_id)
        self._playing.pop(guild_id, None)
        self.paused.discard(guild_id)

    async def pause(self, guild_id: int) -> None:
        """See `VoicePlayer.pause`: recorded when playing."""
        if guild_id in self._playing:
            self.paused.add(guild_id)
            self.calls.append(("pause", guild_id))

    async def resume(self, guild_id: int) -> None:
        """See `VoicePlayer.resume`: recorded when paused."""
        if guild_id in self.paused:
            self.paused.discard(guild_id)
            self.calls.append(("resume", guild_id))

    def channel_of(self, guild_id: int) -> int | None:
        """See `VoicePlayer.channel_of`."""
        return self._channels.get(guild_id)

    def leaving(self, guild_id: int) -> bool:
        """See `VoicePlayer.leaving`."""
        return guild_id in self._left

    def actions(self) -> list[str]:
        """The recorded calls' names in order (`connect`, `refused`, `play`, `stop`, `pause`,
        `resume`)."""
        return [call[0] for call in self.calls]

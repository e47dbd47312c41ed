"""What the listening feature needs from voice, and the one error every voice problem is.

Joining and playing are separate: the listening cog joins during the countdown in a task of its
own, then asks for the piece to start at the announced second (`start_at`). A start in the past
(a restart mid-piece, a slow connect) seeks into the file so the music is where it should be now.
Every way playback can fail is a `VoiceUnavailable`: a refusal (bot/core/errors.py) carrying one
catalogue sentence for the facilitator and its fields, worded in the reader's language by
`text(locale)` where it is shown (`message` stays English, for logs). Problems after the start
(an FFmpeg error, a lost connection) go to the problem handler as such an error too.
"""

from __future__ import annotations

import abc
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import discord

from bot.core.errors import UserFacingError

VoiceChannelLike = discord.VoiceChannel | discord.StageChannel


@dataclass(frozen=True, slots=True)
class Piece:
    """One file to play; `seconds` (its declared length) places the pieces of a set."""

    path: Path
    seconds: float | None = None


@dataclass(frozen=True, slots=True)
class Playback:
    """What to play once connected: `pieces` back to back as if they had started at
    `start_at` (Unix seconds), at `volume` (1.0 is the normalised loudness)."""

    pieces: Sequence[Piece]
    start_at: float
    volume: float = 1.0


class VoiceUnavailable(UserFacingError):
    """Playback can't happen: a catalogue sentence (English msgid) with ``{named}`` fields
    (``VoiceUnavailable(N_("... {channel} ..."), channel=channel.mention)``), worded for the
    facilitator by ``text(locale)``; ``message`` is the English, for logs."""


ProblemHandler = Callable[[int, VoiceUnavailable], Awaitable[None]]


class VoicePlayer(abc.ABC):
    """What the listening feature needs from voice: join, play one set at a second, stop."""

    @abc.abstractmethod
    async def connect(self, channel: VoiceChannelLike) -> None:
        """Join `channel` (moving if needed); raise VoiceUnavailable if that can't happen."""

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
        await self.connect(channel)
        await self.start(channel, Playback(pieces, start_at, volume))

    @abc.abstractmethod
    async def start(self, channel: VoiceChannelLike, playback: Playback) -> None:
        """`play` once connected to `channel`; raise VoiceUnavailable if not."""

    @abc.abstractmethod
    async def stop(self, guild_id: int) -> None:
        """Stop playing and leave the voice channel (nothing happens if not connected)."""

    @abc.abstractmethod
    async def pause(self, guild_id: int) -> None:
        """Pause the piece playing in this server (nothing happens if none plays)."""

    @abc.abstractmethod
    async def resume(self, guild_id: int) -> None:
        """Resume the paused piece in this server (nothing happens if none is paused)."""

    @abc.abstractmethod
    def channel_of(self, guild_id: int) -> int | None:
        """The voice channel the bot is in (or joining), in this server."""

    @abc.abstractmethod
    def leaving(self, guild_id: int) -> bool:
        """True when the player itself stopped or left (so a disconnect is no surprise)."""

    @abc.abstractmethod
    def on_problem(self, handler: ProblemHandler) -> None:
        """Call `handler(guild_id, problem)` when playback breaks after it started."""

"""Voice playback behind a small interface, so the step logic never depends on a real connection.

`DiscordVoice` is the real thing (VoiceChannel.connect + FFmpegOpusAudio with loudness
normalisation); `RecordingVoice` is the stand-in the tests inject (`create_bot(voice=...)`),
because a simulated Discord can't carry audio. Every way playback can fail is a
`VoiceUnavailable` carrying one sentence for the facilitator.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from pathlib import Path
from typing import Any, Protocol

import discord

log = logging.getLogger("chorus.voice")

# EBU R128-style normalisation: every piece comes out at about the same loudness.
LOUDNORM = "loudnorm=I=-16:TP=-1.5:LRA=11"
BITRATE_KBPS = 128

FFMPEG_MISSING = (
    "I couldn't play the track in voice because FFmpeg isn't installed on the bot's computer. "
    "Members can still follow the text card; ask whoever runs the bot to install FFmpeg."
)


class VoiceUnavailable(Exception):
    """Playback can't happen; `message` says why, for the facilitator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class VoicePlayer(Protocol):
    """What the listening feature needs from voice: play one file in one channel, and stop."""

    async def play(self, channel: discord.VoiceChannel, path: Path) -> None:
        """Join `channel` (moving if needed) and start `path`; raise VoiceUnavailable if not."""
        ...

    async def stop(self, guild_id: int) -> None:
        """Stop playing and leave the voice channel (nothing happens if not connected)."""
        ...

    async def pause(self, guild_id: int) -> None: ...

    async def resume(self, guild_id: int) -> None: ...

    def channel_of(self, guild_id: int) -> int | None:
        """The voice channel the bot is playing in, in this server."""
        ...


def missing_permission(channel: discord.VoiceChannel) -> str | None:
    """A sentence naming the voice permission the bot lacks in `channel`, or None."""
    me = channel.guild.me
    perms = channel.permissions_for(me)
    wanted = (
        ("View Channel", perms.view_channel),
        ("Connect", perms.connect),
        ("Speak", perms.speak),
    )
    missing = [name for name, ok in wanted if not ok]
    if not missing:
        return None
    names = " and ".join(f"**{m}**" for m in missing)
    return (
        f"I couldn't play the track in voice: I don't have the {names} permission in "
        f"{channel.mention}. Members can follow the link or text card instead; give me "
        "that permission to play in voice next time."
    )


def make_source(path: Path, *, executable: str = "ffmpeg") -> discord.FFmpegOpusAudio:
    """The audio pipeline: FFmpeg decodes the file, normalises loudness and encodes Opus
    (20 ms frames at 48 kHz) that discord.py sends without re-encoding."""
    return discord.FFmpegOpusAudio(
        f"file:{path}",
        bitrate=BITRATE_KBPS,
        executable=executable,
        before_options="-nostdin -protocol_whitelist file",
        options=f"-vn -af {LOUDNORM}",
    )


class DiscordVoice:
    """The real player: one voice connection per server, through discord.py."""

    def __init__(self, client: discord.Client, *, executable: str = "ffmpeg") -> None:
        self._client = client
        self._executable = executable

    def _voice_client(self, guild_id: int) -> discord.VoiceClient | None:
        guild = self._client.get_guild(guild_id)
        vc = guild.voice_client if guild is not None else None
        return vc if isinstance(vc, discord.VoiceClient) else None

    async def play(self, channel: discord.VoiceChannel, path: Path) -> None:
        if shutil.which(self._executable) is None:
            raise VoiceUnavailable(FFMPEG_MISSING)
        reason = missing_permission(channel)
        if reason is not None:
            raise VoiceUnavailable(reason)
        vc = self._voice_client(channel.guild.id)
        try:
            if vc is None:
                vc = await channel.connect(timeout=20.0, reconnect=True, self_deaf=True)
            elif vc.channel is None or vc.channel.id != channel.id:
                await vc.move_to(channel)
        except (TimeoutError, discord.ClientException, RuntimeError) as error:
            log.warning("voice connect failed in %s: %s", channel.id, error)
            raise VoiceUnavailable(
                f"I couldn't connect to {channel.mention} to play the track ({error}). "
                "Members can follow the link or text card instead."
            ) from error
        if vc.is_playing() or vc.is_paused():
            vc.stop()
        loop = asyncio.get_running_loop()
        guild_id = channel.guild.id

        def finished(error: Exception | None) -> None:
            if error is not None:
                log.warning("voice playback ended with an error: %s", error)
            # Leave when the piece ends: sitting silently in the channel helps no one.
            loop.call_soon_threadsafe(lambda: loop.create_task(self._leave_if_idle(guild_id)))

        try:
            vc.play(make_source(path, executable=self._executable), after=finished)
        except (discord.ClientException, OSError) as error:
            raise VoiceUnavailable(
                f"I couldn't start the track in voice ({error}). "
                "Members can follow the text card instead."
            ) from error

    async def _leave_if_idle(self, guild_id: int) -> None:
        vc = self._voice_client(guild_id)
        if vc is not None and not vc.is_playing() and not vc.is_paused():
            await vc.disconnect(force=False)

    async def stop(self, guild_id: int) -> None:
        vc = self._voice_client(guild_id)
        if vc is None:
            return
        vc.stop()
        await vc.disconnect(force=False)

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


class RecordingVoice:
    """A player that records what it was asked to do (tests; dry runs without audio)."""

    def __init__(self, *, fail_with: str | None = None) -> None:
        self.fail_with = fail_with
        self.calls: list[tuple[Any, ...]] = []
        self._playing: dict[int, int] = {}
        self.paused: set[int] = set()

    async def play(self, channel: discord.VoiceChannel, path: Path) -> None:
        if self.fail_with is not None:
            self.calls.append(("refused", channel.id, path.name))
            raise VoiceUnavailable(self.fail_with)
        reason = missing_permission(channel)
        if reason is not None:
            self.calls.append(("refused", channel.id, path.name))
            raise VoiceUnavailable(reason)
        self.calls.append(("play", channel.id, path.name))
        self._playing[channel.guild.id] = channel.id

    async def stop(self, guild_id: int) -> None:
        if self._playing.pop(guild_id, None) is not None:
            self.calls.append(("stop", guild_id))
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
        return self._playing.get(guild_id)

    def actions(self) -> list[str]:
        return [call[0] for call in self.calls]

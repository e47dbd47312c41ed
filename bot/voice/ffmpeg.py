"""The audio pipeline: FFmpeg seeks, joins a set, normalises loudness and encodes Opus."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path

import discord

from bot.core.listening import piece_at
from bot.voice.player import Piece

# EBU R128-style normalisation: every piece comes out at about the same loudness.
LOUDNORM = "loudnorm=I=-16:TP=-1.5:LRA=11"
BITRATE_KBPS = 128


class OpusFileSource(discord.FFmpegOpusAudio):
    """FFmpeg's Ogg Opus stream without its two header packets.

    discord.py 2.7.1 hands every Ogg packet to the voice connection, so `OpusHead` and
    `OpusTags` would go out as the first two "audio" packets (undecodable, and 40 ms late
    for the real first frame). The voice-peer test checks that only audio goes out.
    """

    def read(self) -> bytes:
        """The next Opus packet (20 ms of audio), skipping the Ogg stream's OpusHead and OpusTags
        headers; b'' at the end."""
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

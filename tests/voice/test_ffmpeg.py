"""The real audio pipeline on a generated tone: Opus frames, loudness normalisation, a set as
one stream seeking into the right piece."""

from __future__ import annotations

from pathlib import Path

import discord
import pytest

from bot.voice.ffmpeg import LOUDNORM, make_source
from bot.voice.player import Piece
from tests.voice.doubles import make_audio

needs_ffmpeg = pytest.mark.requires_program("ffmpeg")


def ffmpeg_args(source: discord.FFmpegOpusAudio) -> list[str]:
    """The command line the source started FFmpeg with (read from its private process: no
    public way)."""
    args = source._process.args
    assert isinstance(args, list), args
    return [str(arg) for arg in args]


def tone(path: Path, seconds: float = 2.0) -> Path:
    return make_audio(path, "sin(2*PI*440*t)", seconds)


@needs_ffmpeg
def test_source_yields_opus_frames_for_the_tone(tmp_path: Path) -> None:
    source = make_source(tone(tmp_path / "tone.ogg", 2.0))
    try:
        assert source.is_opus()
        frames = []
        while packet := source.read():
            frames.append(packet)
            assert len(frames) < 1000, "the source never ended"
    finally:
        source.cleanup()
    # 20 ms Opus frames: 2 s of audio is about 100 of them.
    assert 95 <= len(frames) <= 105, len(frames)
    assert all(0 < len(f) < 1500 for f in frames)


@needs_ffmpeg
def test_source_is_loudness_normalised(tmp_path: Path) -> None:
    source = make_source(tone(tmp_path / "t.wav", 0.5))
    try:
        args = ffmpeg_args(source)
        assert LOUDNORM in args
        assert "file" in args[args.index("-protocol_whitelist") + 1]
    finally:
        source.cleanup()


@needs_ffmpeg
def test_a_set_is_one_stream_and_seeks_into_the_right_piece(tmp_path: Path) -> None:
    first, second, third = (tone(tmp_path / f"{n}.wav", 1.0) for n in "abc")
    pieces = [Piece(first, 1.0), Piece(second, 1.0), Piece(third, 1.0)]
    source = make_source(pieces, offset=1.25, volume=0.5)
    try:
        args = ffmpeg_args(source)
        # 1.25 s into the set is 0.25 s into the second piece: the first isn't read at all.
        assert f"file:{first}" not in args
        assert args[args.index("-ss") + 1] == "0.250"
        assert args.index("-ss") < args.index(f"file:{second}") < args.index(f"file:{third}")
        graph = args[args.index("-filter_complex") + 1]
        assert graph == f"[0:a][1:a]concat=n=2:v=0:a=1,{LOUDNORM},volume=0.500"
        frames = []
        while packet := source.read():
            frames.append(packet)
    finally:
        source.cleanup()
    assert 85 <= len(frames) <= 92, len(frames)  # 0.75 s + 1 s of 20 ms frames

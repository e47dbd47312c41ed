"""The real audio pipeline on a generated tone, and the voice permission check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import discord
import pytest

from bot.voice import (
    FFMPEG_MISSING,
    LOST_BEFORE_START,
    LOUDNORM,
    NOT_STARTED,
    DiscordVoice,
    Piece,
    RecordingVoice,
    VoiceUnavailable,
    make_source,
    missing_permission,
    start_reason,
)

needs_ffmpeg = pytest.mark.requires_program("ffmpeg")


def tone(path: Path, seconds: float = 2.0) -> Path:
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:duration={seconds}",
            str(path),
        ],
        check=True,
    )
    return path


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
        args: list[str] = source._process.args  # type: ignore[attr-defined]
        assert LOUDNORM in args
        assert "file" in args[args.index("-protocol_whitelist") + 1]
    finally:
        source.cleanup()


def _channel(**perms: bool) -> Any:
    permissions = discord.Permissions.none()
    for name, value in perms.items():
        setattr(permissions, name, value)
    guild = SimpleNamespace(id=1, me=object())
    return SimpleNamespace(
        id=5,
        guild=guild,
        mention="<#5>",
        permissions_for=lambda member: permissions,
    )


def test_missing_permission_names_what_is_missing() -> None:
    assert missing_permission(_channel(view_channel=True, connect=True, speak=True)) is None
    refused = missing_permission(_channel(view_channel=True, speak=True))
    assert refused is not None and "the **Connect** permission in <#5>." in refused.message
    refused = missing_permission(_channel(view_channel=True, connect=True))
    assert refused is not None and "**Speak**" in refused.message


def test_missing_permissions_are_named_in_the_reader_s_language() -> None:
    refused = missing_permission(_channel())
    assert refused is not None
    # English for logs: Discord's names, joined as English joins a list, and a plural.
    assert "the **View Channel**, **Connect**, and **Speak** permissions in <#5>." in (
        refused.message
    )
    assert str(refused) == refused.message and refused.text(None) == refused.message
    german = refused.text("de")
    assert "**Kanal ansehen**, **Verbinden** und **Sprechen**" in german and "<#5>" in german
    spanish = refused.text("es-ES")
    assert "**Ver canal**, **Conectar** y **Hablar**" in spanish and "<#5>" in spanish
    one = missing_permission(_channel(view_channel=True, connect=True))
    assert one is not None and "**Sprechen**" in one.text("de")
    assert "Berechtigungen" not in one.text("de")


def test_every_voice_problem_is_a_catalogue_text_worded_per_reader() -> None:
    refused = VoiceUnavailable(FFMPEG_MISSING)
    assert refused.message == FFMPEG_MISSING
    assert "FFmpeg" in refused.text("de") and refused.text("de") != FFMPEG_MISSING
    assert "FFmpeg" in refused.text("es") and refused.text("es") != FFMPEG_MISSING
    lost = VoiceUnavailable(LOST_BEFORE_START, channel="<#5>")
    assert lost.message.startswith("I lost the connection to <#5> before the piece started.")
    assert "<#5>" in lost.text("de") and "I lost" not in lost.text("de")
    assert str(lost) == lost.message


async def test_recording_voice_refuses_without_permission(tmp_path: Path) -> None:
    voice = RecordingVoice()
    with pytest.raises(VoiceUnavailable, match=r"\*\*Connect\*\* permission"):
        await voice.play(
            _channel(view_channel=True, speak=True), [Piece(tmp_path / "x.ogg")], start_at=0
        )
    assert voice.channel_of(1) is None
    allowed = _channel(view_channel=True, connect=True, speak=True)
    await voice.play(allowed, [Piece(tmp_path / "x.ogg")], start_at=0)
    assert voice.channel_of(1) == 5
    await voice.stop(1)
    assert voice.actions() == ["refused", "connect", "play", "stop"]


@needs_ffmpeg
def test_a_set_is_one_stream_and_seeks_into_the_right_piece(tmp_path: Path) -> None:
    first, second, third = (tone(tmp_path / f"{n}.wav", 1.0) for n in "abc")
    pieces = [Piece(first, 1.0), Piece(second, 1.0), Piece(third, 1.0)]
    source = make_source(pieces, offset=1.25, volume=0.5)
    try:
        args: list[str] = source._process.args  # type: ignore[attr-defined]
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


@pytest.mark.parametrize(
    ("raised", "german"),
    [
        (TimeoutError(), "es hat zu lange gedauert"),
        (
            discord.ClientException("Already connected to a voice channel."),
            "Discords Sprachverbindung hat abgelehnt",
        ),
        (
            RuntimeError("PyNaCl library needed in order to use voice"),
            "auf dem Rechner des Bots fehlen die Sprachbibliotheken",
        ),
        (OSError(113, "No route to host"), "Netzwerkverbindung zu Discords Sprachserver"),
    ],
)
async def test_a_failed_connection_is_explained_in_the_reader_s_words_not_discord_py_s(
    raised: BaseException, german: str, caplog: pytest.LogCaptureFixture
) -> None:
    # The real player, on a channel whose connect fails as discord.py's does; any installed
    # program stands in for FFmpeg (connecting never runs it).
    async def connect(**_options: Any) -> None:
        raise raised

    channel = _channel(view_channel=True, connect=True, speak=True)
    channel.connect = connect
    client: Any = SimpleNamespace(get_guild=lambda _id: None)
    voice = DiscordVoice(client, executable=sys.executable)
    with pytest.raises(VoiceUnavailable) as refused:
        await voice.connect(channel)
    worded = refused.value.text("de")
    assert german in worded and "<#5>" in worded, worded
    spanish = refused.value.text("es")
    assert "<#5>" in spanish and spanish != refused.value.message
    library_words = str(raised)
    for text in (worded, spanish, refused.value.message):
        assert not library_words or library_words not in text, text
    # discord.py's own words are kept for whoever runs the bot, in the log.
    assert repr(raised) in caplog.text


@pytest.mark.parametrize(
    ("raised", "german"),
    [
        (discord.ClientException("ffmpeg was not found."), "FFmpeg ist auf dem Rechner"),
        (FileNotFoundError(2, "No such file or directory"), "Audiodatei ließ sich nicht öffnen"),
        (discord.ClientException("Not connected to voice."), "Sprachverbindung war noch nicht"),
        (discord.ClientException("Popen failed: PermissionError"), "FFmpeg konnte nicht starten"),
    ],
)
def test_a_piece_that_can_t_start_is_explained_in_the_reader_s_words(
    raised: BaseException, german: str
) -> None:
    refused = VoiceUnavailable(NOT_STARTED, error=start_reason(raised))
    assert german in refused.text("de"), refused.text("de")
    assert str(raised) not in refused.text("de") and str(raised) not in refused.text("es")
    assert str(raised) not in refused.message

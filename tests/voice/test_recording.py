"""The recording player the simulated-Discord tests inject: the real channel checks, the calls
it was asked for."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.voice.player import Piece, VoiceUnavailable
from bot.voice.recording import RecordingVoice
from tests.voice.doubles import voice_channel


async def test_recording_voice_refuses_without_permission(tmp_path: Path) -> None:
    voice = RecordingVoice()
    with pytest.raises(VoiceUnavailable, match=r"\*\*Connect\*\* permission"):
        await voice.play(
            voice_channel(view_channel=True, speak=True), [Piece(tmp_path / "x.ogg")], start_at=0
        )
    assert voice.channel_of(1) is None
    allowed = voice_channel(view_channel=True, connect=True, speak=True)
    await voice.play(allowed, [Piece(tmp_path / "x.ogg")], start_at=0)
    assert voice.channel_of(1) == 5
    await voice.stop(1)
    assert voice.actions() == ["refused", "connect", "play", "stop"]

"""The voice player interface: `play` joins first, then starts the set at the announced
second; every player implements the whole interface."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.voice.player import Piece, Playback, VoicePlayer
from bot.voice.recording import RecordingVoice
from tests.voice.doubles import voice_channel

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def test_play_connects_then_starts_the_set_where_it_should_be_now(tmp_path: Path) -> None:
    voice = RecordingVoice(clock=lambda: NOW)
    channel = voice_channel(view_channel=True, connect=True, speak=True)
    pieces = [Piece(tmp_path / "a.ogg", 60.0), Piece(tmp_path / "b.ogg", 30.0)]
    # Announced 12.5 s ago (a restart mid-piece): the set starts 12.5 s in, at its volume.
    await voice.play(channel, pieces, start_at=NOW.timestamp() - 12.5, volume=0.5)
    assert voice.calls == [("connect", 5), ("play", 5, "a.ogg+b.ogg", 12.5, 0.5)]
    # Already in the channel: the next piece only starts.
    await voice.start(channel, Playback([Piece(tmp_path / "c.ogg")], NOW.timestamp()))
    assert voice.calls[-1] == ("play", 5, "c.ogg", 0.0, 1.0)
    assert voice.actions() == ["connect", "play", "play"]


def test_a_player_missing_part_of_the_interface_cannot_be_made() -> None:
    class Silent(VoicePlayer):
        async def connect(self, channel: object) -> None:
            return None

    with pytest.raises(TypeError, match="start"):
        Silent()  # type: ignore[abstract]  # missing a method: the point of the test

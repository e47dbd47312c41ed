"""Why the bot can't play: the missing permissions named in the reader's language, and every
voice problem a catalogue text."""

from __future__ import annotations

import sys
from types import SimpleNamespace
from typing import Any

import discord
import pytest

from bot.voice.discord_voice import DiscordVoice
from bot.voice.player import VoiceUnavailable
from bot.voice.refusals import (
    FFMPEG_MISSING,
    LOST_BEFORE_START,
    NOT_STARTED,
    missing_permission,
    moved_away,
    no_voice_channel,
    start_reason,
    unexpected,
    voice_channel_gone,
)
from tests.voice.doubles import voice_channel


def test_missing_permission_names_what_is_missing() -> None:
    assert missing_permission(voice_channel(view_channel=True, connect=True, speak=True)) is None
    refused = missing_permission(voice_channel(view_channel=True, speak=True))
    assert refused is not None and "the **Connect** permission in <#5>." in refused.message
    refused = missing_permission(voice_channel(view_channel=True, connect=True))
    assert refused is not None and "**Speak**" in refused.message


def test_missing_permissions_are_named_in_the_reader_s_language() -> None:
    refused = missing_permission(voice_channel())
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
    one = missing_permission(voice_channel(view_channel=True, connect=True))
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

    channel = voice_channel(view_channel=True, connect=True, speak=True)
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


def test_why_a_piece_fell_back_to_the_card_names_the_file_or_the_channels() -> None:
    assert "The piece `rain.ogg` is a file, and this session has no voice channel" in (
        no_voice_channel("rain.ogg").message
    )
    assert "couldn't find the session's voice channel" in voice_channel_gone().message
    assert "unexpected error" in unexpected().message
    assert "disconnected me from <#5>" in moved_away(5, None).message
    assert "moved me from <#5> to <#6>" in moved_away(5, 6).message
    for problem in (no_voice_channel("x"), voice_channel_gone(), moved_away(5, 6)):
        assert isinstance(problem, VoiceUnavailable)
        assert problem.text("de") != problem.text(None)  # a catalogue text, translated

"""Why the bot can't play: the missing permissions named in the reader's language, and every
voice problem a catalogue text."""

from __future__ import annotations

from bot.voice.player import VoiceUnavailable
from bot.voice.refusals import FFMPEG_MISSING, LOST_BEFORE_START, missing_permission
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

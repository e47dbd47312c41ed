"""A song's turn ping: the line and its section, the time left, the hidden-turn clue and the
pass note, worded for the channel, for a direct message and for a writer who can't get one."""

from __future__ import annotations

from typing import Any

from bot.core.steps.write import WriteStep
from bot.ui.turn_pings import TurnPing

ANA = 11


def write_step(**overrides: Any) -> WriteStep:
    data: dict[str, Any] = {
        "type": "write",
        "title": "Song",
        "theme": "home",
        "structure": [{"name": "verse", "lines": 2}, {"name": "chorus", "lines": 2}],
        "turn_seconds": 60,
    }
    data.update(overrides)
    return WriteStep.model_validate(data)


def test_the_public_ping_names_the_writer_the_line_and_its_section() -> None:
    words = TurnPing.of(write_step(), 2, None, "en")
    text = words.public(ANA)
    assert text.startswith(f"✍ <@{ANA}>, it's your turn to write **line 3 of 4** (chorus).")
    assert text.endswith("Passing is fine too.")
    assert "You have until" not in text and "last word" not in text


def test_a_deadline_and_hidden_turns_are_told_and_a_pass_only_when_allowed() -> None:
    words = TurnPing.of(write_step(turns="hidden", pass_allowed=False), 0, 1_900_000_000, "en")
    text = words.public(ANA)
    assert "You have until" in text and "<t:1900000000:R>" in text
    assert "You'll see only the last word of the line before." in text
    assert "Passing" not in text


def test_the_direct_message_points_to_the_channel_and_keeps_the_writer_unnamed() -> None:
    words = TurnPing.of(write_step(), 0, None, "en")
    private = words.private(555)
    assert "<#555>" in private and "Nobody else is told it's you." in private
    assert f"<@{ANA}>" not in private
    fallback = words.undeliverable(ANA)
    assert f"<@{ANA}>" in fallback and "couldn't send you a direct message" in fallback


def test_the_ping_is_worded_in_the_servers_language() -> None:
    text = TurnPing.of(write_step(), 0, None, "de").public(ANA)
    assert "line 1 of 4" not in text and f"<@{ANA}>" in text

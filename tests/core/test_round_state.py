"""The round's rules decided from its stored state, in core, so every process and cog decides
them the same way: when the channel is told that the speaker left (`RoundState.left_to_tell`),
which voice moves change the round (`voice_move_matters`), what a button makes (`button_kind`)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.errors import Conflict
from bot.core.round_state import (
    TELL_LEFT_WITHIN,
    FloorLeft,
    RoundState,
    RoundTurn,
    button_kind,
)

LEFT_AT = 1772366400.0
LEFT = FloorLeft(user=13, turn_no=1, at=LEFT_AT, where="voice", told=False)


def test_a_speaker_who_just_left_is_news_for_a_minute() -> None:
    state = RoundState(speaker=12, turn_no=2, floor_left=LEFT)
    assert state.left_to_tell(LEFT_AT) == LEFT
    assert state.left_to_tell(LEFT_AT + TELL_LEFT_WITHIN) == LEFT
    assert state.left_to_tell(LEFT_AT + TELL_LEFT_WITHIN + 1) is None


def test_a_told_forgotten_or_undated_leaving_is_not_told() -> None:
    for note in (
        replace(LEFT, told=True),
        replace(LEFT, user=None),  # /forget took the speaker's id out
        replace(LEFT, at=None),
        None,
    ):
        assert RoundState(floor_left=note).left_to_tell(LEFT_AT) is None


def test_only_voice_moves_that_change_the_round_matter() -> None:
    # 11 spoke, 12 has the floor, 13 is still to speak, 14 left before their turn.
    state = RoundState(
        order=(11, 12, 13, 14), turns=(RoundTurn(11, "spoke"),), speaker=12, away=(14,)
    )
    assert state.voice_move_matters(12, back=False)  # the speaker gives up the floor
    assert state.voice_move_matters(13, back=False)  # skipped at their turn unless back
    assert not state.voice_move_matters(11, back=False)  # their turn is over
    assert not state.voice_move_matters(99, back=False)  # not in the round
    assert state.voice_move_matters(14, back=True)
    assert not state.voice_move_matters(13, back=True)  # never marked away
    assert not state.voice_move_matters(12, back=True)


def test_round_buttons_make_their_contribution_kinds() -> None:
    assert button_kind("start") == "volunteer"
    assert button_kind("done") == "spoke"
    assert button_kind("pass") == "pass"
    for unknown in ("answer", "skip", ""):
        with pytest.raises(Conflict, match="older version"):
            button_kind(unknown)

"""When the channel is told that the speaker left (`RoundState.left_to_tell`): the rule is the
round state's, in core, so every process decides it the same way from the stored state."""

from __future__ import annotations

from dataclasses import replace

from bot.core.round_state import TELL_LEFT_WITHIN, FloorLeft, RoundState

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

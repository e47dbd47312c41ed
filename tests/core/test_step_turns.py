"""What the turn-taking kinds share (bot/core/step_turns.py): counting turns, timing them, and
holding a turn's time over a pause."""

from __future__ import annotations

from typing import Any

from bot.core.step_turns import TURN_DEADLINE, TURN_NO, TurnTaking, shift_deadline, turn_starts
from bot.core.steps.base import BaseStepHandler
from bot.core.steps.round import RoundHandler, RoundStep
from bot.core.steps.write import WriteHandler


def test_a_turn_starts_counted_and_timed() -> None:
    state: dict[str, Any] = {"speaker": 7}
    wake = turn_starts(state, 60, now=1000.0)
    assert wake.at == 1060.0 and wake.state is state
    assert state == {"speaker": 7, TURN_NO: 1, TURN_DEADLINE: 1060.0}
    assert turn_starts(state, 45, now=1010.0).at == 1055.0 and state[TURN_NO] == 2


def test_a_pause_moves_the_turns_end_and_nothing_else() -> None:
    state = {TURN_DEADLINE: 1060.0, "started": 1000.0, TURN_NO: 3}
    assert WriteHandler().resumed(state, 30.0) == {
        TURN_DEADLINE: 1090.0,
        "started": 1000.0,
        TURN_NO: 3,
    }
    assert state[TURN_DEADLINE] == 1060.0  # the state read is left as it was
    assert shift_deadline({TURN_DEADLINE: None}, TURN_DEADLINE, 30.0) == {TURN_DEADLINE: None}
    assert shift_deadline({TURN_DEADLINE: True}, TURN_DEADLINE, 30.0) == {TURN_DEADLINE: True}


def test_the_turn_taking_kinds_take_several_answers_each() -> None:
    step = RoundStep.model_validate({"type": "round", "title": "R", "question": "Q"})
    assert isinstance(RoundHandler(), TurnTaking) and isinstance(WriteHandler(), TurnTaking)
    assert not RoundHandler().one_answer_per_member(step)
    assert BaseStepHandler[RoundStep]().one_answer_per_member(step)
    assert RoundHandler().kind == "round" and WriteHandler().kind == "write"

"""What the turn-taking kinds share: a round's speakers and a song's writers each have a turn of
the step's `turn_seconds`, counted in the step state.

Both keep, under the same keys, how many turns have started (``turn_no``, so an answer from an
earlier turn is told apart) and when the current one ends (``turn_deadline``, a UTC timestamp in
seconds, which is the handler's timer and moves on by a pause); who has the turn is each kind's
own key (a round's ``speaker``, a song's ``turn``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.steps.base import BaseStepHandler, StepT, Wake

TURN_NO = "turn_no"
"""Step-state key: how many turns have started in the step (0 before the first)."""
TURN_DEADLINE = "turn_deadline"
"""Step-state key: when the current turn ends (UTC seconds); None while nobody has one."""


class TurnTaking(BaseStepHandler[StepT]):
    """A kind whose members take turns (``class RoundHandler(TurnTaking[RoundStep])``): each
    may answer once a turn, so several times in the step, and a pause holds the turn's time."""

    def one_answer_per_member(self, step: StepT) -> bool:
        """False: a member answers once a turn, so may answer more than once in the step."""
        return False

    def resumed(self, state: Mapping[str, Any], paused_for: float) -> dict[str, Any]:
        """The turn's end moves on by the pause: its time runs only while the step does."""
        return shift_deadline(state, TURN_DEADLINE, paused_for)


def turn_starts(state: dict[str, Any], seconds: float, now: float) -> Wake:
    """The next turn starts at `now` (UTC seconds) and lasts `seconds`: `state` (changed in
    place) counts it and keeps its end, which is the handler's timer."""
    state[TURN_NO] = int(state.get(TURN_NO, 0)) + 1
    state[TURN_DEADLINE] = now + seconds
    return Wake(at=state[TURN_DEADLINE], state=state)


def shift_deadline(state: Mapping[str, Any], key: str, seconds: float) -> dict[str, Any]:
    """`state` with its timestamp `key` (when it is one) `seconds` later: for `resumed`."""
    moved = dict(state)
    value = moved.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        moved[key] = value + seconds
    return moved

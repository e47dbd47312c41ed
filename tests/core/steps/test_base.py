"""The step interface (bot/core/steps/base.py): who an auto step waits for, and when it is done."""

from __future__ import annotations

import pytest

from bot.core.steps.base import (
    BaseStepHandler,
    Press,
    Pressed,
    StepContext,
    StepKind,
    everyone_answered,
)
from bot.core.steps.prompt import PromptStep
from bot.records.sessions import ContributionRecord
from tests.ui.test_templates import run

FACILITATOR, ANA, BEN = 1, 11, 12
PROMPT = PromptStep(type="prompt", title="Read", text="Read this together.")


def answer(author: int | None, number: int = 1) -> ContributionRecord:
    return ContributionRecord(number, 1, 0, author, "answer", {}, 0.0, 0.0)


def test_an_auto_step_waits_for_everyone_present_but_the_facilitator() -> None:
    ctx = StepContext(
        run=run(0),
        step=PROMPT,
        present=[FACILITATOR, ANA, BEN],
        now=0.0,
        facilitator_id=FACILITATOR,
        language="en",
    )
    assert ctx.expected == [ANA, BEN]
    handler = BaseStepHandler[PromptStep]()
    assert not handler.is_complete(ctx, [answer(ANA)])
    assert handler.is_complete(ctx, [answer(ANA), answer(BEN, 2)])
    assert handler.refuse_leaving(ctx, by_facilitator=False) is None
    assert handler.enter(ctx).at is None and handler.one_answer_per_member(PROMPT)


def test_anonymous_answers_count_towards_the_total() -> None:
    assert everyone_answered([ANA, BEN], [answer(ANA), answer(None, 2)])
    assert not everyone_answered([ANA, BEN], [answer(None, 1)])
    assert not everyone_answered([ANA], [answer(BEN)])  # someone who left doesn't count for ana
    assert not everyone_answered([], [answer(ANA)])  # nobody present: never "everyone"


class Reading(BaseStepHandler[PromptStep]):
    """A handler of prompts with every default."""


def test_a_kind_is_its_handler_and_its_model_is_the_one_the_handler_is_typed_by() -> None:
    kind = StepKind(handler=Reading)
    assert kind.model is PromptStep and Reading().kind == "prompt"
    assert kind.name == "prompt" and kind.order == 100 and kind.form is None


def test_a_handler_typed_by_no_model_makes_no_kind() -> None:
    class Untyped(BaseStepHandler):  # type: ignore[type-arg]
        """What mypy refuses (no model named), refused at run time too."""

    with pytest.raises(TypeError, match="Untyped names no step model"):
        StepKind(handler=Untyped)
    assert Untyped().kind == "base"


def test_a_press_is_a_one_click_answer_by_default() -> None:
    handler = BaseStepHandler[PromptStep]()
    for leads in (True, False):
        pressed = handler.pressed(PROMPT, Press(action="hum", member_id=ANA, leads=leads))
        assert pressed == Pressed(contribute=True, move_on=False, reply=None)

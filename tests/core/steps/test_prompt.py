"""The `prompt` step: something to read or discuss, with nothing to send and no end of its own."""

from __future__ import annotations

import pydantic
import pytest

from bot.core.errors import InvalidInput
from bot.core.steps import StepContext
from bot.core.steps.prompt import PromptHandler, PromptStep
from tests.ui.test_templates import run


def test_a_prompt_has_text_and_an_optional_discussion_time() -> None:
    prompt = PromptStep.model_validate(
        {"type": "prompt", "title": "Read", "text": "hello", "discussion_minutes": 10}
    )
    assert prompt.discussion_minutes == 10
    with pytest.raises(pydantic.ValidationError):
        PromptStep.model_validate(
            {"type": "prompt", "title": "Read", "text": "hello", "discussion_minutes": 0}
        )


def test_nothing_can_be_sent_and_the_step_never_completes_by_answers() -> None:
    step = PromptStep.model_validate({"type": "prompt", "title": "Read", "text": "hello"})
    ctx = StepContext(run=run(0), step=step, present=[11, 12], now=0.0, language="en")
    handler = PromptHandler()
    with pytest.raises(InvalidInput, match="nothing to send"):
        handler.accept(ctx, "answer", {"text": "hi"})
    assert not handler.is_complete(ctx, [])

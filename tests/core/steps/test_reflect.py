"""The `reflect` step: its `review:` field validated with a located error, and an answer
cleaned to its length, refused when empty or of another kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.errors import InvalidInput
from bot.core.steps import StepContext
from bot.core.steps.reflect import ReflectHandler, ReflectStep
from tests.core.test_activity_loader import errors_for
from tests.ui.test_templates import run


def test_a_reviewed_reflection_is_released_by_hand(tmp_path: Path) -> None:
    errors = errors_for(
        tmp_path,
        """\
          - type: reflect
            title: Look back
            question: What stayed with you?
            review: facilitator
            time_limit: 2m
            advance: auto
        """,
    )
    assert len(errors) == 1 and "review: facilitator needs advance: facilitator" in errors[0]
    assert errors[0].startswith("demo.yaml:7:"), errors


def step(**fields: object) -> ReflectStep:
    return ReflectStep.model_validate(
        {"type": "reflect", "title": "Look back", "question": "What stayed?", **fields}
    )


def test_an_answer_is_cleaned_to_the_steps_length_and_says_whether_it_is_shared() -> None:
    ctx = StepContext(run=run(0), step=step(max_chars=10), present=[11], now=0.0, language="en")
    handler = ReflectHandler()
    saved = handler.accept(ctx, "reflection", {"text": "  The low notes stayed  ", "shared": 1})
    assert saved == {"text": "The low…", "shared": True}  # cut at a word, marked
    assert handler.accept(ctx, "reflection", {"text": "calm"}) == {"text": "calm", "shared": False}
    with pytest.raises(InvalidInput, match="Your reflection was empty"):
        handler.accept(ctx, "reflection", {"text": "   "})
    with pytest.raises(InvalidInput, match="Reflect button"):
        handler.accept(ctx, "vote", {"text": "calm"})

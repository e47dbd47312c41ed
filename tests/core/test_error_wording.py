"""pydantic's errors as a facilitator's sentences, at their YAML path (bot/core/error_wording.py).

Driven by real validation of the real activity model: no error is made up by hand."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from bot.core.activity_models import Activity
from bot.core.error_wording import humanize, simple_message
from bot.core.format_base import format_error
from bot.core.steps import step_type_names

DRAFT: dict[str, Any] = {
    "id": "a",
    "titel": "x",
    "summary": "s",
    "version": 1,
    "duration_minutes": 5,
    "steps": [
        {"type": "promt", "title": "t", "text": "x"},
        {"type": "checkin", "title": "t", "question": "q", "scale": "0-11"},
    ],
}


def worded() -> dict[tuple[str | int, ...], tuple[str, bool]]:
    with pytest.raises(ValidationError) as raised:
        Activity.model_validate(DRAFT)
    found = {}
    for details in raised.value.errors():
        path, message, at_key = humanize(details, DRAFT)
        found[path] = (message, at_key)
    return found


def test_a_misspelt_field_is_pointed_at_by_its_key_with_the_field_meant() -> None:
    found = worded()
    assert found[("titel",)] == ("unknown field 'titel' (did you mean 'title'?)", True)
    assert found[("title",)] == ("missing required field", False)


def test_an_unknown_step_kind_lists_the_registered_kinds_and_the_nearest() -> None:
    message, _ = worded()[("steps", 0, "type")]
    assert message == (
        f"expected one of {', '.join(step_type_names())}; got \"promt\" (did you mean 'prompt'?)"
    )


def test_union_tags_are_dropped_from_the_path_the_facilitator_sees() -> None:
    message, _ = worded()[("steps", 1, "scale")]  # pydantic's loc: steps, 1, checkin, scale, kind
    assert (
        message.startswith("expected one of 0-10, 1-5, sam") and "did you mean '0-10'?" in message
    )


@pytest.mark.parametrize(
    ("kind", "ctx", "value", "message"),
    [
        ("string_too_long", {"max_length": 5}, "abcdefg", "must be at most 5 characters; got 7"),
        ("int_parsing", {}, "abc", 'expected a whole number; got "abc"'),
        # Our own error (format_error): its message is already ours.
        ("text_type", format_error("text_type", "expected text").context, 3, "expected text"),
    ],
)
def test_simple_messages(kind: str, ctx: dict[str, Any], value: Any, message: str) -> None:
    assert simple_message(kind, ctx, value) == message

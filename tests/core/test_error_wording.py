"""pydantic's errors as a facilitator's sentences, at their YAML path (bot/core/error_wording.py).

Driven by real validation of the real activity model: no error is made up by hand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from bot.core.activity_fields import LOADER_CONTEXT_KEY
from bot.core.activity_models import Activity
from bot.core.error_wording import humanize, simple_message
from bot.core.format_base import format_error, wording_of
from bot.core.steps import step_type_names
from bot.i18n import Wording

WORDED_TYPES = frozenset(
    {
        "missing",
        "extra_forbidden",
        "union_tag_invalid",
        "union_tag_not_found",
        "literal_error",
        "string_type",
        "int_type",
        "int_parsing",
        "int_from_float",
        "float_type",
        "float_parsing",
        "finite_number",
        "bool_type",
        "bool_parsing",
        "list_type",
        "model_type",
        "model_attributes_type",
        "dict_type",
        "greater_than_equal",
        "greater_than",
        "less_than_equal",
        "less_than",
        "string_too_short",
        "string_too_long",
        "too_short",
        "too_long",
        "string_pattern_mismatch",
    }
)
# pydantic's error types with a sentence of their own in bot/core/error_wording.py: every
# type our models raise is held to this list below.

ROOT = Path(__file__).resolve().parents[2]

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
    found: dict[tuple[str | int, ...], tuple[str, bool]] = {}
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


# ---------------------------------------------------------------------------------------------
# Every pydantic error type the activity format can raise has words of ours
# ---------------------------------------------------------------------------------------------

WRONG_VALUES: tuple[Any, ...] = (
    None,
    [],
    {},
    {"x": 1},
    "",
    "x",
    0,
    -1,
    10**7,
    1.5,
    True,
    "x" * 5000,
)
"""What a facilitator might write in the wrong place: nothing, containers, text, numbers."""


def _paths(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*path, index))


def _replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _replaced(data[path[0]], path[1:], value)
    return copy


def _every_error_of_mutated_activities() -> Iterator[tuple[ErrorDetails, Any]]:
    for name in (
        "lyric-circle",
        "song-choice",
        "opening-checkin",
        "go-around",
        "rhythm-and-breath",
        "group-playlist",
        "anonymous-reflection",
    ):
        source = ROOT / "activities" / f"{name}.yaml"
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        for path in _paths(data):
            for value in WRONG_VALUES:
                mutated = _replaced(data, path, value)
                try:
                    Activity.model_validate(mutated, context={LOADER_CONTEXT_KEY: True})
                except ValidationError as exc:
                    for details in exc.errors(include_url=False):
                        yield details, mutated
            if isinstance(data, dict):
                extra = _replaced(data, path, {"unknown": 1}) if path else {**data, "x": 1}
                try:
                    Activity.model_validate(extra, context={LOADER_CONTEXT_KEY: True})
                except ValidationError as exc:
                    for details in exc.errors(include_url=False):
                        yield details, extra


def test_every_error_the_format_raises_is_worded_by_us_never_by_pydantic() -> None:
    """Each wrong value in each place of real activities: every error is one of ours
    (format_error) or a pydantic type with a sentence of ours, and no reply repeats pydantic's
    English."""
    met: set[str] = set()
    for details, data in _every_error_of_mutated_activities():
        kind = details["type"]
        met.add(kind)
        # "track" is our own tagged union's error: its message is ours.
        ours = wording_of(details.get("ctx")) is not None or kind == "track"
        assert ours or kind in WORDED_TYPES, (kind, details["msg"])
        _path, message, _at_key = humanize(details, data)
        assert isinstance(message, Wording)
        if not ours:
            assert details["msg"] not in message, (kind, details["msg"], message)
        assert message.text("de") != message or message == message.text("es"), message
    # The walk met the kinds of mistake worth naming (not a vacuous pass).
    assert {"missing", "extra_forbidden", "string_type", "int_type", "literal_error"} <= met, met
    assert len(met) >= 10, met

"""The activity format's base: unknown keys refused and models frozen, field docstrings as the
schema's descriptions (read from the source only when a schema is made), what a facilitator
wrote shown briefly, and errors of our own wording."""

from __future__ import annotations

import pydantic
import pytest

from bot.core.format_base import (
    DocumentedSchema,
    FormatModel,
    attribute_docstrings,
    describe,
    format_error,
)


class Base(FormatModel):
    title: str
    """What the step is called on its card."""


class Timed(Base):
    seconds: int = 30
    """How long it lasts, in seconds."""
    undocumented: bool = False

    @pydantic.field_validator("seconds")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value <= 0:
            raise format_error("not_positive", "must be more than 0 seconds, not {got}", got=value)
        return value


def test_unknown_keys_are_refused_and_a_model_cannot_change() -> None:
    with pytest.raises(pydantic.ValidationError, match="Extra inputs are not permitted"):
        Timed.model_validate({"title": "Breathe", "secnds": 10})
    timed = Timed(title="Breathe")
    with pytest.raises(pydantic.ValidationError):
        timed.title = "Other"  # type: ignore[misc]  # frozen: the point of the test


def test_field_docstrings_become_the_schemas_descriptions_inherited_ones_too() -> None:
    assert attribute_docstrings(Timed) == {"seconds": "How long it lasts, in seconds."}
    assert attribute_docstrings(Base) == {"title": "What the step is called on its card."}
    schema = Timed.model_json_schema(schema_generator=DocumentedSchema)
    properties = schema["properties"]
    assert properties["title"]["description"] == "What the step is called on its card."
    assert properties["seconds"]["description"] == "How long it lasts, in seconds."
    assert "description" not in properties["undocumented"]


def test_what_a_facilitator_wrote_is_shown_briefly() -> None:
    assert [describe(v) for v in (None, True, 3, 2.5, {"a": 1}, [1], "Héllo")] == [
        "nothing (null)",
        "true",
        "3",
        "2.5",
        "a mapping",
        "a list",
        '"Héllo"',
    ]
    assert describe("x" * 50) == '"' + "x" * 37 + '..."'
    assert describe(b"raw") == "bytes"


def test_our_own_error_is_worded_with_its_fields_and_typed() -> None:
    with pytest.raises(pydantic.ValidationError) as refused:
        Timed(title="Breathe", seconds=0)
    (error,) = refused.value.errors()
    assert error["type"] == "not_positive"
    assert error["msg"] == "must be more than 0 seconds, not 0"

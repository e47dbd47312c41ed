"""Durations, ids and versions as a facilitator writes them (bot/core/field_values.py)."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from bot.core.field_values import (
    Slug,
    Version,
    duration_schema,
    duration_validator,
    format_duration,
    parse_duration,
)


@pytest.mark.parametrize("seconds", [0, 1, 59, 60, 90, 3599, 3600, 3661, 7322])
def test_format_and_parse_round_trip(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds
    assert format_duration(90) == "1m30s" and format_duration(0) == "0s"


def test_a_duration_field_keeps_to_its_bounds_and_its_schema_says_so() -> None:
    validate = duration_validator(10, 600)
    assert validate("1m") == 60
    for outside in ("5s", "11m"):
        with pytest.raises(ValueError, match="10s"):
            validate(outside)
    schema = duration_schema(10, 600)
    assert {"type": "integer", "minimum": 10, "maximum": 600} in schema["anyOf"]


def test_ids_are_lowercase_slugs_with_an_example() -> None:
    slug = TypeAdapter(Slug)
    assert slug.validate_python("lyric-circle") == "lyric-circle"
    for wrong in ("Lyric Circle", "lyric_circle", "-circle", "a" * 65, 12):
        with pytest.raises(ValidationError, match='like "lyric-circle"'):
            slug.validate_python(wrong)


def test_versions_are_kept_as_text_and_a_float_is_told_to_use_quotes() -> None:
    version = TypeAdapter(Version)
    assert version.validate_python(3) == "3"
    assert version.validate_python(" 1.2.0 ") == "1.2.0"
    with pytest.raises(ValidationError, match=r'put it in quotes, e.g. "1.10"'):
        version.validate_python(1.1)
    with pytest.raises(ValidationError, match="expected a version"):
        version.validate_python(-1)


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        (90, 90),
        ("90", 90),
        ("90s", 90),
        ("5m", 300),
        ("1m30s", 90),
        ("1h", 3600),
        ("1h2m3s", 3723),
        ("1:30", 90),
        (" 2m ", 120),
        (120.0, 120),
    ],
)
def test_parse_duration_accepts_the_documented_forms(written: object, seconds: int) -> None:
    assert parse_duration(written) == seconds


@pytest.mark.parametrize(
    "written", ["5 minutes", "", "m", "1.5m", "1:75", True, 1.5, None, [], "5M"]
)
def test_parse_duration_rejects_everything_else(written: object) -> None:
    with pytest.raises(ValueError, match="expected a duration"):
        parse_duration(written)


def test_format_duration_uses_the_file_notation() -> None:
    assert [format_duration(s) for s in (0, 45, 60, 90, 3723)] == [
        "0s",
        "45s",
        "1m",
        "1m30s",
        "1h2m3s",
    ]

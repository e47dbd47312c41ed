"""Durations, ids, tags and versions as a facilitator writes them, with their validators.

Durations are seconds: written ``90``, ``"90s"``, ``"5m"``, ``"1m30s"``, ``"1h"`` or ``"1:30"``.
"""

import re
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import (
    PlainValidator,
    WithJsonSchema,
)

from bot.core.format_base import describe, format_error
from bot.i18n import Wording

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DURATION_PATTERN = r"^(?:[0-9]+|[0-9]+:[0-5][0-9]|(?=[0-9])(?:[0-9]+h)?(?:[0-9]+m)?(?:[0-9]+s)?)$"
"""Durations as written: ``90``, ``"90s"``, ``"5m"``, ``"1m30s"``, ``"1h"`` or ``"1:30"``."""
_DURATION_RE = re.compile(DURATION_PATTERN)


# ---------------------------------------------------------------------------------------------
# Durations and slugs
# ---------------------------------------------------------------------------------------------


def format_duration(seconds: int) -> str:
    """90 -> "1m30s": the same notation the files use."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{hours}h" if hours else "",
        f"{minutes}m" if minutes else "",
        f"{secs}s" if secs else "",
    ]
    return "".join(parts) or "0s"


def parse_duration(value: Any) -> int:
    """Seconds from 90, "90", "90s", "5m", "1m30s", "1h" or "1:30". Raises PydanticCustomError
    (`format_error`, kind "duration") for anything else."""
    if isinstance(value, bool):
        raise format_error(
            "duration",
            'expected a duration such as 90, "90s", "5m" or "1m30s"; got {got}',
            got=describe(value),
        )
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        written = value.strip()
        if _DURATION_RE.fullmatch(written):
            if written.isdigit():
                return int(written)
            if ":" in written:
                minutes, secs = written.split(":")
                return int(minutes) * 60 + int(secs)
            total = 0
            for number, unit in re.findall(r"([0-9]+)([hms])", written):
                total += int(number) * {"h": 3600, "m": 60, "s": 1}[unit]
            return total
    raise format_error(
        "duration",
        'expected a duration such as 90, "90s", "5m" or "1m30s"; got {got}',
        got=describe(value),
    )


def duration_validator(low: int, high: int) -> Callable[[Any], int]:
    """A validator of a duration field: seconds from `low` to `high`; raises a located
    validation error naming the bounds."""

    def validate(value: Any) -> int:
        seconds = parse_duration(value)
        if not low <= seconds <= high:
            raise format_error(
                "duration_range",
                "expected a duration between {low} and {high}; got {got}",
                low=format_duration(low),
                high=format_duration(high),
                got=format_duration(seconds) if seconds >= 0 else str(seconds),
            )
        return seconds

    return validate


def duration_schema(low: int, high: int) -> dict[str, Any]:
    """The JSON Schema of a duration field from `low` to `high` seconds, as written."""
    return {
        "anyOf": [
            {"type": "integer", "minimum": low, "maximum": high},
            {"type": "string", "pattern": DURATION_PATTERN},
        ],
        "description": f'Seconds, or e.g. "90s", "5m", "1m30s" ({format_duration(low)} '
        f"to {format_duration(high)}).",
    }


def _slug_validator(what: Wording, example: str) -> Callable[[Any], str]:
    def validate(value: Any) -> str:
        if isinstance(value, str) and _SLUG_RE.fullmatch(value) and len(value) <= 64:
            return value
        raise format_error(
            "slug",
            'expected {what}: lowercase letters, digits and hyphens, like "{example}"; got {got}',
            what=what,
            example=example,
            got=describe(value),
        )

    return validate


Slug = Annotated[
    str,
    PlainValidator(_slug_validator(Wording("an id"), "lyric-circle")),
    WithJsonSchema({"type": "string", "pattern": _SLUG_RE.pattern, "maxLength": 64}),
]
TagName = Annotated[
    str,
    PlainValidator(_slug_validator(Wording("a tag"), "songwriting")),
    WithJsonSchema({"type": "string", "pattern": _SLUG_RE.pattern, "maxLength": 64}),
]


def _validate_version(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    if isinstance(value, str) and value.strip() and len(value) <= 32:
        return value.strip()
    if isinstance(value, float):
        raise format_error(
            "version",
            'expected a version such as 1 or "1.2.0"; got {got} (put it in quotes, e.g. "1.10")',
            got=describe(value),
        )
    raise format_error(
        "version", 'expected a version such as 1 or "1.2.0"; got {got}', got=describe(value)
    )


Version = Annotated[
    str,
    PlainValidator(_validate_version),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0},
                {"type": "string", "minLength": 1, "maxLength": 32},
            ]
        }
    ),
]

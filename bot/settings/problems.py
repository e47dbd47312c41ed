"""What is wrong with the settings, in one line of our own words (pydantic's own sentences
change between releases)."""

from __future__ import annotations

import re
from typing import Any


class SettingsError(Exception):
    """A configuration problem, described in one line that names the key and its source."""


_MESSAGES = {
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_parsing": "expected a number",
    "float_type": "expected a number",
    "bool_parsing": "expected true or false",
    "bool_type": "expected true or false",
    "string_type": "expected text",
    "literal_error": "expected one of {expected}",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "string_too_short": "must not be empty",
    "string_too_long": "must be at most {max_length} characters",
    "string_pattern_mismatch": "is not in the expected form",
    "tuple_type": "expected a list",
    "list_type": "expected a list",
    "model_type": "expected a mapping of settings",
    "dict_type": "expected a mapping of settings",
}
"""Our words for pydantic's error types (its own sentences change between releases)."""


def describe(error: Any) -> tuple[str, str]:
    """One of pydantic's `ValidationError.errors()` as (the key's dotted path, e.g.
    `checkins.retention_days`; what is wrong with it, with the value given when it is short
    plain data). An error type we have no words for is named by its type."""
    loc = ".".join(str(part) for part in error["loc"])
    kind = str(error["type"])
    if kind == "extra_forbidden":
        message = "unknown key"
        if loc == "token":
            message = "the token is read from the DISCORD_TOKEN environment variable only"
        return loc, message
    if kind in ("value_error", "assertion_error"):
        return loc, str((error.get("ctx") or {}).get("error", "is not valid"))
    template = _MESSAGES.get(kind, f"is not valid ({kind.replace('_', ' ')})")
    ctx = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    if "expected" in ctx:  # pydantic's "'a', 'b' or 'c'" -> "a, b, c"
        ctx["expected"] = ", ".join(re.findall(r"'([^']*)'", ctx["expected"])) or ctx["expected"]
    try:
        message = template.format(**ctx)
    except (KeyError, IndexError):
        message = template.split(" {", 1)[0]
    got = error.get("input")
    if isinstance(got, str | int | float) and not isinstance(got, bool):
        message += f"; got {str(got)[:60]!r}"
    return loc, message

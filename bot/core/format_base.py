"""What every part of the activity format shares: the base model and the wording of its errors.

Messages raised by the format are the ones a facilitator reads, so they say what was expected
and what was found (`describe` shows what they wrote).
"""

import json
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
)
from pydantic_core import PydanticCustomError


class FormatModel(BaseModel):
    """Shared config: forbid unknown keys, immutable, docstrings become schema descriptions."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


def describe(value: Any) -> str:
    """Show a facilitator what they wrote, briefly: strings quoted, containers named."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return json.dumps(shown, ensure_ascii=False)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def format_error(kind: str, template: str, **context: Any) -> PydanticCustomError:
    """A validation error a facilitator reads: `kind` is its type, `template` its message with
    ``{placeholders}`` filled from `context`. Raise it from a validator."""
    return PydanticCustomError(kind, template, context or None)

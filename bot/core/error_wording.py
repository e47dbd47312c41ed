"""pydantic's validation errors as sentences a facilitator can act on, at their YAML path.

Each error says what was expected and what was found, with the field they probably meant
(`humanize`); the loader (`bot.core.activity_loader`) places it at a line and column.
"""

import difflib
import json
import re
import types
import typing
from collections.abc import Sequence
from typing import Any, Union

from pydantic import BaseModel
from pydantic_core import ErrorDetails
from pydantic_core.core_schema import ErrorType

from bot.core.activity_fields import LOADER_OWNED_FIELDS
from bot.core.activity_models import Activity
from bot.core.format_base import describe
from bot.core.steps import step_type_names
from bot.core.yaml_marks import YamlPath


def _clean_path(loc: tuple[int | str, ...], data: Any, *, missing: bool) -> YamlPath:
    """pydantic's loc as the facilitator's path: union tags dropped, YAML shape followed.

    A part that is not in the data is a union tag, except the last part of a missing field.
    """
    path: list[str | int] = []
    current = data
    for position, part in enumerate(loc):
        last = position == len(loc) - 1
        if isinstance(current, dict):
            if part in current:
                path.append(part)
                current = current[part]
            elif last and missing:
                path.append(part)
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
    return tuple(path)


def _strip(annotation: Any) -> Any:
    """Remove Annotated wrappers and None from a union, leaving what the value must be."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (Union, types.UnionType):
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(members) == 1:
            return _strip(members[0])
    return annotation


def _union_member(annotation: Any, tag: Any) -> Any:
    """The member of a tagged union selected by ``tag`` (a Tag() or a ``type`` literal)."""
    for member in typing.get_args(annotation):
        metadata = getattr(member, "__metadata__", ())
        if any(getattr(item, "tag", None) == tag for item in metadata):
            return typing.get_args(member)[0]
        inner = _strip(member)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            type_field = inner.model_fields.get("type")
            if type_field is not None and typing.get_args(type_field.annotation) == (tag,):
                return inner
    return None


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """Which model a pydantic loc points into, to list the fields it accepts."""
    annotation: Any = Activity
    for part in loc:
        annotation = _strip(annotation)
        origin = typing.get_origin(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found = None
            for name, info in annotation.model_fields.items():
                if part in (name, info.alias):
                    found = info
            if found is None:
                return None
            annotation = found.rebuild_annotation()
        elif origin is list:
            annotation = typing.get_args(annotation)[0]
        elif origin is dict:
            annotation = typing.get_args(annotation)[1]
        elif origin in (Union, types.UnionType):
            annotation = _union_member(annotation, part)
            if annotation is None:
                return None
        else:
            return None
    annotation = _strip(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _field_names(model: type[BaseModel]) -> list[str]:
    return [
        info.alias or name
        for name, info in model.model_fields.items()
        if name not in LOADER_OWNED_FIELDS
    ]


def _quoted_list(expected: str) -> list[str]:
    return re.findall(r"'([^']*)'", expected)


def _suggest(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def humanize(details: ErrorDetails, data: Any) -> tuple[YamlPath, str, bool]:
    """(path, message, point at the key?) for one pydantic error."""
    kind = details["type"]
    loc = tuple(details["loc"])
    ctx: dict[str, Any] = dict(details.get("ctx") or {})
    value = details.get("input")
    got = describe(value)
    path = _clean_path(loc, data, missing=kind == "missing")

    if kind == "missing":
        return path, "missing required field", False
    if kind == "extra_forbidden":
        name = str(loc[-1]) if loc else "?"
        model = _model_at(loc[:-1])
        allowed = _field_names(model) if model is not None else []
        hint = _suggest(name, allowed)
        if not hint and allowed:
            hint = "; expected one of " + ", ".join(allowed)
        return path, f"unknown field '{name}'{hint}", True
    if kind == "union_tag_invalid":
        tags = _quoted_list(str(ctx.get("expected_tags", "")))
        tag = str(ctx.get("tag", ""))
        return (
            (*path, "type"),
            f"expected one of {', '.join(tags)}; got {json.dumps(tag)}{_suggest(tag, tags)}",
            False,
        )
    if kind == "union_tag_not_found":
        known = ", ".join(step_type_names())
        if not isinstance(value, dict):
            return path, f"expected a step (a mapping with type: {known}); got {got}", False
        return (*path, "type"), f"missing required field; expected one of {known}", False
    if kind == "literal_error":
        options = _quoted_list(str(ctx.get("expected", "")))
        suggestion = _suggest(value, options) if isinstance(value, str) else ""
        return path, f"expected one of {', '.join(options)}; got {got}{suggestion}", False
    if kind == "track":
        return path, f"expected a track (title, artist, url or file) or from_vote; got {got}", False
    return path, simple_message(kind, ctx, value, details["msg"]), False


def simple_message(kind: str, ctx: dict[str, Any], value: Any, fallback: str) -> str:
    """The sentence for one error `kind` (pydantic's, with its `ctx`, or our models' own,
    whose `fallback` message is already ours) about the value the facilitator wrote."""
    got = describe(value)
    size = len(value) if isinstance(value, str | list | dict) else 0
    messages = {
        "string_type": f"expected text; got {got}",
        "int_type": f"expected a whole number; got {got}",
        "int_parsing": f"expected a whole number; got {got}",
        "int_from_float": f"expected a whole number; got {got}",
        "float_type": f"expected a number; got {got}",
        "float_parsing": f"expected a number; got {got}",
        "finite_number": f"expected a finite number; got {got}",
        "bool_type": f"expected true or false; got {got}",
        "bool_parsing": f"expected true or false; got {got}",
        "list_type": f"expected a list; got {got}",
        "model_type": f"expected a mapping (key: value lines); got {got}",
        "model_attributes_type": f"expected a mapping (key: value lines); got {got}",
        "dict_type": f"expected a mapping (key: value lines); got {got}",
        "greater_than_equal": f"must be at least {ctx.get('ge')}; got {got}",
        "greater_than": f"must be more than {ctx.get('gt')}; got {got}",
        "less_than_equal": f"must be at most {ctx.get('le')}; got {got}",
        "less_than": f"must be less than {ctx.get('lt')}; got {got}",
        "string_too_short": "must not be empty",
        "string_too_long": f"must be at most {ctx.get('max_length')} characters; got {size}",
        "too_short": (
            "must not be empty"
            if ctx.get("min_length") == 1
            else f"needs at least {ctx.get('min_length')} items; got {ctx.get('actual_length')}"
        ),
        "too_long": (
            f"may have at most {ctx.get('max_length')} items; got {ctx.get('actual_length')}"
        ),
        "string_pattern_mismatch": f"{got} is not in the expected form",
    }
    if kind == "string_pattern_mismatch" and str(ctx.get("pattern", "")).startswith("^https?"):
        return f"expected an http(s) link; got {got}"
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", fallback))
    if kind in messages:
        return messages[kind]
    if kind not in _PYDANTIC_ERROR_TYPES:
        return fallback  # our own PydanticCustomError: the sentence is ours
    # pydantic's own sentence changes between releases; its error type is stable, so a kind
    # without a sentence of ours still reads the same whatever pydantic is installed.
    return f"is not valid here ({kind.replace('_', ' ')}); got {got}"


_PYDANTIC_ERROR_TYPES = frozenset(typing.get_args(ErrorType))
"""pydantic-core's built-in error types; any other type is one our models raise with our words."""

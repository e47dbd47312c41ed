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

from bot.core.activity_fields import LOADER_OWNED_FIELDS
from bot.core.activity_models import Activity
from bot.core.format_base import describe, wording_of
from bot.core.steps import step_type_names
from bot.core.yaml_marks import YamlPath
from bot.i18n import Wording


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


def _with_suggestion(word: str, choices: Sequence[str], problem: Wording) -> Wording:
    """``problem``, followed by the choice ``word`` probably meant, when one is close."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        return problem
    return Wording("{problem} (did you mean '{suggestion}'?)", problem=problem, suggestion=close[0])


def humanize(details: ErrorDetails, data: Any) -> tuple[YamlPath, Wording, bool]:
    """(path, message, point at the key?) for one pydantic error; the message is a `Wording`
    (English as a str, ``text(locale)`` for a facilitator's language), never pydantic's own."""
    kind = details["type"]
    loc = tuple(details["loc"])
    ctx: dict[str, Any] = dict(details.get("ctx") or {})
    value = details.get("input")
    got = describe(value)
    path = _clean_path(loc, data, missing=kind == "missing")

    if kind == "missing":
        return path, Wording("missing required field"), False
    if kind == "extra_forbidden":
        name = str(loc[-1]) if loc else "?"
        model = _model_at(loc[:-1])
        allowed = _field_names(model) if model is not None else []
        unknown = Wording("unknown field '{name}'", name=name)
        if difflib.get_close_matches(name, allowed, n=1, cutoff=0.6) or not allowed:
            return path, _with_suggestion(name, allowed, unknown), True
        return (
            path,
            Wording(
                "unknown field '{name}'; expected one of {allowed}",
                name=name,
                allowed=", ".join(allowed),
            ),
            True,
        )
    if kind == "union_tag_invalid":
        tags = _quoted_list(str(ctx.get("expected_tags", "")))
        tag = str(ctx.get("tag", ""))
        problem = Wording(
            "expected one of {options}; got {got}", options=", ".join(tags), got=json.dumps(tag)
        )
        return (*path, "type"), _with_suggestion(tag, tags, problem), False
    if kind == "union_tag_not_found":
        known = ", ".join(step_type_names())
        if not isinstance(value, dict):
            return (
                path,
                Wording(
                    "expected a step (a mapping with type: {kinds}); got {got}",
                    kinds=known,
                    got=got,
                ),
                False,
            )
        return (
            (*path, "type"),
            Wording("missing required field; expected one of {kinds}", kinds=known),
            False,
        )
    if kind == "literal_error":
        options = _quoted_list(str(ctx.get("expected", "")))
        problem = Wording(
            "expected one of {options}; got {got}", options=", ".join(options), got=got
        )
        if isinstance(value, str):
            problem = _with_suggestion(value, options, problem)
        return path, problem, False
    if kind == "track":
        return (
            path,
            Wording(
                "expected a track (title, artist, url or file) or from_vote; got {got}", got=got
            ),
            False,
        )
    return path, simple_message(kind, ctx, value), False


def simple_message(kind: str, ctx: dict[str, Any], value: Any) -> Wording:
    """The sentence for one error `kind` (pydantic's, with its `ctx`, or our models' own,
    raised by `format_error`) about the value the facilitator wrote. pydantic's own English
    never reaches a facilitator: each type our models can raise has a sentence here, and any
    other gets a general one."""
    ours = wording_of(ctx)
    if ours is not None:
        return ours
    got = describe(value)
    size = len(value) if isinstance(value, str | list | dict) else 0
    whole = Wording("expected a whole number; got {got}", got=got)
    number = Wording("expected a number; got {got}", got=got)
    truth = Wording("expected true or false; got {got}", got=got)
    mapping = Wording("expected a mapping (key: value lines); got {got}", got=got)
    if kind == "string_pattern_mismatch" and str(ctx.get("pattern", "")).startswith("^https?"):
        return Wording("expected an http(s) link; got {got}", got=got)
    if kind in ("too_short", "string_too_short") and ctx.get("min_length", 1) == 1:
        return Wording("must not be empty")
    messages: dict[str, Wording] = {
        "string_type": Wording("expected text; got {got}", got=got),
        "int_type": whole,
        "int_parsing": whole,
        "int_from_float": whole,
        "float_type": number,
        "float_parsing": number,
        "finite_number": Wording("expected a finite number; got {got}", got=got),
        "bool_type": truth,
        "bool_parsing": truth,
        "list_type": Wording("expected a list; got {got}", got=got),
        "model_type": mapping,
        "model_attributes_type": mapping,
        "dict_type": mapping,
        "greater_than_equal": Wording(
            "must be at least {limit}; got {got}", limit=ctx.get("ge"), got=got
        ),
        "greater_than": Wording(
            "must be more than {limit}; got {got}", limit=ctx.get("gt"), got=got
        ),
        "less_than_equal": Wording(
            "must be at most {limit}; got {got}", limit=ctx.get("le"), got=got
        ),
        "less_than": Wording("must be less than {limit}; got {got}", limit=ctx.get("lt"), got=got),
        "string_too_short": Wording(
            "must be at least {limit} characters; got {length}",
            limit=ctx.get("min_length"),
            length=size,
        ),
        "string_too_long": Wording(
            "must be at most {limit} characters; got {length}",
            limit=ctx.get("max_length"),
            length=size,
        ),
        "too_short": Wording(
            "needs at least {limit} items; got {length}",
            limit=ctx.get("min_length"),
            length=ctx.get("actual_length"),
        ),
        "too_long": Wording(
            "may have at most {limit} items; got {length}",
            limit=ctx.get("max_length"),
            length=ctx.get("actual_length"),
        ),
        "string_pattern_mismatch": Wording("{got} is not in the expected form", got=got),
    }
    if kind in messages:
        return messages[kind]
    # A validator's ValueError or assertion (not ours: ours raise format_error), or a pydantic
    # type none of our models has met yet: pydantic's English stays in the log, never shown.
    return Wording("is not valid here; got {got}", got=got)

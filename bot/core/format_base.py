"""What every part of the activity format shares: the base model and the wording of its errors.

Messages raised by the format are the ones a facilitator reads, so they say what was expected
and what was found (`describe` shows what they wrote).
"""

import ast
import inspect
import json
import textwrap
from functools import cache
from itertools import pairwise
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
)
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema


class FormatModel(BaseModel):
    """Shared config: forbid unknown keys, immutable.

    The docstring under each field is its description in the JSON Schema (`DocumentedSchema`),
    read from the source only when a schema is made: pydantic's `use_attribute_docstrings`
    parses every model's source when its class is created, ~0.14 CPU-s of every start."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@cache
def attribute_docstrings(cls: type) -> dict[str, str]:
    """Field name -> the string literal right under its annotation in `cls`'s own body."""
    try:
        lines, _ = inspect.getsourcelines(cls)
    except (OSError, TypeError):
        return {}
    (node,) = ast.parse(textwrap.dedent("".join(lines))).body
    assert isinstance(node, ast.ClassDef)
    found: dict[str, str] = {}
    for field, after in pairwise(node.body):
        if (
            isinstance(field, ast.AnnAssign)
            and isinstance(field.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            found[field.target.id] = inspect.cleandoc(after.value.value)
    return found


def _owner(cls: type, name: str) -> type:
    """The class in `cls`'s MRO whose own body annotates `name` (where its docstring is)."""
    return next(k for k in cls.__mro__ if name in inspect.get_annotations(k))


class DocumentedSchema(GenerateJsonSchema):
    """Pydantic's JSON Schema with the format models' field docstrings as descriptions (what
    `use_attribute_docstrings` gave, without its cost at import)."""

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        """A format model's schema with each field's docstring as its description (a description
        set on the field itself wins)."""
        json_schema = super().model_schema(schema)
        cls = schema["cls"]
        properties = json_schema.get("properties")
        if not (isinstance(cls, type) and issubclass(cls, FormatModel) and properties):
            return json_schema
        for name, field in cls.model_fields.items():
            doc = attribute_docstrings(_owner(cls, name)).get(name)
            alias = field.validation_alias if isinstance(field.validation_alias, str) else None
            key = alias or field.alias or name
            if doc and field.description is None and key in properties:
                properties[key]["description"] = doc  # over the type's own, as pydantic does
        return json_schema


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

"""Texts in an activity file: a plain string, a map of locale to string, or a pool to draw from.

Bounded lengths (`TITLE_MAX`, `TEXT_MAX`, `LONG_TEXT_MAX`, in characters), the JSON Schema
editors see for them, and `localize`, which picks the text for a language.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeAlias

from pydantic import (
    GetJsonSchemaHandler,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from bot.core.format_base import FormatModel, describe, format_error, wording_of

TITLE_MAX = 100
TEXT_MAX = 1000
LONG_TEXT_MAX = 4000

LOCALE_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
BLANK = "___"
"""A blank in a write template: three or more underscores."""


# ---------------------------------------------------------------------------------------------
# Text: a plain string or a map of locale to string
# ---------------------------------------------------------------------------------------------

LocalizedText: TypeAlias = str | dict[str, str]


def _check_string(value: str, max_len: int, key: str | None) -> None:
    """Raises when the text is blank or longer than ``max_len``; ``key`` names the locale of a
    text in a locale map (None for a plain string)."""
    if not value.strip():
        if key is None:
            raise format_error("text_empty", "must not be empty")
        raise format_error("text_empty", "the '{key}' text must not be empty", key=key)
    if len(value) > max_len:
        if key is None:
            raise format_error(
                "text_too_long",
                "must be at most {max} characters; got {length}",
                max=max_len,
                length=len(value),
            )
        raise format_error(
            "text_too_long",
            "the '{key}' text must be at most {max} characters; got {length}",
            key=key,
            max=max_len,
            length=len(value),
        )


POOL_MIN = 2
POOL_MAX = 50


@dataclass(frozen=True, slots=True)
class TextPool:
    """Alternatives for one text field of a step, written ``{pool: [text, text, ...]}``.

    One alternative is drawn when the step starts (`bot.core.pools`), without repeats in a
    channel until every alternative has had its turn."""

    pool: tuple[LocalizedText, ...]


def _pool_validator(max_len: int) -> Callable[[Any], TextPool]:
    single = _text_validator(max_len, pooled=False)

    def validate(value: Any) -> TextPool:
        if isinstance(value, TextPool):
            return value
        if not isinstance(value, dict) or set(value) != {"pool"}:
            keys = ", ".join(sorted(str(k) for k in value)) if isinstance(value, dict) else ""
            raise format_error(
                "pool",
                "a pool is written as pool: and a list of alternatives; got the keys {keys}",
                keys=keys,
            )
        items = value["pool"]
        if not isinstance(items, list | tuple):
            raise format_error(
                "pool", "pool must be a list of alternatives; got {got}", got=describe(items)
            )
        if not POOL_MIN <= len(items) <= POOL_MAX:
            raise format_error(
                "pool",
                "a pool needs between {low} and {high} alternatives; got {count}",
                low=POOL_MIN,
                high=POOL_MAX,
                count=len(items),
            )
        checked: list[LocalizedText] = []
        for number, item in enumerate(items, start=1):
            try:
                checked.append(single(item))
            except PydanticCustomError as exc:
                raise format_error(
                    "pool",
                    "pool alternative {number}: {problem}",
                    number=number,
                    problem=wording_of(exc.context) or exc.message(),
                ) from None
        return TextPool(pool=tuple(checked))

    return validate


def _text_validator(max_len: int, *, pooled: bool = False) -> Callable[[Any], Any]:
    def validate(value: Any) -> Any:
        if pooled and (
            isinstance(value, TextPool) or (isinstance(value, dict) and "pool" in value)
        ):
            return _pool_validator(max_len)(value)
        if isinstance(value, str):
            _check_string(value, max_len, None)
            return value
        if isinstance(value, dict):
            if not value:
                raise format_error("text_type", "expected at least one locale, like {{en: ...}}")
            for key, text in value.items():
                if not isinstance(key, str) or not LOCALE_RE.fullmatch(key):
                    raise format_error(
                        "locale_key",
                        "{key} is not a locale code; expected codes such as en, de, pt-BR",
                        key=describe(key),
                    )
                if not isinstance(text, str):
                    raise format_error(
                        "text_type",
                        "expected text for locale '{key}'; got {got}",
                        key=key,
                        got=describe(text),
                    )
                _check_string(text, max_len, key)
            return dict(value)
        if isinstance(value, int | float):
            raise format_error(
                "text_type",
                "expected text: a string, or a map of locale to string like "
                "{{en: ..., de: ...}}; got {got} (put it in quotes)",
                got=describe(value),
            )
        raise format_error(
            "text_type",
            "expected text: a string, or a map of locale to string like {{en: ..., de: ...}}; "
            "got {got}",
            got=describe(value),
        )

    return validate


def text_json_schema(max_len: int, *, pooled: bool = False) -> dict[str, Any]:
    """JSON Schema of a text field: what editors offer and check (with `pooled`, also a pool)."""
    string = {"type": "string", "minLength": 1, "maxLength": max_len}
    single: list[dict[str, Any]] = [
        string,
        {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": LOCALE_RE.pattern},
            "additionalProperties": string,
        },
    ]
    if not pooled:
        return {"anyOf": single}
    pool = {
        "type": "object",
        "required": ["pool"],
        "additionalProperties": False,
        "properties": {
            "pool": {
                "type": "array",
                "minItems": POOL_MIN,
                "maxItems": POOL_MAX,
                "items": {"anyOf": single},
                "description": "Alternatives; one is drawn when the step starts, without "
                "repeats in a channel until each has had its turn.",
            }
        },
    }
    return {"anyOf": [*single, pool]}


Title = Annotated[
    LocalizedText,
    PlainValidator(_text_validator(TITLE_MAX)),
    WithJsonSchema(text_json_schema(TITLE_MAX)),
]
SingleText = Annotated[
    LocalizedText,
    PlainValidator(_text_validator(TEXT_MAX)),
    WithJsonSchema(text_json_schema(TEXT_MAX)),
]
"""A text that is never a pool (the activity's own summary and notes)."""
SingleLongText = Annotated[
    LocalizedText,
    PlainValidator(_text_validator(LONG_TEXT_MAX)),
    WithJsonSchema(text_json_schema(LONG_TEXT_MAX)),
]


def _text_as_written(value: Any) -> Any:
    """A text as the file writes it: a pool back to ``{pool: [...]}`` (the run keeps it so)."""
    if isinstance(value, TextPool):
        return {"pool": list(value.pool)}
    return value


Text = Annotated[
    LocalizedText | TextPool,
    PlainValidator(_text_validator(TEXT_MAX, pooled=True)),
    PlainSerializer(_text_as_written, return_type=Any),
    WithJsonSchema(text_json_schema(TEXT_MAX, pooled=True)),
]
"""A step's text: a string, a locale map, or a pool of either."""
LongText = Annotated[
    LocalizedText | TextPool,
    PlainValidator(_text_validator(LONG_TEXT_MAX, pooled=True)),
    PlainSerializer(_text_as_written, return_type=Any),
    WithJsonSchema(text_json_schema(LONG_TEXT_MAX, pooled=True)),
]


def localize(text: LocalizedText | TextPool | None, locale: str) -> str:
    """Pick the text for a locale: exact, then its language, then English, then any.

    A pool not drawn yet (`bot.core.pools.resolve` replaces drawn ones) shows its first
    alternative."""
    if text is None:
        return ""
    if isinstance(text, TextPool):
        return localize(text.pool[0], locale)
    if isinstance(text, str):
        return text
    by_key = {key.lower(): value for key, value in text.items()}
    wanted = locale.lower()
    language = wanted.split("-")[0]
    for candidate in (wanted, language):
        if candidate in by_key:
            return by_key[candidate]
    for key, value in by_key.items():
        if key.split("-")[0] == language:
            return value
    if "en" in by_key:
        return by_key["en"]
    for key, value in by_key.items():
        if key.startswith("en-"):
            return value
    return next(iter(text.values()), "")


class TextShorthand(FormatModel):
    """A model that may also be written as just its label (a string or a locale map)."""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        full = handler(core_schema)
        return {"anyOf": [text_json_schema(TITLE_MAX), full]}

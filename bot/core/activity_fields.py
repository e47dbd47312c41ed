"""The activity format's building blocks: texts, durations, ids, tracks and `StepBase`.

Activities are data, so these models *are* the file format: every field a facilitator may write
is declared with ``extra="forbid"`` (a typo is an error, not a silently ignored key), and
``activities/activity.schema.json`` is generated from them for editor completion. Messages raised
here are the ones a facilitator reads, so they say what was expected and what was found.

Each step kind's own model lives with its rules in ``bot/core/steps/<kind>.py``; the activity
that holds the steps is ``bot/core/activity_models.py``.
"""

import json
import re
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Annotated, Any, Literal, TypeAlias

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    GetJsonSchemaHandler,
    PlainValidator,
    Tag,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

LOADER_CONTEXT_KEY = "chorus_loader"
"""Validation context key: the loader runs the cross-step checks itself, with locations."""

TITLE_MAX = 100
TEXT_MAX = 1000
LONG_TEXT_MAX = 4000

LOCALE_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DURATION_PATTERN = r"^(?:[0-9]+|[0-9]+:[0-5][0-9]|(?=[0-9])(?:[0-9]+h)?(?:[0-9]+m)?(?:[0-9]+s)?)$"
"""Durations as written: ``90``, ``"90s"``, ``"5m"``, ``"1m30s"``, ``"1h"`` or ``"1:30"``."""
_DURATION_RE = re.compile(DURATION_PATTERN)
BLANK = "___"
"""A blank in a write template: three or more underscores."""


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


# ---------------------------------------------------------------------------------------------
# Text: a plain string or a map of locale to string
# ---------------------------------------------------------------------------------------------

LocalizedText: TypeAlias = str | dict[str, str]


def _check_string(value: str, max_len: int, where: str) -> None:
    if not value.strip():
        raise format_error("text_empty", "{where}must not be empty", where=where)
    if len(value) > max_len:
        raise format_error(
            "text_too_long",
            "{where}must be at most {max} characters; got {length}",
            where=where,
            max=max_len,
            length=len(value),
        )


def _text_validator(max_len: int) -> Callable[[Any], LocalizedText]:
    def validate(value: Any) -> LocalizedText:
        if isinstance(value, str):
            _check_string(value, max_len, "")
            return value
        if isinstance(value, dict):
            if not value:
                raise format_error("text_type", "expected at least one locale, like {en: ...}")
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
                _check_string(text, max_len, f"the '{key}' text ")
            return dict(value)
        hint = " (put it in quotes)" if isinstance(value, int | float) else ""
        raise format_error(
            "text_type",
            "expected text: a string, or a map of locale to string like {en: ..., de: ...}; "
            "got {got}{hint}",
            got=describe(value),
            hint=hint,
        )

    return validate


def text_json_schema(max_len: int) -> dict[str, Any]:
    """JSON Schema of a text field: what editors offer and check."""
    string = {"type": "string", "minLength": 1, "maxLength": max_len}
    return {
        "anyOf": [
            string,
            {
                "type": "object",
                "minProperties": 1,
                "propertyNames": {"pattern": LOCALE_RE.pattern},
                "additionalProperties": string,
            },
        ],
    }


Title = Annotated[
    LocalizedText,
    PlainValidator(_text_validator(TITLE_MAX)),
    WithJsonSchema(text_json_schema(TITLE_MAX)),
]
Text = Annotated[
    LocalizedText,
    PlainValidator(_text_validator(TEXT_MAX)),
    WithJsonSchema(text_json_schema(TEXT_MAX)),
]
LongText = Annotated[
    LocalizedText,
    PlainValidator(_text_validator(LONG_TEXT_MAX)),
    WithJsonSchema(text_json_schema(LONG_TEXT_MAX)),
]


def localize(text: LocalizedText | None, locale: str = "en") -> str:
    """Pick the text for a locale: exact, then its language, then English, then any."""
    if text is None:
        return ""
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
    """Seconds from 90, "90", "90s", "5m", "1m30s", "1h" or "1:30"; raises with a clear message."""
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


def _duration_validator(low: int, high: int) -> Callable[[Any], int]:
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


def _duration_schema(low: int, high: int) -> dict[str, Any]:
    return {
        "anyOf": [
            {"type": "integer", "minimum": low, "maximum": high},
            {"type": "string", "pattern": DURATION_PATTERN},
        ],
        "description": f'Seconds, or e.g. "90s", "5m", "1m30s" ({format_duration(low)} '
        f"to {format_duration(high)}).",
    }


def _slug_validator(what: str, example: str) -> Callable[[Any], str]:
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
    PlainValidator(_slug_validator("an id", "lyric-circle")),
    WithJsonSchema({"type": "string", "pattern": _SLUG_RE.pattern, "maxLength": 64}),
]
TagName = Annotated[
    str,
    PlainValidator(_slug_validator("a tag", "songwriting")),
    WithJsonSchema({"type": "string", "pattern": _SLUG_RE.pattern, "maxLength": 64}),
]


def _validate_version(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    if isinstance(value, str) and value.strip() and len(value) <= 32:
        return value.strip()
    hint = ' (put it in quotes, e.g. "1.10")' if isinstance(value, float) else ""
    raise format_error(
        "version",
        'expected a version such as 1 or "1.2.0"; got {got}{hint}',
        got=describe(value),
        hint=hint,
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


class FormatModel(BaseModel):
    """Shared config: forbid unknown keys, immutable, docstrings become schema descriptions."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class TextShorthand(FormatModel):
    """A model that may also be written as just its label (a string or a locale map)."""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        full = handler(core_schema)
        return {"anyOf": [text_json_schema(TITLE_MAX), full]}


# ---------------------------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------------------------

TimeLimit = Annotated[
    int,
    PlainValidator(_duration_validator(10, 3 * 3600)),
    WithJsonSchema(_duration_schema(10, 3 * 3600)),
]
TrackLength = Annotated[
    int,
    PlainValidator(_duration_validator(1, 3 * 3600)),
    WithJsonSchema(_duration_schema(1, 3 * 3600)),
]
TurnSeconds = Annotated[
    int, PlainValidator(_duration_validator(10, 900)), WithJsonSchema(_duration_schema(10, 900))
]
Visibility: TypeAlias = Literal["private", "shared"]


class StepBase(FormatModel):
    """What every step has: its kind, a title, and how it ends."""

    type: str
    title: Title
    """Shown on the session board."""
    time_limit: TimeLimit | None = None
    """How long the step runs: seconds, or e.g. "90s", "5m", "1m30s". None: until advanced."""
    advance: Literal["facilitator", "auto"] = "facilitator"
    """facilitator: the facilitator moves on; auto: when time is up or everyone has answered."""
    facilitator_notes: LongText | None = None
    """Shown to facilitators only: what to watch for, what to say."""

    @model_validator(mode="after")
    def _auto_needs_an_end(self) -> "StepBase":
        if self.advance == "auto" and self.time_limit is None and not self._ends_by_itself():
            raise format_error(
                "advance",
                "advance: auto needs a time_limit (this step has no answers to wait for)",
            )
        return self

    def _ends_by_itself(self) -> bool:
        """True for steps where 'everyone has answered' or a known length can end them."""
        return True


# ---------------------------------------------------------------------------------------------
# Tracks (a listen step's pieces, a vote option's track)
# ---------------------------------------------------------------------------------------------


class Track(FormatModel):
    """A piece of music: a link, or a file in the media directory."""

    title: Title
    artist: Title
    url: str | None = Field(default=None, max_length=500, pattern=r"^https?://\S+$")
    """A public http(s) link."""
    file: str | None = Field(default=None, max_length=300)
    """A path relative to the configured media directory."""
    duration: TrackLength | None = None
    """Length of the piece, e.g. "4m12s"."""
    credit: Text | None = None
    """Attribution line (performer, licence) shown with the track."""

    @field_validator("file")
    @classmethod
    def _file_stays_inside(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if "\\" in value:
            raise format_error(
                "media_path", "use forward slashes in file paths; got {got}", got=describe(value)
            )
        path = PurePosixPath(value)
        if path.is_absolute() or value.startswith("~") or re.match(r"^[A-Za-z]:", value):
            raise format_error(
                "media_path",
                "file must be a path inside the media directory, not an absolute path; got {got}",
                got=describe(value),
            )
        if ".." in path.parts:
            raise format_error(
                "media_path",
                "file must stay inside the media directory ('..' is not allowed); got {got}",
                got=describe(value),
            )
        if not path.parts or path.name in ("", "."):
            raise format_error(
                "media_path", "file must name a file; got {got}", got=describe(value)
            )
        return value

    @model_validator(mode="after")
    def _one_source(self) -> "Track":
        if (self.url is None) == (self.file is None):
            raise format_error("track_source", "a track needs exactly one of url or file")
        return self


def _track_tag(value: Any) -> str | None:
    if value == "from_vote":
        return "from_vote"
    if isinstance(value, dict | Track):
        return "track_mapping"
    return None


TrackRef = Annotated[
    Annotated[Track, Tag("track_mapping")] | Annotated[Literal["from_vote"], Tag("from_vote")],
    Discriminator(
        _track_tag,
        custom_error_type="track",
        custom_error_message="expected a track (title, artist, url or file) or from_vote",
    ),
]

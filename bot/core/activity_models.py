"""The activity format: pydantic models for the YAML a facilitator writes.

Activities are data, so these models *are* the file format: every field a facilitator may write
is declared here (``extra="forbid"`` so a typo is an error, not a silently ignored key), and
``activities/activity.schema.json`` is generated from them for editor completion. Messages raised
here are the ones a facilitator reads, so they say what was expected and what was found.
"""

import json
import re
import typing
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Annotated, Any, Literal, NamedTuple, TypeAlias

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    GetJsonSchemaHandler,
    PlainValidator,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue, SkipJsonSchema
from pydantic_core import CoreSchema, PydanticCustomError

LOADER_CONTEXT_KEY = "chorus_loader"
"""Validation context key: the loader runs the cross-step checks itself, with locations."""

TITLE_MAX = 100
TEXT_MAX = 1000
LONG_TEXT_MAX = 4000

_LOCALE_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
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


def _custom(kind: str, template: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError(kind, template, context or None)


# ---------------------------------------------------------------------------------------------
# Text: a plain string or a map of locale to string
# ---------------------------------------------------------------------------------------------

LocalizedText: TypeAlias = str | dict[str, str]


def _check_string(value: str, max_len: int, where: str) -> None:
    if not value.strip():
        raise _custom("text_empty", "{where}must not be empty", where=where)
    if len(value) > max_len:
        raise _custom(
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
                raise _custom("text_type", "expected at least one locale, like {en: ...}")
            for key, text in value.items():
                if not isinstance(key, str) or not _LOCALE_RE.fullmatch(key):
                    raise _custom(
                        "locale_key",
                        "{key} is not a locale code; expected codes such as en, de, pt-BR",
                        key=describe(key),
                    )
                if not isinstance(text, str):
                    raise _custom(
                        "text_type",
                        "expected text for locale '{key}'; got {got}",
                        key=key,
                        got=describe(text),
                    )
                _check_string(text, max_len, f"the '{key}' text ")
            return dict(value)
        hint = " (put it in quotes)" if isinstance(value, int | float) else ""
        raise _custom(
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
                "propertyNames": {"pattern": _LOCALE_RE.pattern},
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
        raise _custom(
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
    raise _custom(
        "duration",
        'expected a duration such as 90, "90s", "5m" or "1m30s"; got {got}',
        got=describe(value),
    )


def _duration_validator(low: int, high: int) -> Callable[[Any], int]:
    def validate(value: Any) -> int:
        seconds = parse_duration(value)
        if not low <= seconds <= high:
            raise _custom(
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
        raise _custom(
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
    raise _custom(
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


class _Model(BaseModel):
    """Shared config: forbid unknown keys, immutable, docstrings become schema descriptions."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class _TextShorthand(_Model):
    """A model that may also be written as just its label (a string or a locale map)."""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        full = handler(core_schema)
        return {"anyOf": [text_json_schema(TITLE_MAX), full]}


# ---------------------------------------------------------------------------------------------
# Check-in scales
# ---------------------------------------------------------------------------------------------


class ScaleOption(NamedTuple):
    """One answer a member can pick."""

    value: int
    label: str
    emoji: str | None


ScaleKind: TypeAlias = Literal["0-10", "1-5", "sam", "custom"]

_FIVE_POINT = [
    (1, "very low", "😞"),
    (2, "low", "🙁"),
    (3, "okay", "😐"),
    (4, "good", "🙂"),
    (5, "very good", "😄"),
]
_SAM_ENDS = {
    "valence": ("very unpleasant", "very pleasant"),
    "arousal": ("very calm", "very activated"),
}


class Choice(_Model):
    """A labelled option on a custom check-in scale."""

    label: Title
    """What the member sees on the button."""
    emoji: str | None = Field(default=None, max_length=16)
    """An optional emoji shown before the label."""
    value: int | None = Field(default=None, ge=-100, le=100)
    """The number stored; defaults to the option's position (1, 2, 3, ...)."""

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        return {"label": data} if isinstance(data, str) else data


class Scale(_Model):
    """How a check-in is answered. In YAML write ``0-10``, ``1-5``, ``sam`` or a list of options."""

    kind: ScaleKind
    """0-10 visual analogue, 1-5 emoji, sam (valence/arousal, 9-point) or custom."""
    choices: list[Choice] | None = Field(default=None, min_length=2, max_length=10)
    """The options of a custom scale, in order."""

    @model_validator(mode="before")
    @classmethod
    def _from_shorthand(cls, data: Any) -> Any:
        if isinstance(data, str | int) and not isinstance(data, bool):
            return {"kind": str(data)}
        if isinstance(data, list):
            return {"kind": "custom", "choices": data}
        return data

    @model_validator(mode="after")
    def _choices_match_kind(self) -> "Scale":
        if self.kind == "custom" and not self.choices:
            raise _custom("scale", "a custom scale needs a list of at least 2 options")
        if self.kind != "custom" and self.choices is not None:
            raise _custom("scale", "only a custom scale has its own options")
        if self.choices:
            values = [
                opt.value if opt.value is not None else i for i, opt in enumerate(self.choices, 1)
            ]
            if len(set(values)) != len(values):
                raise _custom("scale", "two options of the scale have the same value")
        return self

    @property
    def dimensions(self) -> list[str]:
        """What is asked: SAM asks valence and arousal; every other scale asks one value."""
        return ["valence", "arousal"] if self.kind == "sam" else ["value"]

    def options(self, locale: str = "en", dimension: str = "valence") -> list[ScaleOption]:
        """The answers as (value, label, emoji), in display order."""
        if self.kind == "0-10":
            return [ScaleOption(value, str(value), None) for value in range(11)]
        if self.kind == "1-5":
            return [ScaleOption(*option) for option in _FIVE_POINT]
        if self.kind == "sam":
            low, high = _SAM_ENDS.get(dimension, _SAM_ENDS["valence"])
            labels = {1: f"1 · {low}", 5: "5 · neutral", 9: f"9 · {high}"}
            return [
                ScaleOption(value, labels.get(value, str(value)), None) for value in range(1, 10)
            ]
        return [
            ScaleOption(
                opt.value if opt.value is not None else index,
                localize(opt.label, locale),
                opt.emoji,
            )
            for index, opt in enumerate(self.choices or [], 1)
        ]


_CHOICE_SCHEMA_REF = Choice.model_json_schema()
_SCALE_SCHEMA = {
    "anyOf": [
        {"enum": ["0-10", "1-5", "sam"]},
        {
            "type": "array",
            "minItems": 2,
            "maxItems": 10,
            "items": {"anyOf": [text_json_schema(TITLE_MAX), _CHOICE_SCHEMA_REF]},
        },
        {
            "type": "object",
            "properties": {
                "kind": {"enum": ["0-10", "1-5", "sam", "custom"]},
                "choices": {"type": "array", "items": _CHOICE_SCHEMA_REF},
            },
            "required": ["kind"],
            "additionalProperties": False,
        },
    ],
    "description": "0-10 (visual analogue), 1-5 (emoji), sam (valence/arousal, 9-point), "
    "or a list of labelled options.",
}


class Note(_Model):
    """Whether a check-in asks for a short written note alongside the value."""

    mode: Literal["off", "optional"] = "off"
    """off: no note; optional: the member may add one."""
    max_chars: int = Field(default=300, ge=10, le=1000)
    """Longest note accepted."""

    @model_validator(mode="before")
    @classmethod
    def _from_shorthand(cls, data: Any) -> Any:
        if isinstance(data, bool):
            return {"mode": "optional" if data else "off"}
        if isinstance(data, str):
            return {"mode": data}
        return data


_NOTE_SCHEMA = {
    "anyOf": [{"enum": ["off", "optional"]}, {"type": "boolean"}, Note.model_json_schema()],
    "description": "off, optional, or {mode: optional, max_chars: 300}.",
}


class Anchors(_Model):
    """Words at the ends of a numeric scale, so 0 and 10 mean the same to everyone."""

    low: Title
    high: Title


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


class StepBase(_Model):
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
            raise _custom(
                "advance",
                "advance: auto needs a time_limit (this step has no answers to wait for)",
            )
        return self

    def _ends_by_itself(self) -> bool:
        """True for steps where 'everyone has answered' or a known length can end them."""
        return True


class PromptStep(StepBase):
    """A message for the group to read or discuss."""

    type: Literal["prompt"]
    text: LongText
    """What is shown to the group."""
    discussion_minutes: int | None = Field(default=None, ge=1, le=120)
    """Suggested minutes of open discussion after reading."""

    def _ends_by_itself(self) -> bool:
        return False


class CheckinStep(StepBase):
    """A mood or wellbeing check-in on a scale, optionally with a note."""

    type: Literal["checkin"]
    question: Text
    scale: Annotated[Scale, WithJsonSchema(_SCALE_SCHEMA)]
    anchors: Anchors | None = None
    """Words for the ends of a 0-10 or SAM scale, e.g. {low: "heavy", high: "light"}."""
    phase: Literal["before", "after", "any"] = "any"
    """before/after check-ins with the same measure are compared to show a shift."""
    measure: Slug | None = None
    """Names what is measured (e.g. mood) so a before and an after check-in are paired."""
    note: Annotated[Note, WithJsonSchema(_NOTE_SCHEMA)] = Note()
    visibility_default: Visibility = "private"
    """private: only the member sees their answer unless they share it."""
    anonymous: bool = False
    """true stores no user id at all (so there is no personal history either)."""

    @model_validator(mode="after")
    def _anchors_fit_scale(self) -> "CheckinStep":
        if self.anchors is not None and self.scale.kind not in ("0-10", "sam"):
            raise _custom("anchors", "anchors only apply to the 0-10 and sam scales")
        return self


class Track(_Model):
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
            raise _custom(
                "media_path", "use forward slashes in file paths; got {got}", got=describe(value)
            )
        path = PurePosixPath(value)
        if path.is_absolute() or value.startswith("~") or re.match(r"^[A-Za-z]:", value):
            raise _custom(
                "media_path",
                "file must be a path inside the media directory, not an absolute path; got {got}",
                got=describe(value),
            )
        if ".." in path.parts:
            raise _custom(
                "media_path",
                "file must stay inside the media directory ('..' is not allowed); got {got}",
                got=describe(value),
            )
        if not path.parts or path.name in ("", "."):
            raise _custom("media_path", "file must name a file; got {got}", got=describe(value))
        return value

    @model_validator(mode="after")
    def _one_source(self) -> "Track":
        if (self.url is None) == (self.file is None):
            raise _custom("track_source", "a track needs exactly one of url or file")
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


class Reaction(_TextShorthand):
    """A one-tap reaction to a piece of music."""

    label: Title
    emoji: str | None = Field(default=None, max_length=16)

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"label": data, "emoji": KNOWN_REACTION_EMOJI.get(data.lower())}
        return data


KNOWN_REACTION_EMOJI = {
    "calm": "😌",
    "moved": "🥹",
    "energised": "⚡",
    "energized": "⚡",
    "nostalgic": "🕰️",
    "unsettled": "🌀",
    "hopeful": "🌱",
    "sad": "💧",
    "joyful": "☀️",
    "tender": "🤍",
    "restless": "🌪️",
}
DEFAULT_REACTIONS = ("calm", "moved", "energised", "nostalgic", "unsettled")


def _default_reactions() -> list[Reaction]:
    return [Reaction.model_validate(name) for name in DEFAULT_REACTIONS]


class Reflection(_Model):
    """What members are invited to share after listening."""

    questions: list[Text] = Field(default_factory=list, max_length=5)
    """Open questions answered in a short text."""
    reactions: list[Reaction] = Field(default_factory=_default_reactions, max_length=10)
    """One-tap reactions; an empty list turns them off."""


class ListenStep(StepBase):
    """Shared listening to one piece, with framing before and reflection after."""

    type: Literal["listen"]
    track: TrackRef
    """The piece, or from_vote: the winner of the previous vote step."""
    framing: LongText | None = None
    """Said before the music starts: what to listen for, permission to just rest."""
    countdown_seconds: int = Field(default=5, ge=0, le=60)
    """A short countdown so everyone starts together."""
    no_skip: bool = False
    """true: the track cannot be skipped (the facilitator can still stop the step)."""
    text_card: LongText | None = None
    """Lyrics or a description, for members who are not in the voice channel."""
    reflection: Reflection = Field(default_factory=Reflection)
    volume: float = Field(default=1.0, ge=0.05, le=1.0)
    """Voice playback level after loudness normalisation: 1 is full, 0.3 a quiet bed under
    spoken guidance."""
    then: list[Track] = Field(default_factory=list, max_length=9)
    """A listening set: more pieces played right after `track`, back to back, with the
    countdown only before the first. Every piece of a set needs its `duration`."""

    @model_validator(mode="after")
    def _set_is_timed(self) -> "ListenStep":
        if not self.then:
            return self
        if not isinstance(self.track, Track):
            raise _custom(
                "listen_set", "a set (then:) starts with a track of its own, not from_vote"
            )
        pieces = [self.track, *self.then]
        if len({t.file is None for t in pieces}) > 1:
            raise _custom(
                "listen_set",
                "a set (track and then:) is either all files (played in voice) or all links "
                "and text cards; it mixes the two",
            )
        untimed = [str(n) for n, t in enumerate(pieces, 1) if not t.duration]
        if untimed:
            raise _custom(
                "listen_set",
                "every piece of a set (track and then:) needs a duration; missing for piece "
                "{numbers} (1 is track:)",
                numbers=", ".join(untimed),
            )
        return self


class Section(_Model):
    """One part of a song being written, e.g. a verse of 4 lines."""

    name: Title
    """verse, chorus, bridge, ... (free text)."""
    lines: int = Field(ge=1, le=16)


class Syllables(_Model):
    """Allowed syllable count per line."""

    min: int = Field(default=1, ge=1, le=30)
    max: int = Field(default=30, ge=1, le=30)

    @model_validator(mode="after")
    def _ordered(self) -> "Syllables":
        if self.min > self.max:
            raise _custom(
                "syllables", "min ({min}) must not be above max ({max})", min=self.min, max=self.max
            )
        return self


class Constraints(_Model):
    """Rules each written line must follow."""

    max_chars: int = Field(default=120, ge=10, le=500)
    syllables: Syllables | None = None
    rhyme_with_previous: bool = False
    """The line's last word should rhyme with the previous line's."""


class WriteStep(StepBase):
    """Collaborative lyric writing, one line per turn."""

    type: Literal["write"]
    theme: Text
    """The seed the group writes from."""
    structure: list[Section] | None = Field(default=None, min_length=1, max_length=8)
    """Sections in order; may be left out when a template gives the lines."""
    turns: Literal["round_robin", "open", "hidden"] = "round_robin"
    """round_robin: in order; open: anyone; hidden: a writer sees only the last word before."""
    turn_seconds: TurnSeconds = 90
    """How long each writer has for a line."""
    pass_allowed: bool = True
    strict: bool = True
    """true: lines breaking the constraints are refused; false: they are flagged only."""
    constraints: Constraints = Field(default_factory=Constraints)
    template: list[Text] | None = Field(default=None, min_length=1, max_length=32)
    """Lines with blanks (___) that writers fill in, one line per turn."""
    anonymous: bool = False
    """true: the song is saved without who wrote which line."""

    @field_validator("template")
    @classmethod
    def _template_has_blanks(cls, lines: list[LocalizedText] | None) -> list[LocalizedText] | None:
        for number, line in enumerate(lines or [], 1):
            texts = [line] if isinstance(line, str) else list(line.values())
            if not all(BLANK in text for text in texts):
                raise _custom(
                    "template",
                    "template line {number} has no blank; mark the part to fill in with ___",
                    number=number,
                )
        return lines

    @model_validator(mode="after")
    def _structure_fits(self) -> "WriteStep":
        if self.structure is None and self.template is None:
            raise _custom(
                "write", "a write step needs a structure (sections with line counts) or a template"
            )
        if self.structure is not None and self.template is not None:
            planned = self.total_lines
            if planned != len(self.template):
                raise _custom(
                    "write",
                    "the structure has {planned} lines but the template has {templated}; "
                    "they must match",
                    planned=planned,
                    templated=len(self.template),
                )
        if self.total_lines > 32:
            raise _custom(
                "write", "a song may have at most 32 lines; this one has {n}", n=self.total_lines
            )
        return self

    @property
    def total_lines(self) -> int:
        """Lines the group will write."""
        if self.structure is not None:
            return sum(section.lines for section in self.structure)
        return len(self.template or [])


class ReflectStep(StepBase):
    """An open question answered in writing."""

    type: Literal["reflect"]
    question: Text
    anonymous: bool = False
    max_chars: int = Field(default=500, ge=10, le=2000)
    visibility_default: Visibility = "private"


class BreatheStep(StepBase):
    """Paced breathing, or a rhythm warm-up at a tempo."""

    type: Literal["breathe"]
    bpm: int | None = Field(default=None, ge=30, le=200)
    """Tempo of a pulse to breathe or tap along to."""
    beats_per_cycle: int = Field(default=4, ge=1, le=16)
    """With bpm: beats in one cycle (one breath, or one bar)."""
    inhale: float | None = Field(default=None, ge=1, le=15)
    """Seconds breathing in."""
    hold: float = Field(default=0, ge=0, le=15)
    """Seconds holding after breathing in."""
    exhale: float | None = Field(default=None, ge=1, le=20)
    """Seconds breathing out."""
    rest: float = Field(default=0, ge=0, le=15)
    """Seconds resting after breathing out (box breathing)."""
    cycles: int = Field(default=6, ge=1, le=60)
    guidance: Text | None = None
    """Said before starting: posture, 'breathe at your own pace if this does not suit you'."""

    @model_validator(mode="after")
    def _one_pace(self) -> "BreatheStep":
        paced = self.inhale is not None or self.exhale is not None
        if self.bpm is None and not paced:
            raise _custom("breathe", "give either bpm, or inhale and exhale seconds")
        if self.bpm is not None and paced:
            raise _custom("breathe", "give either bpm or inhale/exhale seconds, not both")
        if paced and (self.inhale is None or self.exhale is None):
            raise _custom("breathe", "give both inhale and exhale seconds")
        if self.time_limit is not None and self.total_seconds > self.time_limit:
            raise _custom(
                "breathe",
                "{cycles} cycles take {needed} but time_limit is {limit}",
                cycles=self.cycles,
                needed=format_duration(round(self.total_seconds)),
                limit=format_duration(self.time_limit),
            )
        return self

    @property
    def cycle_seconds(self) -> float:
        """Length of one cycle in seconds."""
        if self.bpm is not None:
            return self.beats_per_cycle * 60 / self.bpm
        return (self.inhale or 0) + self.hold + (self.exhale or 0) + self.rest

    @property
    def total_seconds(self) -> float:
        """Length of the whole exercise."""
        return self.cycle_seconds * self.cycles


class VoteOption(_TextShorthand):
    """A choice in a vote; may carry a track so a listen step can play the winner."""

    label: Title
    track: Track | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str) or (isinstance(data, dict) and "label" not in data):
            return {"label": data}
        return data


class VoteStep(StepBase):
    """The group chooses among fixed options, the previous step's contributions or the playlist."""

    model_config = ConfigDict(serialize_by_alias=True)

    type: Literal["vote"]
    question: Text
    options: list[VoteOption] | None = Field(default=None, min_length=2, max_length=25)
    choose_from: Literal["previous", "playlist"] | None = Field(default=None, alias="from")
    """previous: the previous step's contributions; playlist: the session playlist."""

    @model_validator(mode="after")
    def _one_source(self) -> "VoteStep":
        if (self.options is None) == (self.choose_from is None):
            raise _custom(
                "vote", "a vote needs exactly one of options or from (previous or playlist)"
            )
        return self

    @property
    def yields_track(self) -> bool:
        """True when the winner is something a listen step can play."""
        if self.choose_from == "playlist":
            return True
        return bool(self.options) and all(opt.track is not None for opt in self.options or [])


class GoalStep(StepBase):
    """Each member privately rates how today went for their own goals (1-5), or sets a goal."""

    type: Literal["goal"]
    prompt: Text | None = None
    """Said before rating, e.g. "Think back over today's session." Goals themselves stay private."""
    offer_set: bool = True
    """true: members without goals are offered a one-click "Set a goal" form."""


Step = Annotated[
    PromptStep
    | CheckinStep
    | ListenStep
    | WriteStep
    | ReflectStep
    | BreatheStep
    | VoteStep
    | GoalStep,
    Field(discriminator="type"),
]
STEP_TYPES: tuple[type[StepBase], ...] = (
    PromptStep,
    CheckinStep,
    ListenStep,
    WriteStep,
    ReflectStep,
    BreatheStep,
    VoteStep,
    GoalStep,
)


def step_type_names() -> list[str]:
    """The words allowed after ``type:`` in a step, in documentation order."""
    return [str(typing.get_args(cls.model_fields["type"].annotation)[0]) for cls in STEP_TYPES]


# ---------------------------------------------------------------------------------------------
# The activity
# ---------------------------------------------------------------------------------------------


class Activity(_Model):
    """One activity: what a facilitator runs with a group, step by step."""

    id: Slug
    """Unique across the catalog; lowercase letters, digits and hyphens."""
    title: Title
    summary: Text
    """One or two sentences shown when choosing an activity."""
    version: Version
    """Bump when you change the activity, e.g. 1, 2 or "1.2.0"."""
    duration_minutes: int = Field(ge=1, le=240)
    """Estimated length in minutes."""
    tags: list[TagName] = Field(default_factory=list, max_length=12)
    locale: str = Field(default="en", pattern=_LOCALE_RE.pattern)
    """Language the plain (non-map) texts are written in."""
    audience_notes: LongText | None = None
    """Facilitators only: who this suits, who it may not, adaptations."""
    facilitator_notes: LongText | None = None
    """Facilitators only: purpose, how to run it online, what to watch for."""
    steps: list[Step] = Field(min_length=1, max_length=30)
    """The steps, in order."""
    source: SkipJsonSchema[str] = ""
    """Set by the loader: the file this came from."""
    version_hash: SkipJsonSchema[str] = ""
    """Set by the loader: first 12 hex digits of the file's sha256."""

    @field_validator("tags")
    @classmethod
    def _unique_tags(cls, tags: list[str]) -> list[str]:
        if len(set(tags)) != len(tags):
            raise _custom("tags", "tags must not repeat")
        return tags

    @model_validator(mode="after")
    def _steps_fit_together(self, info: ValidationInfo) -> "Activity":
        if isinstance(info.context, dict) and info.context.get(LOADER_CONTEXT_KEY):
            return self  # the loader reports these itself, each at its own step
        problems = cross_step_problems(self)
        if problems:
            path, message = problems[0]
            raise _custom("steps", "{where}: {message}", where=format_path(path), message=message)
        return self

    @property
    def time_limit_total(self) -> int:
        """Sum of the steps' time limits, in seconds (steps without one count 0)."""
        return sum(step.time_limit or 0 for step in self.steps)


def format_path(path: tuple[str | int, ...]) -> str:
    """('steps', 2, 'turns') -> 'steps[2].turns'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def cross_step_problems(activity: Activity) -> list[tuple[tuple[str | int, ...], str]]:
    """Rules that span steps: what a vote or from_vote refers to, paired check-ins."""
    problems: list[tuple[tuple[str | int, ...], str]] = []
    last_vote: VoteStep | None = None
    measures: dict[tuple[str, str], tuple[int, Scale]] = {}
    for index, step in enumerate(activity.steps):
        if isinstance(step, ListenStep) and step.track == "from_vote":
            if last_vote is None:
                problems.append(
                    ((("steps", index, "track")), "track: from_vote needs a vote step before it")
                )
            elif not last_vote.yields_track:
                problems.append(
                    (
                        ("steps", index, "track"),
                        "track: from_vote needs the vote before it to be from: playlist "
                        "or to have a track on every option",
                    )
                )
        if isinstance(step, VoteStep):
            if step.choose_from == "previous":
                previous = activity.steps[index - 1] if index > 0 else None
                if not isinstance(previous, WriteStep | ReflectStep):
                    problems.append(
                        (
                            ("steps", index, "from"),
                            "from: previous needs a write or reflect step just before the vote",
                        )
                    )
            last_vote = step
        if isinstance(step, CheckinStep) and step.measure and step.phase != "any":
            other_phase = "after" if step.phase == "before" else "before"
            paired = measures.get((step.measure, other_phase))
            if paired is not None and paired[1] != step.scale:
                problems.append(
                    (
                        ("steps", index, "scale"),
                        f"measure '{step.measure}' uses a different scale in steps[{paired[0]}]; "
                        "paired check-ins must use the same scale",
                    )
                )
            measures[(step.measure, step.phase)] = (index, step.scale)
    return problems

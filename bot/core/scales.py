"""Check-in scales: how a check-in is answered (0-10, 1-5 faces, SAM, or the facilitator's own
options), shared by the `checkin` step's model and the check-in rules in `bot/core/checkins.py`."""

from typing import Any, Literal, NamedTuple, TypeAlias

from pydantic import Field, model_validator

from bot.core.field_texts import TITLE_MAX, Title, localize, text_json_schema
from bot.core.format_base import DocumentedSchema, FormatModel, format_error
from bot.i18n import N_, gettext


class ScaleOption(NamedTuple):
    """One answer a member can pick."""

    value: int
    label: str
    emoji: str | None


ScaleKind: TypeAlias = Literal["0-10", "1-5", "sam", "custom"]

_FIVE_POINT = [
    (1, N_("very low"), "😞"),
    (2, N_("low"), "🙁"),
    (3, N_("okay"), "😐"),
    (4, N_("good"), "🙂"),
    (5, N_("very good"), "😄"),
]
_SAM_ENDS = {
    "valence": (N_("very unpleasant"), N_("very pleasant")),
    "arousal": (N_("very calm"), N_("very activated")),
}


class Choice(FormatModel):
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


class Scale(FormatModel):
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
            raise format_error("scale", "a custom scale needs a list of at least 2 options")
        if self.kind != "custom" and self.choices is not None:
            raise format_error("scale", "only a custom scale has its own options")
        if self.choices:
            values = [
                opt.value if opt.value is not None else i for i, opt in enumerate(self.choices, 1)
            ]
            if len(set(values)) != len(values):
                raise format_error("scale", "two options of the scale have the same value")
        return self

    def options(self, locale: str, dimension: str = "valence") -> list[ScaleOption]:
        """The answers as (value, label, emoji), in display order."""
        if self.kind == "0-10":
            return [ScaleOption(value, str(value), None) for value in range(11)]
        if self.kind == "1-5":
            return [
                ScaleOption(value, gettext(label, locale), emoji)
                for value, label, emoji in _FIVE_POINT
            ]
        if self.kind == "sam":
            low, high = _SAM_ENDS.get(dimension, _SAM_ENDS["valence"])
            labels = {
                1: f"1 · {gettext(low, locale)}",
                5: f"5 · {gettext(N_('neutral'), locale)}",
                9: f"9 · {gettext(high, locale)}",
            }
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


_CHOICE_SCHEMA = Choice.model_json_schema(schema_generator=DocumentedSchema)
SCALE_SCHEMA = {
    "anyOf": [
        {"enum": ["0-10", "1-5", "sam"]},
        {
            "type": "array",
            "minItems": 2,
            "maxItems": 10,
            "items": {"anyOf": [text_json_schema(TITLE_MAX), _CHOICE_SCHEMA]},
        },
        {
            "type": "object",
            "properties": {
                "kind": {"enum": ["0-10", "1-5", "sam", "custom"]},
                "choices": {"type": "array", "items": _CHOICE_SCHEMA},
            },
            "required": ["kind"],
            "additionalProperties": False,
        },
    ],
    "description": "0-10 (visual analogue), 1-5 (emoji), sam (valence/arousal, 9-point), "
    "or a list of labelled options.",
}

"""The `checkin` step: a mood or wellbeing check-in on a scale (the rules of check-ins are in
`bot/core/checkins.py`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import Field, WithJsonSchema, model_validator

from bot.core.activity_fields import FieldPath, StepBase, Visibility
from bot.core.errors import InvalidInput
from bot.core.field_texts import Text, Title
from bot.core.field_values import Slug
from bot.core.format_base import DocumentedSchema, FormatModel, format_error
from bot.core.scales import SCALE_SCHEMA, Scale
from bot.core.step_forms import TIME_LIMIT, TITLE, FieldSpec, StepForm
from bot.core.steps.base import PASSES, BaseStepHandler, StepContext, StepKind, SummaryCount
from bot.i18n import N_, Wording


class Note(FormatModel):
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
    "anyOf": [
        {"enum": ["off", "optional"]},
        {"type": "boolean"},
        Note.model_json_schema(schema_generator=DocumentedSchema),
    ],
    "description": "off, optional, or {mode: optional, max_chars: 300}.",
}


class Anchors(FormatModel):
    """Words at the ends of a numeric scale, so 0 and 10 mean the same to everyone."""

    low: Title
    high: Title


class CheckinStep(StepBase):
    """A mood or wellbeing check-in on a scale, optionally with a note."""

    type: Literal["checkin"]
    question: Text
    scale: Annotated[Scale, WithJsonSchema(SCALE_SCHEMA)]
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
    def _anchors_fit_scale(self) -> CheckinStep:
        if self.anchors is not None and self.scale.kind not in ("0-10", "sam"):
            raise format_error("anchors", "anchors only apply to the 0-10 and sam scales")
        return self

    def problems_among(
        self, steps: Sequence[StepBase], index: int
    ) -> list[tuple[FieldPath, Wording]]:
        """A before or after check-in of a `measure` uses the scale of the latest check-in of
        the other phase before it with that measure (so the shift between them is measured)."""
        if not self.measure or self.phase == "any":
            return []
        other_phase = "after" if self.phase == "before" else "before"
        for earlier in range(index - 1, -1, -1):
            paired = steps[earlier]
            if not isinstance(paired, CheckinStep):
                continue
            if paired.measure != self.measure or paired.phase != other_phase:
                continue
            if paired.scale == self.scale:
                return []
            problem = Wording(
                "measure '{measure}' uses a different scale in steps[{index}]; "
                "paired check-ins must use the same scale",
                measure=self.measure,
                index=earlier,
            )
            return [(("scale",), problem)]
        return []


class CheckinHandler(BaseStepHandler[CheckinStep]):
    """One answer (or pass) per member; the runner moves on when everyone present has one."""

    def accept(
        self, ctx: StepContext[CheckinStep], contribution_kind: str, payload: Mapping[str, Any]
    ) -> dict[str, Any]:
        """ "checkin" or "pass", stored with an empty payload: the value itself goes to the private
        `checkins` table, never into a contribution. Raises InvalidInput for any other
        contribution kind."""
        if contribution_kind not in ("checkin", "pass"):
            raise InvalidInput(N_("Answer this check-in with its buttons, or press Pass."))
        return {}


def _checkin_from_form(answers: Mapping[str, str]) -> dict[str, Any]:
    return {"question": answers.get("question", ""), "scale": answers.get("scale") or "0-10"}


FORM = StepForm(
    N_("A private mood check-in"),
    (
        TITLE,
        FieldSpec("question", N_("The question"), placeholder=N_("How are you arriving today?")),
        FieldSpec(
            "scale",
            N_("Scale: 0-10, 1-5 or sam"),
            default="0-10",
            placeholder=N_("0-10, 1-5 or sam"),
        ),
        TIME_LIMIT,
    ),
    _checkin_from_form,
)


KIND = StepKind(
    handler=CheckinHandler,
    order=2,
    form=FORM,
    private_counts=True,
    icon="🌡",
    summary_counts={
        "checkin": SummaryCount(
            "{count} check-in", "{count} check-ins", N_("check-ins from fewer than {k} people")
        ),
        "pass": PASSES,
    },
)

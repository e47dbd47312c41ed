"""The `reflect` step: an open question answered in a few words, optionally anonymously."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, model_validator

from bot.core.activity_fields import StepBase, Visibility
from bot.core.errors import InvalidInput
from bot.core.field_texts import Text
from bot.core.format_base import format_error
from bot.core.step_forms import TIME_LIMIT, TITLE, FieldSpec, StepForm, copied
from bot.core.steps.base import REFLECTIONS, BaseStepHandler, StepContext, StepKind
from bot.core.text import clean_member_text
from bot.i18n import N_


class ReflectStep(StepBase):
    """An open question answered in writing."""

    type: Literal["reflect"]
    question: Text
    anonymous: bool = False
    max_chars: int = Field(default=500, ge=10, le=2000)
    visibility_default: Visibility = "private"
    review: Literal["facilitator"] | None = None
    """facilitator: shared answers are held until the facilitator has read them privately
    (without names), may hold one back, and releases the rest; None: shown when the step ends."""

    @model_validator(mode="after")
    def _review_is_released_by_hand(self) -> ReflectStep:
        if self.review == "facilitator" and self.advance == "auto":
            raise format_error(
                "review",
                "review: facilitator needs advance: facilitator; the facilitator releases the "
                "answers before moving on, so the step can't end on its own",
            )
        return self


DEFAULT_MAX_CHARS = 500


class ReflectHandler(BaseStepHandler):
    kind = "reflect"

    def accept(
        self, ctx: StepContext, contribution_kind: str, payload: Mapping[str, Any]
    ) -> dict[str, Any]:
        """A "reflection": its text cleaned and cut to the step's `max_chars`, and whether it is
        shared. Raises InvalidInput for any other contribution kind or an empty text."""
        if contribution_kind != "reflection":
            raise InvalidInput(N_("Answer this step with the Reflect button."))
        limit = int(getattr(ctx.step, "max_chars", None) or DEFAULT_MAX_CHARS)
        text = clean_member_text(str(payload.get("text", "")), limit)
        if not text:
            raise InvalidInput(
                N_("Your reflection was empty. Write a few words, or simply skip this step.")
            )
        shared = bool(payload.get("shared", False))
        return {"text": text, "shared": shared}


FORM = StepForm(
    N_("An open question, answered in a few words"),
    (TITLE, FieldSpec("question", N_("The question"), "paragraph", max_length=500), TIME_LIMIT),
    copied("question"),
)


REFLECT_COUNTS = {
    "reflection": REFLECTIONS,
}
"""How the session summary counts what members do at a reflect step (`StepKind.summary_counts`)."""

KIND = StepKind(
    model=ReflectStep,
    handler=ReflectHandler,
    order=5,
    form=FORM,
    icon="💭",
    summary_counts=REFLECT_COUNTS,
)

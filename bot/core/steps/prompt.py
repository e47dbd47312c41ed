"""The `prompt` step: something to read or discuss; it has no answers of its own."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import Field

from bot.core.activity_fields import StepBase
from bot.core.errors import InvalidInput
from bot.core.field_texts import LongText
from bot.core.step_forms import TIME_LIMIT, TITLE, FieldSpec, StepForm, copied
from bot.core.steps.base import BaseStepHandler, StepContext, StepKind
from bot.i18n import N_
from bot.records.sessions import ContributionRecord


class PromptStep(StepBase):
    """A message for the group to read or discuss."""

    type: Literal["prompt"]
    text: LongText
    """What is shown to the group."""
    discussion_minutes: int | None = Field(default=None, ge=1, le=120)
    """Suggested minutes of open discussion after reading."""

    def _ends_by_itself(self) -> bool:
        return False


class PromptHandler(BaseStepHandler[PromptStep]):
    def accept(
        self, ctx: StepContext[PromptStep], contribution_kind: str, payload: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Always refuses: a prompt is read and talked about, nothing is sent. Raises InvalidInput."""
        raise InvalidInput(
            N_("This step is for reading and talking together; there's nothing to send.")
        )

    def is_complete(
        self, ctx: StepContext[PromptStep], contributions: Sequence[ContributionRecord]
    ) -> bool:
        """Never: a prompt moves on when the facilitator presses Next or its time is up."""
        return False


FORM = StepForm(
    N_("Something to read or discuss"),
    (TITLE, FieldSpec("text", N_("What everyone reads"), "paragraph", max_length=2000), TIME_LIMIT),
    copied("text"),
)


KIND = StepKind(handler=PromptHandler, order=1, form=FORM, answered=False, icon="💬")

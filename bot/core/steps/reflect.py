"""The `reflect` step: an open question answered in a few words, optionally anonymously."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, model_validator

from bot.core.activity_fields import StepBase, Visibility
from bot.core.errors import InvalidInput
from bot.core.field_texts import Text
from bot.core.format_base import format_error
from bot.core.step_forms import TIME_LIMIT, TITLE, FieldSpec, StepForm, copied
from bot.core.step_state import as_members
from bot.core.steps.base import REFLECTIONS, BaseStepHandler, StepContext, StepKind
from bot.core.text import clean_member_text
from bot.i18n import N_

DEFAULT_MAX_CHARS = 500
"""The longest reflection, in characters, unless the step says `max_chars`."""


class ReflectStep(StepBase):
    """An open question answered in writing."""

    type: Literal["reflect"]
    question: Text
    anonymous: bool = False
    max_chars: int = Field(default=DEFAULT_MAX_CHARS, ge=10, le=2000)
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


REVIEW_STATE = "review"
"""Step-state key of the facilitator's review (`review: facilitator`, bot/core/reflect_review.py)."""


@dataclass(frozen=True, slots=True)
class ReflectState:
    """A reflect step's own keys in its run's step state: the facilitator's review, kept under
    `REVIEW_STATE` as ``{"held": [contribution ids], "released": bool, "posts": [message
    ids]}`` (nothing held, not released and no posts before a review starts)."""

    held: tuple[int, ...] = ()
    """The shared answers held back (contribution ids), in the order they were."""
    released: bool = False
    posts: tuple[int, ...] | None = None
    """The channel messages the release posted (Discord message ids); None before it."""

    @classmethod
    def read(cls, state: Mapping[str, Any]) -> ReflectState:
        """The review in a step state (a state without one: nothing held, not released)."""
        found = state.get(REVIEW_STATE)
        if not isinstance(found, Mapping):
            return cls()
        posts = found.get("posts")
        return cls(
            held=as_members(found.get("held")),
            released=bool(found.get("released")),
            posts=as_members(posts) if isinstance(posts, list) else None,
        )

    def stored(self) -> dict[str, dict[str, Any]]:
        """The step-state keys that keep this review (for `StepState.with_values`)."""
        review: dict[str, Any] = {"held": list(self.held), "released": self.released}
        if self.posts is not None:
            review["posts"] = list(self.posts)
        return {REVIEW_STATE: review}


class ReflectHandler(BaseStepHandler[ReflectStep]):
    def accept(
        self, ctx: StepContext[ReflectStep], contribution_kind: str, payload: Mapping[str, Any]
    ) -> dict[str, Any]:
        """A "reflection": its text cleaned and cut to the step's `max_chars`, and whether it is
        shared. Raises InvalidInput for any other contribution kind or an empty text."""
        if contribution_kind != "reflection":
            raise InvalidInput(N_("Answer this step with the Reflect button."))
        text = clean_member_text(str(payload.get("text", "")), ctx.step.max_chars)
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


KIND = StepKind(
    handler=ReflectHandler,
    order=5,
    form=FORM,
    icon="💭",
    summary_counts={"reflection": REFLECTIONS},
    state=ReflectState,
)

"""The `reflect` step: an open question answered in a few words, optionally anonymously."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field

from bot.core.activity_fields import StepBase, Text, Visibility
from bot.core.errors import InvalidInput
from bot.core.steps.base import BaseStepHandler, StepContext, StepKind
from bot.core.text import clean_member_text


class ReflectStep(StepBase):
    """An open question answered in writing."""

    type: Literal["reflect"]
    question: Text
    anonymous: bool = False
    max_chars: int = Field(default=500, ge=10, le=2000)
    visibility_default: Visibility = "private"


DEFAULT_MAX_CHARS = 500


class ReflectHandler(BaseStepHandler):
    kind = "reflect"

    def accept(self, ctx: StepContext, kind: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        if kind != "reflection":
            raise InvalidInput("Answer this step with the Reflect button.")
        limit = int(getattr(ctx.step, "max_chars", None) or DEFAULT_MAX_CHARS)
        text = clean_member_text(str(payload.get("text", "")), limit)
        if not text:
            raise InvalidInput(
                "Your reflection was empty. Write a few words, or simply skip this step."
            )
        shared = bool(payload.get("shared", False))
        return {"text": text, "shared": shared}


KIND = StepKind(model=ReflectStep, handler=ReflectHandler, order=5)

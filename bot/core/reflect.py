"""The `reflect` step: an open question answered in a few words, optionally anonymously."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.errors import InvalidInput
from bot.core.steps import BaseStepHandler, StepContext
from bot.core.text import clean_member_text

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

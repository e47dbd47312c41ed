"""The `prompt` step: something to read or discuss; it has no answers of its own."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.core.errors import InvalidInput
from bot.core.steps import BaseStepHandler, StepContext
from bot.store.records import ContributionRecord


class PromptHandler(BaseStepHandler):
    kind = "prompt"

    def accept(self, ctx: StepContext, kind: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        raise InvalidInput(
            "This step is for reading and talking together; there's nothing to send."
        )

    def is_complete(self, ctx: StepContext, contributions: Sequence[ContributionRecord]) -> bool:
        return False

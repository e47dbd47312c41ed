"""`hum` declared with the prompt's handler, a handler of `PromptStep`: mypy refuses the
declaration (the ignore below is needed, so it does) and the registry refuses the kind."""

from __future__ import annotations

from typing import Literal

from bot.core.activity_fields import StepBase
from bot.core.steps.base import StepKind
from bot.core.steps.prompt import PromptHandler


class HumStep(StepBase):
    """Everyone hums one note."""

    type: Literal["hum"]


KIND = StepKind(model=HumStep, handler=PromptHandler)  # type: ignore[arg-type]

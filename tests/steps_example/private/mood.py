"""A kind about how people are, `mood` (one click: how's your weather inside?), registered by
the board's tests: it declares its counts private, so the public board shows no exact count of
answers below K_MIN. Only its core side: the board reads the registry, not the presenter."""

from __future__ import annotations

from typing import Literal

from bot.core.activity_fields import StepBase
from bot.core.steps.base import BaseStepHandler, StepKind


class MoodStep(StepBase):
    """Everyone presses the weather that matches their mood."""

    type: Literal["mood"]


class MoodHandler(BaseStepHandler):
    kind = "mood"


KIND = StepKind(model=MoodStep, handler=MoodHandler, private_counts=True)

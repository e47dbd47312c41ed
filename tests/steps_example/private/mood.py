"""A kind about how people are, `mood` (one click: how's your weather inside?), registered by
the board's tests: it declares its counts private, so the public board shows no exact count of
answers below K_MIN. It also has its own icon in /activity info and its own words in the session
summary (tests/ui/test_activities.py, tests/ui/test_sessions.py). Only its core side: the board,
the list of steps and the summary read the registry, not the presenter."""

from __future__ import annotations

from typing import Literal

from bot.core.activity_fields import StepBase
from bot.core.steps.base import BaseStepHandler, StepKind, SummaryCount
from bot.i18n import N_


class MoodStep(StepBase):
    """Everyone presses the weather that matches their mood."""

    type: Literal["mood"]


class MoodHandler(BaseStepHandler[MoodStep]):
    """One answer each; the defaults."""


KIND = StepKind(
    handler=MoodHandler,
    private_counts=True,
    icon="🌦",
    summary_counts={
        "mood": SummaryCount(
            "{count} mood shared",
            "{count} moods shared",
            N_("moods shared by fewer than {k} people"),
        )
    },
)

"""`clap`: its passes are "skips" in the session summary, where every shipped kind that offers a
pass says "passes" (`bot.core.steps.base.PASSES`): the registry refuses the second wording."""

from __future__ import annotations

from typing import Literal

from bot.core.activity_fields import StepBase
from bot.core.steps.base import BaseStepHandler, StepKind, SummaryCount
from bot.i18n import N_


class ClapStep(StepBase):
    """Everyone claps a rhythm, or passes."""

    type: Literal["clap"]


class ClapHandler(BaseStepHandler[ClapStep]):
    """One clap (or pass) each; the defaults."""


KIND = StepKind(
    handler=ClapHandler,
    summary_counts={
        "pass": SummaryCount("{count} skip", "{count} skips", N_("skips by fewer than {k} people"))
    },
)

"""The `pause` step: a quiet, timed pause; nothing is sent, and whoever leads may end it early."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from bot.core.activity_fields import StepBase, TimeLimit
from bot.core.errors import InvalidInput, NotFacilitator
from bot.core.field_texts import Text
from bot.core.steps.base import BaseStepHandler, Press, Pressed, StepContext, StepKind
from bot.i18n import N_
from bot.records.sessions import ContributionRecord

SKIP = "skip"
"""The action of the pause's Skip button (bot/ui/steps/pause.py)."""


class PauseStep(StepBase):
    """A quiet pause of `time_limit` seconds; it moves on by itself when time is up."""

    type: Literal["pause"]
    time_limit: TimeLimit
    """How long the pause lasts: seconds, or e.g. "90s", "2m"."""
    advance: Literal["facilitator", "auto"] = "auto"
    """auto (a pause's default): move on when time is up; facilitator: wait for Next."""
    note: Text | None = None
    """A line shown on the card, e.g. "Stretch, get some water"."""


class PauseHandler(BaseStepHandler[PauseStep]):
    """Nothing to answer; the pause ends by its deadline, the board's Next, or Skip."""

    def accept(
        self, ctx: StepContext[PauseStep], contribution_kind: str, payload: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Always refuses: a pause has no answers. Raises InvalidInput."""
        raise InvalidInput(N_("This is a quiet pause; there's nothing to send."))

    def is_complete(
        self, ctx: StepContext[PauseStep], contributions: Sequence[ContributionRecord]
    ) -> bool:
        """Never: the pause ends when its time is up or someone who leads ends it."""
        return False

    def pressed(self, step: PauseStep, press: Press) -> Pressed:
        """Skip ends the pause, for whoever leads the session. Raises NotFacilitator for anyone
        else and InvalidInput for another action."""
        if press.action != SKIP:
            raise InvalidInput(N_("This is a quiet pause; there's nothing to send."))
        if not press.leads:
            raise NotFacilitator(N_("Only the facilitator can end the pause early."))
        return Pressed(contribute=False, move_on=True, reply=N_("⏭ You ended the pause."))


KIND = StepKind(handler=PauseHandler, order=95, answered=False)

"""The `goal` step: each member privately rates their own goals (1-5), sets one, or passes (the
goal rules and service are in `bot/core/goals.py`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from bot.core.activity_fields import StepBase
from bot.core.errors import InvalidInput
from bot.core.field_texts import Text
from bot.core.step_forms import TIME_LIMIT, TITLE, StepForm
from bot.core.steps.base import BaseStepHandler, StepContext, StepKind, SummaryCount
from bot.i18n import N_
from bot.records.sessions import ContributionRecord


class GoalStep(StepBase):
    """Each member privately rates how today went for their own goals (1-5), or sets a goal."""

    type: Literal["goal"]
    prompt: Text | None = None
    """Said before rating, e.g. "Think back over today's session." Goals themselves stay private."""
    offer_set: bool = True
    """true: members without goals are offered a one-click "Set a goal" form."""


CONTRIBUTION_KIND = "goal"
"""The contribution kind of every answer to a goal step."""
ANSWERS = ("rated", "set", "pass")
"""What an answer says: the member rated their goals, set one, or passed."""


def step_done(contribution: ContributionRecord) -> bool:
    """This member is finished with the step: passed, set a goal, or rated every goal."""
    return bool(contribution.payload.get("done"))


def answer_payload(answer: str, done: bool = True) -> dict[str, Any]:
    """A goal step's contribution payload: `answer` ("rated", "set" or "pass") and `done` (every
    goal of the member has an answer at this step)."""
    return {"answer": answer, "done": done}


class GoalHandler(BaseStepHandler[GoalStep]):
    """One answer per member; complete when everyone present has rated all, set one, or passed."""

    def accept(
        self, ctx: StepContext[GoalStep], contribution_kind: str, payload: Mapping[str, Any]
    ) -> dict[str, Any]:
        """A goal contribution with one of ANSWERS, normalised by `answer_payload`. Raises
        InvalidInput for any other contribution kind or answer."""
        answer = payload.get("answer")
        if contribution_kind != CONTRIBUTION_KIND or answer not in ANSWERS:
            raise InvalidInput(N_("Answer this step with its buttons: Rate my goals, or Pass."))
        done = bool(payload.get("done", True))
        return answer_payload(str(answer), done)

    def is_complete(
        self, ctx: StepContext[GoalStep], contributions: Sequence[ContributionRecord]
    ) -> bool:
        """Every expected member present is done (rated all their goals, set one, or passed)."""
        if not ctx.present:
            return False
        finished = {c.author_id for c in contributions if step_done(c)}
        return bool(ctx.expected) and all(uid in finished for uid in ctx.expected)


FORM = StepForm(N_("Rating personal goals"), (TITLE, TIME_LIMIT))


KIND = StepKind(
    handler=GoalHandler,
    order=8,
    form=FORM,
    private_counts=True,
    icon="🎯",
    summary_counts={
        "goal": SummaryCount(
            "{count} goal-step answer",
            "{count} goal-step answers",
            N_("goal-step answers from fewer than {k} people"),
        ),
    },
)

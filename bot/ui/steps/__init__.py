"""Step presenters by kind."""

from __future__ import annotations

from bot.ui.steps.base import StepPresenter
from bot.ui.steps.breathe import BreathePresenter
from bot.ui.steps.checkin import CheckinPresenter
from bot.ui.steps.goal import GoalPresenter
from bot.ui.steps.listen import ListenPresenter
from bot.ui.steps.prompt import PromptPresenter
from bot.ui.steps.reflect import ReflectPresenter
from bot.ui.steps.vote import VotePresenter
from bot.ui.steps.write import WritePresenter


def default_presenters() -> dict[str, StepPresenter]:
    presenters: list[StepPresenter] = [PromptPresenter(), BreathePresenter(), ReflectPresenter()]
    presenters += [ListenPresenter(), VotePresenter()]
    presenters += [CheckinPresenter()]
    presenters += [GoalPresenter()]
    presenters += [WritePresenter()]
    return {p.kind: p for p in presenters}

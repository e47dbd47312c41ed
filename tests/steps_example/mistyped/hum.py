"""A `hum` presenter typed by another kind's model: `bot.ui.steps.presenters` refuses it."""

from __future__ import annotations

from bot.core.steps.prompt import PromptStep
from bot.ui.steps.base import SimplePresenter


class HumPresenter(SimplePresenter[PromptStep]):
    kind = "hum"


PRESENTER = HumPresenter

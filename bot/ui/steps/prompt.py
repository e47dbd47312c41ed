"""A prompt step: the text to read or discuss, and how long there is for it."""

from __future__ import annotations

from bot.core.steps.prompt import PromptStep
from bot.i18n import ngettext
from bot.ui.steps.base import SimplePresenter, StepScene


class PromptPresenter(SimplePresenter[PromptStep]):
    kind = "prompt"

    def body(self, scene: StepScene[PromptStep]) -> str:
        """The prompt's text and, with `discussion_minutes`, how long to talk it through."""
        text = scene.text(scene.step.text)
        minutes = scene.step.discussion_minutes
        if minutes:
            talk = ngettext(
                "*Take about {count} minute to talk this through together.*",
                "*Take about {count} minutes to talk this through together.*",
                minutes,
                scene.locale,
            )
            text += f"\n\n{talk}"
        return text


PRESENTER = PromptPresenter
"""Registers the presenter of the `prompt` kind (found by `bot.ui.steps.presenters`)."""

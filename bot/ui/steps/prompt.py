"""A prompt step: the text to read or discuss, and how long there is for it."""

from __future__ import annotations

from bot.i18n import ngettext
from bot.ui.steps.base import SimplePresenter, StepScene


class PromptPresenter(SimplePresenter):
    kind = "prompt"

    def body(self, scene: StepScene) -> str:
        """The prompt's text and, with `discussion_minutes`, how long to talk it through."""
        text = scene.text(getattr(scene.step, "text", None))
        minutes = getattr(scene.step, "discussion_minutes", None)
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

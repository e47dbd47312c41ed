"""A prompt step: the text to read or discuss, and how long there is for it."""

from __future__ import annotations

from bot.ui.steps.base import SimplePresenter, StepScene


class PromptPresenter(SimplePresenter):
    kind = "prompt"

    def body(self, scene: StepScene) -> str:
        text = scene.text(getattr(scene.step, "text", None))
        minutes = getattr(scene.step, "discussion_minutes", None)
        if minutes:
            text += f"\n\n*Take about {minutes} minutes to talk this through together.*"
        return text


PRESENTER = PromptPresenter
"""Registers the presenter of the `prompt` kind (found by `bot.ui.steps.presenters`)."""

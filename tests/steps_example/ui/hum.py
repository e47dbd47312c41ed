"""The presenter of the example `hum` kind (`tests/steps_example/core/hum.py`): its card, its
buttons and the form one of them opens (`answer_form`)."""

from __future__ import annotations

import discord

from bot.i18n import N_, _
from bot.ui.components import persistent_view
from bot.ui.steps.base import AnswerField, AnswerForm, SimplePresenter, StepButton, StepScene
from tests.steps_example.core.hum import HumStep


class HumPresenter(SimplePresenter[HumStep]):
    kind = "hum"

    def body(self, scene: StepScene[HumStep]) -> str:
        return _(
            "🎵 Hum along: {tune}\n\nPress **Hum** when you have.",
            scene.locale,
            tune=scene.text(scene.step.tune),
        )

    def closed_body(self, scene: StepScene[HumStep]) -> str:
        hummed = len({c.author_id for c in scene.contributions})
        said = [
            f"{scene.name(c.author_id)}: {c.payload['note']}"
            for c in scene.contributions
            if c.kind == "note"
        ]
        together = _("🎵 We hummed together ({count} of us).", scene.locale, count=hummed)
        return "\n".join([together, *said])

    def view(self, scene: StepScene[HumStep]) -> discord.ui.View | None:
        return persistent_view(
            _button(scene, _("Hum", scene.locale), "hum", discord.ButtonStyle.success),
            # Opens the form `answer_form` declares for its action (bot/cogs/steps.py).
            _button(scene, _("Say what you hummed", scene.locale), "note"),
        )

    def answer_form(self, step: HumStep, action: str) -> AnswerForm | None:
        if action != "note":
            return None
        return AnswerForm(
            N_("What you hummed"), (AnswerField("note", N_("What did you hum?"), 200),)
        )


def _button(
    scene: StepScene[HumStep],
    label: str,
    action: str,
    style: discord.ButtonStyle = discord.ButtonStyle.secondary,
) -> StepButton:
    return StepButton.button(
        label,
        session_id=scene.session.id,
        run_id=scene.run.id,
        step_index=scene.step_index,
        action=action,
        style=style,
    )


PRESENTER = HumPresenter

"""A check-in step: the question with its scale as buttons, a Pass button, and a count, never values."""

from __future__ import annotations

import discord

from bot.core.checkins import K_MIN
from bot.core.steps.checkin import CheckinStep
from bot.i18n import _, ngettext
from bot.ui.checkins import scale_buttons, scale_hint
from bot.ui.components import TypedButton, persistent_view
from bot.ui.steps.base import MessagePayload, SimplePresenter, StepScene, step_embed


class StepAnswer(TypedButton):
    """An answer to check-in step `step_index` of run `run_id`: `value` (None for Pass), and
    `value2` for the second half of a two-part (sam) scale. One family per id format."""

    run_id: int
    step_index: int
    value: int | None = None
    value2: int | None = None


class AnswerButton(StepAnswer, spec="chorus:checkin:{run_id:int}:{step_index:int}:{value:int}"):
    """One value of the scale (the first half of a two-part one)."""


class AnswerPairButton(
    StepAnswer, spec="chorus:checkin:{run_id:int}:{step_index:int}:{value:int}:{value2:int}"
):
    """The second half of a two-part answer, `value` being the first."""


class PassButton(StepAnswer, spec="chorus:checkin:{run_id:int}:{step_index:int}:pass"):
    """Pass: counted as taking part, nothing about mood stored."""


class CheckinPresenter(SimplePresenter[CheckinStep]):
    kind = "checkin"

    def body(self, scene: StepScene[CheckinStep]) -> str:
        """The question, the scale's hint and anchors, how the answer is kept (anonymous, or private
        unless shared) and that passing is fine."""
        step = scene.step
        assert isinstance(step, CheckinStep)
        lines = [
            f"**{scene.text(step.question)}**",
            "",
            scale_hint(step.scale, step.anchors, locale=scene.locale),
        ]
        locale = scene.locale
        if step.anonymous:
            lines.append(
                _(
                    "🔒 This check-in is **anonymous**: Chorus stores the answer without who "
                    "gave it.",
                    locale,
                )
            )
        else:
            lines.append(
                _(
                    "🔒 Your answer is **private**: only you see it, unless you choose to share it.",
                    locale,
                )
            )
        lines.append(_("Passing is always fine. Press **Pass** and nothing else is asked.", locale))
        return "\n".join(lines)

    def view(self, scene: StepScene[CheckinStep]) -> discord.ui.View | None:
        """One button per scale value (`AnswerButton`) and Pass."""
        step = scene.step
        assert isinstance(step, CheckinStep)
        at = {"run_id": scene.run.id, "step_index": scene.step_index}
        items = scale_buttons(step.scale, AnswerButton, at, locale=scene.locale)
        items.append(
            PassButton.button(
                _("Pass", scene.locale), row=2, run_id=scene.run.id, step_index=scene.step_index
            )
        )
        return persistent_view(*items)

    def render_closed(self, scene: StepScene[CheckinStep]) -> MessagePayload:
        """The question and how many answered: no scale hint, no buttons, nothing to press."""
        step = scene.step
        assert isinstance(step, CheckinStep)
        answered = len(scene.contributions)
        locale = scene.locale
        if answered < K_MIN:
            count = _("Fewer than {k} responses", locale, k=K_MIN)
        else:
            count = ngettext("{count} response", "{count} responses", answered, locale)
        privacy = (
            _("answers were anonymous", locale)
            if step.anonymous
            else _("answers stay private", locale)
        )
        body = _(
            "**{question}**\n\n{count} ({privacy}).",
            locale,
            question=scene.text(step.question),
            count=count,
            privacy=privacy,
        )
        return MessagePayload(embed=step_embed(scene, body, closed=True), view=None)


PRESENTER = CheckinPresenter
"""Registers the presenter of the `checkin` kind (found by `bot.ui.steps.presenters`)."""

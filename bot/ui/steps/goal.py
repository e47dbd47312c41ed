"""A goal step: one channel message with Rate my goals, Set a goal and Pass; never a goal's text.

Each member's goals and 1-5 buttons are sent to them privately (ephemeral) when they press
Rate my goals. When the step ends, its message shows only how many rated, under the k >= 3 rule.
"""

from __future__ import annotations

import discord

from bot.core.checkins import K_MIN
from bot.core.steps.goal import GoalStep
from bot.i18n import _, ngettext
from bot.ui.components import TypedButton, persistent_view
from bot.ui.steps.base import MessagePayload, SimplePresenter, StepScene, step_embed


class GoalStepButton(TypedButton, spec="chorus:goal:{run_id:int}:{step_index:int}:{action:word}"):
    """The goal step's buttons: `action` is rate (Rate my goals), set (Set a goal) or pass."""

    run_id: int
    step_index: int
    action: str


class GoalPresenter(SimplePresenter[GoalStep]):
    kind = "goal"

    def _intro(self, scene: StepScene[GoalStep]) -> str:
        step = scene.step
        assert isinstance(step, GoalStep)
        prompt = scene.text(step.prompt)
        return f"**{prompt}**\n\n" if prompt else ""

    def body(self, scene: StepScene[GoalStep]) -> str:
        """The goal step's prompt: rate each personal goal privately from 1 (hard) to 5 (very
        good)."""
        step = scene.step
        assert isinstance(step, GoalStep)
        locale = scene.locale
        lines = [
            self._intro(scene)
            + _(
                "🎯 Time to look at your personal goals. Press **Rate my goals**: I'll ask you "
                "privately how today went for each one, from 1 (hard) to 5 (very good).",
                locale,
            ),
        ]
        if step.offer_set:
            lines.append(
                _(
                    "No goal yet? Press **Set a goal** and write one in a few words, e.g. "
                    "*feel less anxious* or *share more with others*.",
                    locale,
                )
            )
        lines.append(
            _(
                "🔒 Your goals and answers are **private**: only you see them. The facilitator "
                "only sees how many took part, and only when at least {k} did.",
                locale,
                k=K_MIN,
            )
        )
        lines.append(_("Passing is always fine. Press **Pass** and nothing else is asked.", locale))
        return "\n\n".join(lines)

    def view(self, scene: StepScene[GoalStep]) -> discord.ui.View | None:
        """The step's buttons (`GoalStepButton`s: rate my goals, and the others the step offers)."""
        step = scene.step
        assert isinstance(step, GoalStep)
        run_id, index = scene.run.id, scene.step_index
        locale = scene.locale
        items = [
            GoalStepButton.button(
                _("Rate my goals", locale),
                run_id=run_id,
                step_index=index,
                action="rate",
                style=discord.ButtonStyle.primary,
                emoji="🎯",
            )
        ]
        if step.offer_set:
            items.append(
                GoalStepButton.button(
                    _("Set a goal", locale),
                    run_id=run_id,
                    step_index=index,
                    action="set",
                    emoji="✏️",
                )
            )
        items.append(
            GoalStepButton.button(_("Pass", locale), run_id=run_id, step_index=index, action="pass")
        )
        return persistent_view(*items)

    def render_closed(self, scene: StepScene[GoalStep]) -> MessagePayload:
        """The closed card with how many members rated their goals (a count only at K_MIN or more,
        else 'fewer than K_MIN')."""
        rated = sum(
            1
            for c in scene.contributions
            if c.author_id is not None and c.payload.get("answer") == "rated"
        )
        locale = scene.locale
        if rated < K_MIN:
            figure = _(
                "🎯 Fewer than {k} members rated their personal goals today.", locale, k=K_MIN
            )
        else:
            figure = ngettext(
                "🎯 {count} member rated their personal goals today.",
                "🎯 {count} members rated their personal goals today.",
                rated,
                locale,
            )
        body = (
            self._intro(scene)
            + figure
            + " "
            + _(
                "Goals and answers stay private to each member. See your own with /goal progress.",
                locale,
            )
        )
        return MessagePayload(embed=step_embed(scene, body, closed=True), view=None)


PRESENTER = GoalPresenter
"""Registers the presenter of the `goal` kind (found by `bot.ui.steps.presenters`)."""

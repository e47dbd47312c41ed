"""A goal step: one channel message with Rate my goals, Set a goal and Pass; never a goal's text.

Each member's goals and 1-5 buttons are sent to them privately (ephemeral) when they press
Rate my goals. When the step ends, its message shows only how many rated, under the k >= 3 rule.
"""

from __future__ import annotations

import discord

from bot.core.checkins import K_MIN, k_figure
from bot.core.steps.goal import GoalStep
from bot.ui.components import TypedButton, persistent_view
from bot.ui.steps.base import MessagePayload, SimplePresenter, StepScene, step_embed


class GoalStepButton(TypedButton, spec="chorus:goal:{run_id:int}:{step_index:int}:{action:word}"):
    """The goal step's buttons: `action` is rate (Rate my goals), set (Set a goal) or pass."""

    run_id: int
    step_index: int
    action: str


class GoalPresenter(SimplePresenter):
    kind = "goal"

    def _intro(self, scene: StepScene) -> str:
        step = scene.step
        assert isinstance(step, GoalStep)
        prompt = scene.text(step.prompt)
        return f"**{prompt}**\n\n" if prompt else ""

    def body(self, scene: StepScene) -> str:
        step = scene.step
        assert isinstance(step, GoalStep)
        lines = [
            self._intro(scene) + "🎯 Time to look at your personal goals. Press **Rate my goals**: "
            "I'll ask you privately how today went for each one, from 1 (hard) to 5 (very good).",
        ]
        if step.offer_set:
            lines.append(
                "No goal yet? Press **Set a goal** and write one in a few words, e.g. "
                "*feel less anxious* or *share more with others*."
            )
        lines.append(
            "🔒 Your goals and answers are **private**: only you see them. The facilitator only "
            f"sees how many took part, and only when at least {K_MIN} did."
        )
        lines.append("Passing is always fine. Press **Pass** and nothing else is asked.")
        return "\n\n".join(lines)

    def view(self, scene: StepScene) -> discord.ui.View | None:
        step = scene.step
        assert isinstance(step, GoalStep)
        run_id, index = scene.run.id, scene.index
        items = [
            GoalStepButton.button(
                "Rate my goals",
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
                    "Set a goal", run_id=run_id, step_index=index, action="set", emoji="✏️"
                )
            )
        items.append(GoalStepButton.button("Pass", run_id=run_id, step_index=index, action="pass"))
        return persistent_view(*items)

    def render_closed(self, scene: StepScene) -> MessagePayload:
        rated = sum(
            1
            for c in scene.contributions
            if c.author_id is not None and c.payload.get("answer") == "rated"
        )
        figure = k_figure(rated)
        body = (
            self._intro(scene)
            + f"🎯 {figure[0].upper() + figure[1:]} members rated their personal goals today. "
            "Goals and answers stay private to each member. See your own with /goal progress."
        )
        return MessagePayload(embed=step_embed(scene, body, closed=True), view=None)


PRESENTER = GoalPresenter
"""Registers the presenter of the `goal` kind (found by `bot.ui.steps.presenters`)."""

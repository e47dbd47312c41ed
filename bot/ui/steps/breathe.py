"""A breathe step: the pattern in words and one live countdown, never a message per breath."""

from __future__ import annotations

import discord

from bot.core.breathe import pattern_of
from bot.ui.components import TypedButton, persistent_view
from bot.ui.format import duration, relative
from bot.ui.steps.base import SimplePresenter, StepScene


def _seconds(value: float) -> str:
    return f"{value:g} s"


class BreatheButton(TypedButton, spec="chorus:breathe:{run_id:int}:{step_index:int}"):
    """Done: the member finished the breathing pattern of this step."""

    run_id: int
    step_index: int


class BreathePresenter(SimplePresenter):
    kind = "breathe"

    def body(self, scene: StepScene) -> str:
        step = scene.step
        pattern = pattern_of(step)
        lines = []
        if step.guidance:
            lines.append(scene.text(step.guidance))
        if step.bpm:
            lines.append(
                f"🥁 Keep a steady pulse at **{step.bpm} beats per minute**, "
                f"{step.beats_per_cycle} beats to a breath: tap, clap or sway."
            )
        phases = [f"🌬 Breathe in for **{_seconds(pattern.inhale)}**"]
        if pattern.hold:
            phases.append(f"🤲 hold for **{_seconds(pattern.hold)}**")
        phases.append(f"🍃 breathe out for **{_seconds(pattern.exhale)}**")
        if pattern.rest:
            phases.append(f"rest for **{_seconds(pattern.rest)}**")
        lines.append(", ".join(phases) + ".")
        lines.append(
            f"Repeat **{pattern.cycles} times** (about {duration(pattern.total_seconds)})."
        )
        ends = scene.run.step_started_at + pattern.total_seconds
        if scene.run.step_index == scene.index:
            lines.append(f"The pattern finishes {relative(ends)}. Go at your own pace.")
        lines.append("Press **Done** when you have finished, or simply rest.")
        return "\n\n".join(lines)

    def closed_body(self, scene: StepScene) -> str:
        pattern = pattern_of(scene.step)
        parts = [f"in {_seconds(pattern.inhale)}"]
        if pattern.hold:
            parts.append(f"hold {_seconds(pattern.hold)}")
        parts.append(f"out {_seconds(pattern.exhale)}")
        if pattern.rest:
            parts.append(f"rest {_seconds(pattern.rest)}")
        done = len({c.author_id for c in scene.contributions if c.kind == "done"})
        together = f" {done} of us finished the whole pattern." if done >= 3 else ""
        return f"🌿 We breathed together: {', '.join(parts)}, {pattern.cycles} times.{together}"

    def view(self, scene: StepScene) -> discord.ui.View | None:
        return persistent_view(
            BreatheButton.button(
                "Done",
                run_id=scene.run.id,
                step_index=scene.index,
                style=discord.ButtonStyle.success,
                emoji="✅",
            )
        )


PRESENTER = BreathePresenter
"""Registers the presenter of the `breathe` kind (found by `bot.ui.steps.presenters`)."""

"""A breathe step: the pattern in words and one live countdown, never a message per breath."""

from __future__ import annotations

import discord

from bot.core.breathe import pattern_of
from bot.ui.components import TypedButton, persistent_view
from bot.ui.format import clock_time, duration
from bot.ui.steps.base import SimplePresenter, StepScene


def _seconds(value: float) -> str:
    """`4 s`, `1.8 s`: a tenth of a second is as fine as anyone counts a breath."""
    return f"{round(value, 1):g} s"


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
        times = "once" if pattern.cycles == 1 else f"{pattern.cycles} times"
        lines.append(f"Repeat **{times}** (about {duration(pattern.total_seconds)}).")
        starts = scene.run.step_started_at
        if scene.run.step_index == scene.index:
            # Clock times, not "in 2 minutes": the card isn't edited while the step runs, and
            # a relative time would read "finishes 3 minutes ago" once the pattern is over.
            lines.append(
                f"Together, the pattern runs from {clock_time(starts)} to "
                f"{clock_time(starts + pattern.total_seconds)}. Go at your own pace."
            )
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
        # "Done" says someone stopped, not that they breathed the whole pattern.
        together = f" {done} of us pressed Done." if done >= 3 else ""
        times = "once" if pattern.cycles == 1 else f"{pattern.cycles} times"
        return f"🌿 We breathed together: {', '.join(parts)}, {times}.{together}"

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

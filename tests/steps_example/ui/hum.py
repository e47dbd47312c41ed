"""The presenter of the example `hum` kind (`tests/steps_example/core/hum.py`): its card and button."""

from __future__ import annotations

import discord

from bot.ui.components import persistent_view
from bot.ui.steps.base import SimplePresenter, StepButton, StepScene


class HumPresenter(SimplePresenter):
    kind = "hum"

    def body(self, scene: StepScene) -> str:
        return f"🎵 Hum along: {scene.text(scene.step.tune)}\n\nPress **Hum** when you have."

    def closed_body(self, scene: StepScene) -> str:
        hummed = len({c.author_id for c in scene.contributions})
        return f"🎵 We hummed together ({hummed} of us)."

    def view(self, scene: StepScene) -> discord.ui.View | None:
        return persistent_view(
            StepButton.button(
                "Hum",
                session_id=scene.session.id,
                run_id=scene.run.id,
                step_index=scene.index,
                action="hum",
                style=discord.ButtonStyle.success,
            )
        )


PRESENTER = HumPresenter

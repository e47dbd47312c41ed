"""The presenter of the `pause` step (bot/core/steps/pause.py): a quiet card and a Skip button."""

from __future__ import annotations

import discord

from bot.i18n import _
from bot.ui.components import persistent_view
from bot.ui.steps.base import SimplePresenter, StepButton, StepScene
from tests.steps_trial.core.pause import PauseStep

SKIP = "skip"
"""The Skip button's action, which the handler's `pressed` answers."""


class PausePresenter(SimplePresenter[PauseStep]):
    """A pause's card: the note, and Skip for whoever leads (the board shows the time left)."""

    kind = "pause"

    def body(self, scene: StepScene[PauseStep]) -> str:
        """The card while the pause runs: what it is, the note if any, and what Skip does."""
        lines = [_("🤫 A quiet pause.", scene.locale)]
        note = scene.text(getattr(scene.step, "note", None))
        if note:
            lines.append(note)
        lines.append(_("The facilitator can end it early with **Skip**.", scene.locale))
        return "\n\n".join(lines)

    def closed_body(self, scene: StepScene[PauseStep]) -> str:
        """The card once the pause is over."""
        return _("🤫 The pause is over.", scene.locale)

    def view(self, scene: StepScene[PauseStep]) -> discord.ui.View | None:
        """Skip, a `StepButton` whose press the pause's handler decides."""
        return persistent_view(
            StepButton.button(
                _("Skip", scene.locale),
                session_id=scene.session.id,
                run_id=scene.run.id,
                step_index=scene.step_index,
                action=SKIP,
                emoji="⏭",
            )
        )


PRESENTER = PausePresenter

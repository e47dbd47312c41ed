"""What the runner hands back: the change to one run, or a saved contribution with its change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.records.sessions import ContributionRecord, RunRecord


@dataclass(frozen=True, slots=True)
class RunUpdate:
    """What changed in one run, for the presenter to show."""

    run: RunRecord
    exited_step: int | None = None
    entered_step: int | None = None
    ended: str | None = None
    """"finished" or "stopped" when the run ended."""
    time_up: bool = False
    """The step's time limit passed on a step the facilitator moves on."""
    exited_message_id: int | None = None
    """The Discord message of the step left (to edit it to its closed form)."""

    @property
    def session_id(self) -> int:
        """The session of the run that moved."""
        return self.run.session_id


@dataclass(frozen=True, slots=True)
class ContributionOutcome:
    """One saved contribution: the record, whether it replaced an earlier answer, and the run's
    change when it completed the step."""

    record: ContributionRecord
    replaced: bool
    update: RunUpdate | None
    also: Any = None
    """What the caller's `also` store job returned (committed with the contribution)."""


def earliest(*values: float | None) -> float | None:
    """The earliest of the given UTC timestamps, None when none is given."""
    present = [v for v in values if v is not None]
    return min(present) if present else None

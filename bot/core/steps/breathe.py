"""The `breathe` step: a paced breathing or rhythm pattern, followed for a number of cycles (its
model, its pattern in seconds per phase, its handler)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, model_validator

from bot.core.activity_fields import StepBase
from bot.core.errors import InvalidInput
from bot.core.field_texts import Text
from bot.core.field_values import format_duration
from bot.core.format_base import format_error
from bot.core.step_forms import TIME_LIMIT, TITLE, FieldSpec, StepForm, form_number
from bot.core.steps.base import BaseStepHandler, StepContext, StepKind, SummaryCount
from bot.i18n import N_


class BreatheStep(StepBase):
    """Paced breathing, or a rhythm warm-up at a tempo."""

    type: Literal["breathe"]
    bpm: int | None = Field(default=None, ge=30, le=200)
    """Tempo of a pulse to breathe or tap along to."""
    beats_per_cycle: int = Field(default=4, ge=1, le=16)
    """With bpm: beats in one cycle (one breath, or one bar)."""
    inhale: float | None = Field(default=None, ge=1, le=15)
    """Seconds breathing in."""
    hold: float = Field(default=0, ge=0, le=15)
    """Seconds holding after breathing in."""
    exhale: float | None = Field(default=None, ge=1, le=20)
    """Seconds breathing out."""
    rest: float = Field(default=0, ge=0, le=15)
    """Seconds resting after breathing out (box breathing)."""
    cycles: int = Field(default=6, ge=1, le=60)
    guidance: Text | None = None
    """Said before starting: posture, 'breathe at your own pace if this does not suit you'."""

    @model_validator(mode="after")
    def _one_pace(self) -> BreatheStep:
        paced = self.inhale is not None or self.exhale is not None
        if self.bpm is None and not paced:
            raise format_error("breathe", "give either bpm, or inhale and exhale seconds")
        if self.bpm is not None and paced:
            raise format_error("breathe", "give either bpm or inhale/exhale seconds, not both")
        if paced and (self.inhale is None or self.exhale is None):
            raise format_error("breathe", "give both inhale and exhale seconds")
        if self.time_limit is not None and self.total_seconds > self.time_limit:
            raise format_error(
                "breathe",
                "{cycles} cycles take {needed} but time_limit is {limit}",
                cycles=self.cycles,
                needed=format_duration(round(self.total_seconds)),
                limit=format_duration(self.time_limit),
            )
        return self

    @property
    def cycle_seconds(self) -> float:
        """Length of one cycle in seconds."""
        if self.bpm is not None:
            return self.beats_per_cycle * 60 / self.bpm
        return (self.inhale or 0) + self.hold + (self.exhale or 0) + self.rest

    @property
    def total_seconds(self) -> float:
        """Length of the whole exercise."""
        return self.cycle_seconds * self.cycles


@dataclass(frozen=True, slots=True)
class BreathPattern:
    """Seconds per phase; a bpm pattern is a steady pulse, half the beats in and half out."""

    inhale: float
    hold: float
    exhale: float
    rest: float
    cycles: int

    @property
    def cycle_seconds(self) -> float:
        """One breath in seconds: in, hold, out and rest."""
        return self.inhale + self.hold + self.exhale + self.rest

    @property
    def total_seconds(self) -> float:
        """The whole exercise in seconds: one breath times the number of cycles."""
        return self.cycle_seconds * self.cycles


def pattern_of(step: BreatheStep) -> BreathPattern:
    """Read the pattern from a breathe step (bpm, or inhale/hold/exhale/rest seconds)."""
    if step.bpm is not None:
        half = step.cycle_seconds / 2
        return BreathPattern(inhale=half, hold=0.0, exhale=half, rest=0.0, cycles=step.cycles)
    return BreathPattern(
        inhale=float(step.inhale or 4),
        hold=float(step.hold),
        exhale=float(step.exhale or 6),
        rest=float(step.rest),
        cycles=step.cycles,
    )


class BreatheHandler(BaseStepHandler[BreatheStep]):
    """Members may press "Done" when they have finished; auto steps move on when all have."""

    def accept(
        self, ctx: StepContext[BreatheStep], contribution_kind: str, payload: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Only "done" (the member finished the pattern), stored with an empty payload. Raises
        InvalidInput for any other contribution kind."""
        if contribution_kind != "done":
            raise InvalidInput(N_("Press Done when you have finished the breathing pattern."))
        return {}


def _breathe_from_form(answers: Mapping[str, str]) -> dict[str, Any]:
    return {
        "inhale": form_number(answers.get("inhale") or "4", "Breathe in", whole=False),
        "exhale": form_number(answers.get("exhale") or "6", "Breathe out", whole=False),
        "cycles": form_number(answers.get("cycles") or "6", "How many breaths", whole=True),
    }


FORM = StepForm(
    N_("Paced breathing"),
    (
        TITLE,
        FieldSpec("inhale", N_("Breathe in, seconds"), default="4"),
        FieldSpec("exhale", N_("Breathe out, seconds"), default="6"),
        FieldSpec("cycles", N_("How many breaths"), default="6"),
        TIME_LIMIT,
    ),
    _breathe_from_form,
)


KIND = StepKind(
    handler=BreatheHandler,
    order=6,
    form=FORM,
    icon="🌬",
    summary_counts={
        "done": SummaryCount(
            "{count} breathing round finished",
            "{count} breathing rounds finished",
            N_("breathing rounds finished by fewer than {k} people"),
        ),
    },
)

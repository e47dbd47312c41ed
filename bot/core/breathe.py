"""Breath patterns of the `breathe` step (its model and handler are in `bot/core/steps/breathe.py`)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.steps.breathe import BreatheStep


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

"""Breath patterns: seconds per phase from inhale/hold/exhale/rest, or a steady pulse from a
tempo (half the beat in, half out), and how long the whole pattern runs."""

from __future__ import annotations

from typing import Any

from bot.core.breathe import BreathPattern, pattern_of
from bot.core.steps.breathe import BreatheStep


def breathe(**fields: Any) -> BreatheStep:
    return BreatheStep.model_validate({"type": "breathe", "title": "Breathe", **fields})


def test_phases_in_seconds_make_the_cycle_and_the_total() -> None:
    pattern = pattern_of(breathe(inhale=4, hold=2, exhale=6, rest=1, cycles=5))
    assert pattern == BreathPattern(inhale=4.0, hold=2.0, exhale=6.0, rest=1.0, cycles=5)
    assert pattern.cycle_seconds == 13.0 and pattern.total_seconds == 65.0


def test_a_tempo_is_a_steady_pulse_half_in_and_half_out() -> None:
    step = breathe(bpm=60, cycles=4)
    pattern = pattern_of(step)
    assert pattern.inhale == pattern.exhale == step.cycle_seconds / 2
    assert pattern.hold == pattern.rest == 0.0
    assert pattern.total_seconds == step.cycle_seconds * 4

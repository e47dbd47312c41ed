"""The breathe step (bot/core/steps/breathe.py): its model, its pattern and its handler."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from bot.core.errors import InvalidInput
from bot.core.steps.base import StepContext
from bot.core.steps.breathe import BreatheHandler, BreatheStep, BreathPattern, pattern_of
from tests.ui.test_templates import run


def step(**fields: Any) -> BreatheStep:
    return BreatheStep.model_validate({"type": "breathe", "title": "Breathe", **fields})


def test_a_paced_pattern_in_seconds() -> None:
    box = step(inhale=4, hold=4, exhale=4, rest=4, cycles=3)
    assert box.cycle_seconds == 16 and box.total_seconds == 48
    pattern = pattern_of(box)
    assert (pattern.inhale, pattern.hold, pattern.exhale, pattern.rest) == (4, 4, 4, 4)
    assert pattern.total_seconds == 48


def test_phases_in_seconds_make_the_cycle_and_the_total() -> None:
    pattern = pattern_of(step(inhale=4, hold=2, exhale=6, rest=1, cycles=5))
    assert pattern == BreathPattern(inhale=4.0, hold=2.0, exhale=6.0, rest=1.0, cycles=5)
    assert pattern.cycle_seconds == 13.0 and pattern.total_seconds == 65.0


def test_a_tempo_is_half_the_beats_in_and_half_out() -> None:
    pulse = step(bpm=60, beats_per_cycle=4, cycles=2)
    assert pulse.cycle_seconds == 4.0
    pattern = pattern_of(pulse)
    assert (pattern.inhale, pattern.hold, pattern.exhale, pattern.rest) == (2.0, 0.0, 2.0, 0.0)
    assert pattern.total_seconds == 8.0


def test_a_tempo_is_a_steady_pulse_half_in_and_half_out() -> None:
    pulse = step(bpm=60, cycles=4)
    pattern = pattern_of(pulse)
    assert pattern.inhale == pattern.exhale == pulse.cycle_seconds / 2
    assert pattern.hold == pattern.rest == 0.0
    assert pattern.total_seconds == pulse.cycle_seconds * 4


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "give either bpm, or inhale and exhale seconds"),
        ({"bpm": 60, "inhale": 4, "exhale": 4}, "not both"),
        ({"inhale": 4}, "give both inhale and exhale seconds"),
        ({"inhale": 4, "exhale": 6, "cycles": 10, "time_limit": "1m"}, "10 cycles take 1m40s"),
    ],
)
def test_one_pace_that_fits_its_time(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        step(**fields)


def test_the_only_answer_is_done() -> None:
    ctx = StepContext(
        run=run(0), step=step(inhale=4, exhale=6), present=[1], now=0.0, language="en"
    )
    handler = BreatheHandler()
    assert handler.accept(ctx, "done", {}) == {}
    with pytest.raises(InvalidInput, match="Press Done"):
        handler.accept(ctx, "vote", {"choice": "o1"})

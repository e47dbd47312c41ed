"""A step kind's form in the activity builder (bot/core/step_forms.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.activity_builder import step_forms, step_from_form
from bot.core.activity_loader import load_bytes
from bot.core.errors import InvalidInput
from bot.core.step_forms import TIME_LIMIT, TITLE, StepForm, copied, form_number


@pytest.mark.parametrize(
    ("typed", "whole", "number"), [("4", False, 4), (" 4,5 ", False, 4.5), ("6", True, 6)]
)
def test_form_numbers_take_a_comma_as_the_decimal_point(
    typed: str, whole: bool, number: float
) -> None:
    assert form_number(typed, "Breathe in", whole=whole) == number


def test_a_form_number_that_is_not_one_names_the_input_and_what_was_typed() -> None:
    with pytest.raises(
        InvalidInput, match="Breathe in should be a number, like 4; you wrote “four”"
    ):
        form_number("four", "Breathe in", whole=False)
    with pytest.raises(InvalidInput, match="How many breaths should be a whole number"):
        form_number("2.5", "How many breaths", whole=True)


def test_copied_answers_and_a_form_that_asks_only_the_title() -> None:
    assert copied("theme")({"theme": "Home", "other": "x"}) == {"theme": "Home"}
    assert copied("theme")({}) == {"theme": ""}
    assert StepForm("Rating", (TITLE, TIME_LIMIT)).build({"title": "t"}) == {}


def test_every_shipped_form_makes_a_step_that_validates() -> None:
    answers = {
        "title": "A step",
        "text": "Settle in.",
        "question": "How are you?",
        "scale": "1-5",
        "track_title": "Calm",
        "url": "https://example.org/calm.ogg",
        "artist": "The Quiet",
        "theme": "Home",
        "inhale": "4",
        "exhale": "6",
        "cycles": "3",
        "options": "Calm\nHopeful",
        "time_limit": "2m",
    }
    for kind, form in step_forms().items():
        given = {spec.key: answers[spec.key] for spec in form.fields if spec.key in answers}
        step = step_from_form(kind, given)
        assert step["type"] == kind and step["title"] == "A step"
        yaml = (
            "id: one-step\ntitle: One step\nsummary: S\nversion: 1\nduration_minutes: 5\n"
            f"steps:\n  - {step!r}\n".replace("'", '"')
        )
        loaded = load_bytes(yaml.encode(), "one-step.yaml", media_dir=Path())
        assert not isinstance(loaded, list), (kind, loaded)
        assert loaded.steps[0].type == kind


def test_a_vote_needs_two_choices() -> None:
    with pytest.raises(InvalidInput, match="at least two choices, one per line"):
        step_from_form("vote", {"title": "Pick", "question": "Which?", "options": "Only\n\n"})

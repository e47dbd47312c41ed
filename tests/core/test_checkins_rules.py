"""Check-in rules without Discord: scales, low scores, pairing, and the k >= 3 rule."""

from __future__ import annotations

import pytest

from bot.core.activities import Scale
from bot.core.checkins import (
    check_answer,
    check_value,
    describe_value,
    is_low,
    low_threshold,
    to_ten,
)
from bot.core.errors import InvalidInput


def scale(value: object) -> Scale:
    return Scale.model_validate(value)


@pytest.mark.parametrize(
    ("name", "setting", "expected"),
    [("0-10", 2, 2), ("0-10", 0, 0), ("1-5", 2, 1), ("sam", 2, 2), ("1-5", 10, 5)],
)
def test_low_threshold_scales_from_the_0_10_setting(name: str, setting: int, expected: int) -> None:
    assert low_threshold(scale(name), setting) == expected


def test_custom_scales_have_no_low_end() -> None:
    custom = scale(["calm", "tense", "sad"])
    assert low_threshold(custom, 2) is None
    assert not is_low(custom, 1, 2)


def test_is_low() -> None:
    assert is_low(scale("0-10"), 2, 2) and not is_low(scale("0-10"), 3, 2)
    assert is_low(scale("1-5"), 1, 2) and not is_low(scale("1-5"), 2, 2)
    assert not is_low(scale("0-10"), None, 2)


def test_values_are_checked_against_the_scale() -> None:
    assert check_value(scale("0-10"), 10) == 10
    with pytest.raises(InvalidInput):
        check_value(scale("0-10"), 11)
    with pytest.raises(InvalidInput):
        check_value(scale("sam"), 0, "arousal")


def test_an_answer_is_checked_on_both_axes_of_a_two_axis_scale() -> None:
    check_answer(scale("0-10"), None, None)  # a pass
    check_answer(scale("0-10"), 0, None)
    check_answer(scale("sam"), 1, 9)
    with pytest.raises(InvalidInput, match="That isn't one of this check-in's answers"):
        check_answer(scale("1-5"), 6, None)
    with pytest.raises(InvalidInput, match="Please choose your energy level too"):
        check_answer(scale("sam"), 5, None)
    with pytest.raises(InvalidInput, match="That isn't one of this check-in's answers"):
        check_answer(scale("sam"), 5, 0)


def test_describe_and_common_axis() -> None:
    assert describe_value(scale("1-5"), 4, locale="en") == "🙂 good"
    assert describe_value(scale("0-10"), 7, locale="en") == "7 out of 10"
    assert "energy 3 of 9" in describe_value(scale("sam"), 5, 3, locale="en")
    assert to_ten("1-5", 5) == 10 and to_ten("sam", 1) == 0 and to_ten("custom", 2) is None

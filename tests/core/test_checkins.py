"""bot/core/checkins.py, the check-in rules without Discord: scales, values, low scores, how an
answer is shown back, and member text made plain."""

from __future__ import annotations

import pytest

from bot.core.activities import Scale
from bot.core.checkins import (
    SCALES,
    check_answer,
    check_value,
    describe_value,
    is_low,
    is_ordinal,
    low_threshold,
    scale_key,
    scale_of,
    strip_mentions,
    to_ten,
    value_range,
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


def test_mentions_become_plain_words() -> None:
    text = "hi <@123> <@!4> <@&5> in <#6>, try </checkin now:789> <:wave:1> <a:dance:2> @everyone @Here"
    assert strip_mentions(text) == (
        "hi a member a member a role in a channel, try /checkin now :wave: :dance: everyone Here"
    )
    assert strip_mentions("no mentions, 3 < 4 > 2") == "no mentions, 3 < 4 > 2"


def test_a_scale_is_picked_by_its_name_only_among_the_built_in_ones() -> None:
    for name in SCALES:
        assert scale_key(scale_of(name)) == name
        assert is_ordinal(scale_of(name))
    with pytest.raises(InvalidInput, match="Unknown scale 'custom'; choose one of 0-10, 1-5, sam"):
        scale_of("custom")
    assert not is_ordinal(scale(["calm", "tense"]))
    assert scale_key(scale(["calm", "tense"])) == "custom"


def test_value_ranges_of_the_built_in_and_custom_scales() -> None:
    assert value_range(scale_of("0-10")) == (0, 10)
    assert value_range(scale_of("1-5")) == (1, 5)
    assert value_range(scale_of("sam")) == (1, 9)
    assert value_range(scale(["calm", "tense", "sad"])) == (1, 3)
    assert value_range(scale([{"label": "calm", "value": -2}, "tense"])) == (-2, 2)


def test_a_pass_and_a_custom_answer_are_described_in_the_members_language() -> None:
    assert describe_value(scale("0-10"), None, locale="en") == "passed"
    assert describe_value(scale("0-10"), None, locale="de") != "passed"
    custom = scale([{"label": "calm", "emoji": "😌", "value": -1}, "tense"])
    assert describe_value(custom, -1, locale="en") == "😌 calm"
    assert describe_value(custom, 2, locale="en") == "tense"
    assert describe_value(custom, 99, locale="en") == "99"
    assert "energy - of 9" in describe_value(scale("sam"), 5, locale="en")

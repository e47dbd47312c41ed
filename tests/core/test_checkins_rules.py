"""Check-in rules without Discord: scales, low scores, pairing, and the k >= 3 rule."""

from __future__ import annotations

import pytest

from bot.core.activities import Scale
from bot.core.checkin_figures import Answer, bands, group_shifts, k_figure, pairs, shift_lines
from bot.core.checkin_summary import member_summary
from bot.core.checkins import check_value, describe_value, is_low, low_threshold, to_ten
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


def test_describe_and_common_axis() -> None:
    assert describe_value(scale("1-5"), 4, locale="en") == "🙂 good"
    assert describe_value(scale("0-10"), 7, locale="en") == "7 out of 10"
    assert "energy 3 of 9" in describe_value(scale("sam"), 5, 3, locale="en")
    assert to_ten("1-5", 5) == 10 and to_ten("sam", 1) == 0 and to_ten("custom", 2) is None


def answer(user: int | None, phase: str, value: int | None, at: float, **kw: object) -> Answer:
    return Answer(
        user_id=user,
        scale=str(kw.get("scale", "0-10")),
        phase=phase,
        measure=kw.get("measure", "mood"),  # type: ignore[arg-type]
        value=value,
        passed=value is None,
        created_at=at,
    )


def test_pairs_use_the_latest_answers_and_skip_passes_and_anonymous() -> None:
    found = pairs(
        [
            answer(1, "before", 3, 1),
            answer(1, "before", 4, 2),  # changed answer: the latest counts
            answer(1, "after", 6, 3),
            answer(2, "before", 5, 1),
            answer(2, "after", None, 3),  # passed
            answer(None, "before", 2, 1),
            answer(None, "after", 9, 3),
            answer(3, "before", 5, 1, measure="energy"),
            answer(3, "after", 5, 2, measure="mood"),  # different measure: no pair
        ]
    )
    assert [(p.user_id, p.shift) for p in found] == [(1, 2)]


def test_group_figures_need_three_people() -> None:
    two = pairs(
        [answer(u, ph, v, t) for u in (1, 2) for ph, v, t in (("before", 2, 1), ("after", 5, 2))]
    )
    shifts = group_shifts(two)
    assert not shifts[0].shown and shifts[0].improved is None
    assert "Too few answers" in shift_lines(shifts, "en")[0][1]
    four = pairs(
        [answer(u, "before", b, 1) for u, b in ((1, 3), (2, 5), (3, 6), (4, 2))]
        + [answer(u, "after", a, 2) for u, a in ((1, 6), (2, 5), (3, 8), (4, 1))]
    )
    (shift,) = group_shifts(four)
    assert (shift.mean_shift, shift.improved, shift.stayed, shift.dropped) == (1.0, 2, 1, 1)
    assert "+1.0" in shift_lines([shift], "en")[0][1]


def test_k_figure_and_bands() -> None:
    assert k_figure(2, 10) == "fewer than 3"
    assert k_figure(3, 4) == "3 of 4 (75%)"
    assert bands([0, 3, 4, 6, 7, 10, 2.5]) == [3, 2, 2]


def test_member_summary() -> None:
    assert "No check-ins" in member_summary([], "en")
    text = member_summary(
        [answer(1, "before", 2, 1), answer(1, "after", 6, 2), answer(1, "any", None, 3)], "en"
    )
    assert "checked in 2 times and passed 1 time" in text
    assert "ranged from 2 to 6 out of 10" in text and "most recent was 6" in text
    assert "Of 1 session where" in text and "better at the end in 1" in text
    assert "Average" not in text and "lowest" not in text


def test_member_summary_keeps_scales_apart() -> None:
    # A SAM 1 is not a 0 out of 10, and a face is not a number: they are counted separately.
    text = member_summary(
        [
            answer(1, "any", 1, 1),
            answer(1, "any", 3, 2),
            answer(1, "any", 1, 3, scale="sam"),
            answer(1, "any", 2, 4, scale="1-5"),
            answer(1, "any", 4, 5, scale="1-5"),
        ],
        "en",
    )
    assert "ranged from 1 to 3 out of 10" in text
    assert "0 out of" not in text and "lowest 0" not in text and "Average" not in text
    assert "2 answers on the faces scale" in text
    assert "1 answer on the feeling-and-energy scale" in text
    one = member_summary([answer(1, "any", 7, 1)], "en")
    assert "checked in 1 time." in one and "was 7 out of 10" in one
    only_sam = member_summary([answer(1, "any", 9, 1, scale="sam")], "en")
    assert "out of 10" not in only_sam

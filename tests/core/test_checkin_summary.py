"""A member's own check-in history in a few sentences, scales kept apart."""

from __future__ import annotations

from bot.core.checkin_summary import member_summary
from tests.core.test_checkin_figures import answer


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

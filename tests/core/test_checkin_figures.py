"""Before and after paired per member; the group's figures only at K_MIN people or more."""

from __future__ import annotations

from typing import Any

from bot.core.checkin_figures import Answer, bands, group_shifts, pairs, shift_lines


def answer(user: int | None, phase: str, value: int | None, at: float, **kw: Any) -> Answer:
    return Answer(
        user_id=user,
        scale=str(kw.get("scale", "0-10")),
        phase=phase,
        measure=kw.get("measure", "mood"),
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


def test_bands() -> None:
    assert bands([0, 3, 4, 6, 7, 10, 2.5]) == [3, 2, 2]

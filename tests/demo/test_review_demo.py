"""The demo's simulated members answer a reviewed anonymous reflection; the scripted facilitator
reads their shared answers privately (without names) and releases them, posted without names."""

from __future__ import annotations

from pathlib import Path

from bot.demo.world import MEMBERS
from tests.demo.test_script import scripted


async def test_simulated_members_answer_a_reviewed_anonymous_reflection(tmp_path: Path) -> None:
    report, transcript, errors = await scripted(tmp_path, activities=("anonymous-reflection",))
    assert not errors, errors
    assert report.activities == ["anonymous-reflection"]
    assert [(s.activity, s.index) for s in report.steps] == [("anonymous-reflection", 0)]
    assert all(s.message_id is not None for s in report.steps)

    # The members' shared answers reached the facilitator's private review, numbered.
    assert len(report.reviews) == 1
    review = report.reviews[0]
    assert review.startswith("**1.** "), review
    answers = [line.split(" ", 1)[1] for line in review.split("\n\n")]
    assert all(answers)

    # Released: every reviewed answer is posted in the channel, and no member is named there.
    shared = [(d or "") + str(f) for t, d, f in transcript if t == "What we shared"]
    assert shared, [t for t, _, _ in transcript]
    posted = "\n".join(shared)
    for answer in answers:
        assert answer in posted, answer
    for user, display in MEMBERS:
        assert user not in posted.casefold() and display not in posted, display
    card = next(d or "" for t, d, _ in transcript if t == "A word for the group")
    assert "released" in card

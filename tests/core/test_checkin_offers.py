"""What the reply to a check-in step answer offers (`step_offers`): the rule is core's, so the
cog only shows it. A note where the step takes optional notes, sharing otherwise; nothing for a
pass or in an anonymous step, where either would tie the answer to the member."""

from __future__ import annotations

from bot.core.checkin_extras import Offers, step_offers
from bot.core.checkin_saved import Saved
from bot.core.steps.checkin import CheckinStep


def step(note: str, anonymous: bool = False) -> CheckinStep:
    return CheckinStep.model_validate(
        {
            "type": "checkin",
            "title": "C",
            "question": "Q?",
            "scale": "1-5",
            "note": note,
            "anonymous": anonymous,
        }
    )


def saved(*, anonymous: bool = False, passed: bool = False) -> Saved:
    return Saved(None, False, None, False, anonymous=anonymous, passed=passed)


def test_an_answer_is_offered_a_note_only_where_the_step_takes_one() -> None:
    assert step_offers(step("optional"), saved()) == Offers(note=True, share=True)
    assert step_offers(step("off"), saved()) == Offers(note=False, share=True)


def test_a_pass_or_an_anonymous_answer_is_offered_neither() -> None:
    assert step_offers(step("optional"), saved(passed=True)) == Offers(note=False, share=False)
    anonymous = step("optional", anonymous=True)
    assert step_offers(anonymous, saved(anonymous=True)) == Offers(note=False, share=False)

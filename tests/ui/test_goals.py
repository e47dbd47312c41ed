"""The goal button families build exactly the ids Chorus has always posted, and parse them."""

from __future__ import annotations

from bot.records.goals import GoalRecord
from bot.ui import goals as ui
from bot.ui.steps.goal import GoalStepButton
from tests.ui.custom_ids import ids, parsed


def test_goal_ids_are_unchanged() -> None:
    goal = GoalRecord(
        id=4,
        guild_id=1,
        user_id=2,
        text="sleep better",
        status="active",
        created_at=0.0,
        closed_at=None,
    )
    rating = ids(ui.rating_view(goal, 7, 2, None, False, "en"))
    assert rating == [f"chorus:goal_rate:4:7:2:{v}" for v in range(1, 6)] + [
        "chorus:goal_rate:4:7:2:pass"
    ]
    passed = parsed("chorus:goal_rate:4:7:2:pass")
    assert isinstance(passed, ui.RatePassButton) and passed.value is None
    rated = parsed("chorus:goal_rate:4:7:2:3")
    assert isinstance(rated, ui.RateButton) and (rated.goal_id, rated.value) == (4, 3)
    assert ids(ui.consent_view("en")) == [
        "chorus:goal_consent:yes:cmd",
        "chorus:goal_consent:no:cmd",
    ]
    assert ids(ui.consent_view("en", 7, 2)) == [
        "chorus:goal_consent:yes:step:7:2",
        "chorus:goal_consent:no:step:7:2",
    ]
    consent = parsed("chorus:goal_consent:no:step:7:2")
    assert isinstance(consent, ui.GoalConsentStepButton) and not consent.agreed
    assert (consent.run_id, consent.step_index) == (7, 2)
    step = parsed("chorus:goal:7:2:rate")
    assert isinstance(step, GoalStepButton) and step.action == "rate"

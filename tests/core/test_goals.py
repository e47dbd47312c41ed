"""Goal rules: text limits, the three-goal limit, ratings, progress summaries, the step handler."""

from __future__ import annotations

import pytest

from bot.core.activity_models import Activity
from bot.core.errors import Conflict, InvalidInput
from bot.core.goals import (
    GOAL_MAX,
    MAX_ACTIVE,
    check_can_add,
    check_rating,
    clean_goal,
    describe_rating,
    facilitator_line,
    per_session,
    progress_summary,
    trend,
)
from bot.core.steps import StepContext
from bot.core.steps.goal import ANSWERS, GoalHandler, GoalStep, answer_payload
from bot.records.goals import RatingRecord
from bot.records.sessions import ContributionRecord, RunRecord


def test_goal_text_is_cleaned_to_one_line() -> None:
    assert clean_goal("  sleep\n better \u200b ") == "sleep better"


def test_goal_text_has_no_mentions() -> None:
    text = clean_goal("talk to <@123> and <@!45> in <#6> @everyone @Here <@&7> </goal set:8>")
    assert text == "talk to a member and a member in a channel everyone Here a role /goal set"
    assert "<@" not in text and "@" not in text
    assert clean_goal("meet @ 5") == "meet @ 5"  # a plain @ is just text
    assert clean_goal("<:wave:99> hi") == ":wave: hi"


def test_goal_text_limits() -> None:
    assert clean_goal("x" * GOAL_MAX) == "x" * GOAL_MAX
    with pytest.raises(InvalidInput, match="at most 100 characters; yours has 101"):
        clean_goal("x" * (GOAL_MAX + 1))
    with pytest.raises(InvalidInput, match="empty"):
        clean_goal(" \u200b\n ")


def test_at_most_three_active_goals_and_no_repeats() -> None:
    check_can_add(["a", "b"], "c")
    with pytest.raises(Conflict, match="already have 3 goals"):
        check_can_add(["a", "b", "c"], "d")
    assert MAX_ACTIVE == 3
    with pytest.raises(Conflict, match="already have that goal"):
        check_can_add(["Sleep better"], "sleep BETTER")


def test_ratings_are_one_to_five_with_words() -> None:
    assert [check_rating(v) for v in range(1, 6)] == [1, 2, 3, 4, 5]
    for bad in (0, 6, -1):
        with pytest.raises(InvalidInput):
            check_rating(bad)
    assert describe_rating(4, "en") == "4 · Good"
    assert describe_rating(1, "en") == "1 · Hard"
    assert describe_rating(None, "en") == "passed"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], "No ratings yet: you'll be asked at a goal step in a session."),
        ([4], "1 session, rated 4 · Good"),
        ([2, 3], "2 sessions, average 2.5, up from last time"),
        ([3, 2], "2 sessions, average 2.5, down from last time"),
        ([3, 3], "2 sessions, average 3.0, same as last time"),
        ([5, 2, 3, 4], "4 sessions, average 3.5, last three rising"),
        ([4, 4, 3], "3 sessions, average 3.7, last three falling"),
        ([1, 3, 3, 3], "4 sessions, average 2.5, last three steady"),
        ([2, 4, 1], "3 sessions, average 2.3, last three up and down"),
    ],
)
def test_progress_summary(values: list[int], expected: str) -> None:
    assert progress_summary(values, "en") == expected


def test_trend_needs_three() -> None:
    assert trend([1, 2], "en") is None
    assert trend([1, 1, 2], "en") == "last three rising"


def _rating(i: int, session: int | None, at: float, value: int | None) -> RatingRecord:
    return RatingRecord(i, 1, session, 1, 0, value, at)


def test_per_session_keeps_the_latest_rating_and_skips_passes() -> None:
    ratings = [
        _rating(1, 10, 100.0, 2),
        _rating(2, 10, 150.0, 4),  # asked twice in one session: the later answer counts
        _rating(3, 11, 200.0, None),  # passed
        _rating(4, 12, 300.0, 3),
    ]
    points = per_session(ratings)
    assert [(p.session_id, p.value) for p in points] == [(10, 4), (12, 3)]


def test_facilitator_line_hides_small_numbers() -> None:
    assert "Fewer than 3 members" in facilitator_line(2, 2, "en")
    line = facilitator_line(4, 2, "en")
    assert "4 members here have personal goals" in line and "fewer than 3 rated" in line
    assert "3 rated them today" in facilitator_line(5, 3, "en")


def _ctx(present: list[int]) -> StepContext[GoalStep]:
    run = RunRecord(1, 1, "a", "h", "{}", 0, 0.0, None, None, None, "{}", None, "running", 0, None)
    step = GoalStep(type="goal", title="Goals", time_limit=60, advance="auto")
    return StepContext(run=run, step=step, present=present, now=0.0, language="en")


def _c(author: int, answer: str, done: bool) -> ContributionRecord:
    return ContributionRecord(
        id=author,
        run_id=1,
        step_index=0,
        author_id=author,
        kind="goal",
        payload=answer_payload(answer, done),
        created_at=0.0,
        updated_at=0.0,
    )


def test_step_is_complete_when_everyone_rated_all_set_one_or_passed() -> None:
    handler = GoalHandler()
    ctx = _ctx([1, 2, 3])
    assert not handler.is_complete(ctx, [_c(1, "rated", True), _c(2, "set", True)])
    assert not handler.is_complete(
        ctx, [_c(1, "rated", True), _c(2, "set", True), _c(3, "rated", False)]
    )
    assert handler.is_complete(ctx, [_c(1, "rated", True), _c(2, "set", True), _c(3, "pass", True)])
    assert not handler.is_complete(_ctx([]), [])


def test_step_accepts_only_its_answers_and_never_values() -> None:
    handler = GoalHandler()
    ctx = _ctx([1])
    for answer in ANSWERS:
        assert handler.accept(ctx, "goal", {"answer": answer, "done": True, "value": 5}) == {
            "answer": answer,
            "done": True,
        }
    with pytest.raises(InvalidInput):
        handler.accept(ctx, "goal", {"answer": "value"})
    with pytest.raises(InvalidInput):
        handler.accept(ctx, "checkin", {"answer": "rated"})


def test_goal_step_in_an_activity() -> None:
    activity = Activity.model_validate(
        {
            "id": "x",
            "title": "X",
            "summary": "s",
            "version": 1,
            "duration_minutes": 5,
            "steps": [{"type": "goal", "title": "Goals", "time_limit": "2m", "advance": "auto"}],
        }
    )
    step = activity.steps[0]
    assert isinstance(step, GoalStep) and step.offer_set and step.prompt is None
    with pytest.raises(ValueError, match="offer_set"):
        GoalStep.model_validate({"type": "goal", "title": "G", "offer_set": "maybe"})

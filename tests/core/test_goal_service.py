"""The goal service without Discord, on a real store (both engines): consent first, at most
MAX_ACTIVE goals, only one's own goals, closing once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.errors import Conflict, NotFound
from bot.core.goal_service import ConsentNeeded, GoalService
from bot.core.goals import MAX_ACTIVE
from bot.core.runner import Runner
from bot.core.steps import step_handlers
from bot.store.store import Store

GUILD, ANA, BEN = 1, 7, 8


def clock() -> datetime:
    return datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def goals(store: Store) -> GoalService:
    return GoalService(store, clock, Runner(store, clock, step_handlers()))


async def test_a_goal_needs_consent_first(goals: GoalService) -> None:
    with pytest.raises(ConsentNeeded):
        await goals.add(GUILD, ANA, "sleep better")
    assert not await goals.has_consent(GUILD, ANA)
    await goals.set_consent(GUILD, ANA, True, "Ana")
    assert await goals.has_consent(GUILD, ANA)
    added = await goals.add(GUILD, ANA, "  sleep   better ")
    assert added.text == "sleep better" and added.status == "active"
    assert added.created_at == clock().timestamp()


async def test_without_consent_a_rating_or_a_goal_is_refused_pointing_to_goal_set(
    goals: GoalService,
) -> None:
    with pytest.raises(Conflict) as refused:
        await goals.add(GUILD, ANA, "sleep better")
    assert isinstance(refused.value, ConsentNeeded)
    assert refused.value.text("en") == (
        "Goals are saved only with your agreement. Use /goal set to see the explanation."
    )


async def test_at_most_max_active_goals_and_no_repeats(goals: GoalService) -> None:
    await goals.set_consent(GUILD, ANA, True, "Ana")
    for n in range(MAX_ACTIVE):
        await goals.add(GUILD, ANA, f"goal {n}")
    with pytest.raises(Conflict, match="the most at once"):
        await goals.add(GUILD, ANA, "one more")
    first = (await goals.active(GUILD, ANA))[0]
    await goals.close(GUILD, ANA, first.id, "dropped")
    with pytest.raises(Conflict, match="already have that goal"):
        await goals.add(GUILD, ANA, "GOAL 1")
    assert [g.text for g in await goals.active(GUILD, ANA)] == [
        f"goal {n}" for n in range(1, MAX_ACTIVE)
    ]


async def test_only_ones_own_goal_and_closing_it_once(goals: GoalService) -> None:
    await goals.set_consent(GUILD, ANA, True, "Ana")
    goal = await goals.add(GUILD, ANA, "walk daily")
    with pytest.raises(NotFound):
        await goals.own(GUILD, BEN, goal.id)
    with pytest.raises(NotFound):
        await goals.own(GUILD + 1, ANA, goal.id)
    closed = await goals.close(GUILD, ANA, goal.id, "done")
    assert closed.status == "done" and closed.closed_at == clock().timestamp()
    with pytest.raises(Conflict, match="already done"):
        await goals.close(GUILD, ANA, goal.id, "dropped")
    assert await goals.active(GUILD, ANA) == []
    assert [g.status for g in await goals.all_goals(GUILD, ANA)] == ["done"]


async def test_a_step_that_is_not_live_refuses_answers(goals: GoalService) -> None:
    with pytest.raises(Conflict, match="ended"):
        await goals.step_of(12345, 0)

"""PatternNotices without Discord: the notice comes with the low answer that makes the member's
number within their period, once (not again for the next low ones), and only for those who
opted in (a real store on both engines)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.errors import InvalidInput
from bot.core.pattern_notice import DAY, PatternNotices
from bot.records.checkins import CheckinRecord
from bot.store.store import Store
from tests.core.runner_setup import stopped_at
from tests.factories import save_checkin

GUILD, ANA = 1, 7
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LOW_SCORE_MAX = 3  # 0-10 answers of 3 or less are low


clock = stopped_at(NOW)


@pytest.fixture
def notices(store: Store) -> PatternNotices:
    return PatternNotices(store, clock, lambda guild_id: LOW_SCORE_MAX)


async def answered(store: Store, value: int | None, days_ago: float) -> CheckinRecord:
    checkin_id = await save_checkin(store, ANA, value, NOW.timestamp() - days_ago * DAY)
    found = [r for r in await store.checkins.for_member(GUILD, ANA, 0.0) if r.id == checkin_id]
    return found[0]


async def test_the_notice_comes_once_when_the_low_answers_reach_the_number(
    store: Store, notices: PatternNotices
) -> None:
    await notices.turn_on(GUILD, ANA, low_answers=3, within_days=7)
    await answered(store, 2, days_ago=9)  # outside the period
    first = await answered(store, 1, days_ago=5)
    assert await notices.completed(first) is None  # one low answer
    high = await answered(store, 8, days_ago=4)
    assert await notices.completed(high) is None  # not low
    await answered(store, None, days_ago=3)  # a pass isn't an answer
    second = await answered(store, 3, days_ago=2)
    assert await notices.completed(second) is None  # two
    third = await answered(store, 0, days_ago=0)
    optin = await notices.completed(third)
    assert optin is not None and (optin.low_answers, optin.within_days) == (3, 7)
    fourth = await answered(store, 2, days_ago=0)
    assert await notices.completed(fourth) is None  # the pattern was told already


async def test_nobody_is_told_without_opting_in_and_turning_off_stops_it(
    store: Store, notices: PatternNotices
) -> None:
    lows = [await answered(store, 1, days_ago=d) for d in (3, 2, 1)]
    assert await notices.completed(lows[-1]) is None
    await notices.turn_on(GUILD, ANA, low_answers=2, within_days=1)
    assert await notices.get(GUILD, ANA) is not None
    assert await notices.turn_off(GUILD, ANA)
    assert not await notices.turn_off(GUILD, ANA)
    assert await notices.completed(lows[-1]) is None


async def test_numbers_outside_the_choices_are_refused(notices: PatternNotices) -> None:
    for low_answers, within_days in ((1, 7), (11, 7), (3, 0), (3, 61)):
        with pytest.raises(InvalidInput, match="Choose 2 to 10 low answers within 1 to 60 days"):
            await notices.turn_on(GUILD, ANA, low_answers=low_answers, within_days=within_days)
    assert await notices.get(GUILD, ANA) is None

"""Check-in answers written one at a time (`SingleAnswers`): a member's second answer replaces
the first, a declined member's answer counts as a pass, /checkin now's answers with and without
consent, and values the scale doesn't offer. A real store on each engine."""

from __future__ import annotations

import pytest

from bot.core.checkin_service import CheckinService
from bot.core.checkin_single import SingleAnswers
from bot.core.checkins import scale_of
from bot.core.errors import InvalidInput
from bot.core.runner import Runner
from bot.store.store import Store
from tests.core.checkin_setup import GUILD, checkins, clock, contributions, start_run
from tests.engines import TestDatabase


@pytest.fixture
def single(store: Store, runner: Runner, service: CheckinService) -> SingleAnswers:
    return SingleAnswers(store, clock, runner, service.is_low)


async def test_a_second_answer_replaces_the_first(
    store: Store,
    runner: Runner,
    service: CheckinService,
    single: SingleAnswers,
    engine: TestDatabase,
) -> None:
    run_id = await start_run(store, runner)
    await service.set_consent(GUILD, 1, agreed=True, name="ana")
    first = await single.step_answer(run_id, 0, 1, 7, None)
    assert first.record is not None and not first.replaced and not first.low
    second = await single.step_answer(run_id, 0, 1, 1, None)
    assert second.replaced and second.low  # 1 of 10 is low with the default settings
    assert await contributions(engine, run_id) == [(0, 1, "checkin")]
    assert await checkins(engine) == [(1, 1, 0)]
    passed = await single.step_answer(run_id, 0, 1, None, None)
    assert passed.passed and not passed.low
    assert await contributions(engine, run_id) == [(0, 1, "pass")]  # the answer became a pass
    assert await checkins(engine) == [(1, None, 1)]


async def test_a_declined_member_counts_as_a_pass_and_a_bad_value_is_refused(
    store: Store,
    runner: Runner,
    service: CheckinService,
    single: SingleAnswers,
    engine: TestDatabase,
) -> None:
    run_id = await start_run(store, runner)
    await service.set_consent(GUILD, 2, agreed=False, name="ben")
    saved = await single.step_answer(run_id, 0, 2, 1, None)
    assert saved.declined and saved.record is None and saved.low
    with pytest.raises(InvalidInput, match="That isn't one of this check-in's answers"):
        await single.step_answer(run_id, 0, 2, 11, None)
    assert await contributions(engine, run_id) == [(0, 2, "pass")]
    assert await checkins(engine) == []


async def test_checkin_now_keeps_an_answer_only_with_consent_and_replaces_on_change(
    service: CheckinService, single: SingleAnswers, engine: TestDatabase
) -> None:
    sam, faces = scale_of("sam"), scale_of("1-5")
    with pytest.raises(InvalidInput, match="Please choose your energy level too"):
        await single.now_answer(GUILD, 1, sam, 5, None, None)
    await service.set_consent(GUILD, 1, agreed=False, name="ana")
    declined = await single.now_answer(GUILD, 1, faces, 1, None, None)
    assert declined.declined and declined.record is None and declined.low
    assert await checkins(engine) == []
    await service.set_consent(GUILD, 1, agreed=True, name="ana")
    kept = await single.now_answer(GUILD, 1, sam, 5, 7, None)
    assert kept.record is not None and (kept.record.value, kept.record.value2) == (5, 7)
    changed = await single.now_answer(GUILD, 1, sam, 6, 2, kept.record.id)
    assert changed.replaced and changed.record is not None
    assert changed.record.id == kept.record.id
    assert await checkins(engine) == [(1, 6, 0)]

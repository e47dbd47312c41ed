"""Answering a check-in step without Discord: consent is read inside the answer's own write.

A real store on each engine (tests/conftest.py's `store`); what was written is read back on a
connection of its own, outside the store.
"""

from __future__ import annotations

import pytest

from bot.core.checkin_service import CheckinService, ConsentNeeded
from bot.core.errors import Conflict
from bot.core.runner import Runner
from bot.store.store import Store
from tests.core.checkin_setup import GUILD, checkins, contributions, start_run
from tests.engines import TestDatabase, rows_outside


async def test_an_answer_without_consent_asks_for_it_and_writes_nothing(
    store: Store, runner: Runner, service: CheckinService, engine: TestDatabase
) -> None:
    run_id = await start_run(store, runner)
    with pytest.raises(ConsentNeeded):
        await service.answer_step(run_id, 0, 1, 7)
    assert await contributions(engine, run_id) == []
    assert await checkins(engine) == []
    assert await rows_outside(engine, "SELECT * FROM members") == []


async def test_a_member_who_declined_is_counted_as_a_pass_with_no_checkin_row(
    store: Store, runner: Runner, service: CheckinService, engine: TestDatabase
) -> None:
    run_id = await start_run(store, runner)
    await service.set_consent(GUILD, 2, agreed=False, name="ben")
    saved = await service.answer_step(run_id, 0, 2, 7)
    assert saved.declined and saved.record is None and not saved.passed
    assert await contributions(engine, run_id) == [(0, 2, "pass")]
    assert await checkins(engine) == []


async def test_a_pass_without_consent_is_kept_with_no_checkin_row(
    store: Store, runner: Runner, service: CheckinService, engine: TestDatabase
) -> None:
    run_id = await start_run(store, runner)
    saved = await service.answer_step(run_id, 0, 3, None)
    assert saved.passed and saved.record is None and not saved.declined
    assert await contributions(engine, run_id) == [(0, 3, "pass")]
    assert await checkins(engine) == []


async def test_an_answer_with_consent_stores_the_checkin_row(
    store: Store, runner: Runner, service: CheckinService, engine: TestDatabase
) -> None:
    """The control for the tests above: with consent the same call stores the row."""
    run_id = await start_run(store, runner)
    await service.set_consent(GUILD, 4, agreed=True, name="dee")
    saved = await service.answer_step(run_id, 0, 4, 7)
    assert saved.record is not None and saved.record.value == 7 and not saved.declined
    assert await contributions(engine, run_id) == [(0, 4, "checkin")]
    assert await checkins(engine) == [(4, 7, 0)]


async def test_consent_given_after_being_asked_lets_the_answer_through(
    store: Store, runner: Runner, service: CheckinService, engine: TestDatabase
) -> None:
    run_id = await start_run(store, runner)
    with pytest.raises(ConsentNeeded):
        await service.answer_step(run_id, 0, 1, 6)
    await service.set_consent(GUILD, 1, agreed=True, name="ana")
    saved = await service.answer_step(run_id, 0, 1, 6)
    assert saved.record is not None and saved.record.user_id == 1
    assert await contributions(engine, run_id) == [(0, 1, "checkin")]
    assert await checkins(engine) == [(1, 6, 0)]


async def test_after_the_consent_question_an_ended_step_is_told_only_to_who_agreed(
    store: Store, runner: Runner, service: CheckinService
) -> None:
    run_id = await start_run(store, runner)
    found = await service.step_after_consent(run_id, 0, True)
    assert found is not None and found[1].question == "How are you arriving?"
    assert await service.step_after_consent(run_id, 1, False) is None  # not the live step
    with pytest.raises(Conflict, match="That check-in has ended, so the answer"):
        await service.step_after_consent(run_id, 1, True)

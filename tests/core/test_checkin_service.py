"""Answering a check-in step without Discord: consent is read inside the answer's own write.

A real store on a SQLite file; what was written is read back from the file itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.activities import Activity
from bot.core.checkin_service import CheckinService, ConsentNeeded
from bot.core.checkins import DEFAULT_NOTE_MAX, scale_of
from bot.core.errors import Conflict
from bot.core.runner import Runner
from bot.core.steps import step_handlers
from bot.records.sessions import NewSession
from bot.settings import CheckinSettings
from bot.store.store import Store

GUILD = 1
ACTIVITY = {
    "id": "checkin-service-test",
    "title": "Check-in service test",
    "summary": "s",
    "version": 1,
    "duration_minutes": 5,
    "steps": [
        {
            "type": "checkin",
            "title": "Arriving",
            "question": "How are you arriving?",
            "scale": "0-10",
            "phase": "before",
            "measure": "mood",
            "time_limit": 180,
            "advance": "auto",
        },
        {"type": "prompt", "title": "Read", "text": "hello"},
    ],
}


def clock() -> datetime:
    return datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    s = Store(tmp_path / "c.db")
    await s.open()
    yield s
    await s.close()


@pytest.fixture
def runner(store: Store) -> Runner:
    return Runner(store, clock, step_handlers())


@pytest.fixture
def service(store: Store, runner: Runner) -> CheckinService:
    return CheckinService(store, clock, runner, CheckinSettings())


async def start_run(store: Store, runner: Runner) -> int:
    """A run at its check-in step with four members present (so one answer doesn't end it)."""
    session = await store.sessions.create(
        NewSession(
            guild_id=GUILD, channel_id=2, voice_channel_id=None, title="t", facilitator_id=9
        ),
        0.0,
    )
    for member in (1, 2, 3, 4):
        await store.sessions.join(session.id, member, 0.0)
    activity = Activity.model_validate({**ACTIVITY, "version_hash": "abc"})
    started = await runner.start(session.id, activity)
    return started.run.id


def in_file(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return [tuple(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def contributions(path: Path, run_id: int) -> list[tuple[object, ...]]:
    return in_file(
        path,
        "SELECT step_index, author_id, kind FROM contributions WHERE run_id = ? ORDER BY id",
        (run_id,),
    )


def checkins(path: Path) -> list[tuple[object, ...]]:
    return in_file(path, "SELECT user_id, value, passed FROM checkins ORDER BY id")


async def test_an_answer_without_consent_asks_for_it_and_writes_nothing(
    store: Store, runner: Runner, service: CheckinService, tmp_path: Path
) -> None:
    run_id = await start_run(store, runner)
    with pytest.raises(ConsentNeeded):
        await service.answer_step(run_id, 0, 1, 7)
    path = tmp_path / "c.db"
    assert contributions(path, run_id) == []
    assert checkins(path) == []
    assert in_file(path, "SELECT * FROM members") == []


async def test_a_member_who_declined_is_counted_as_a_pass_with_no_checkin_row(
    store: Store, runner: Runner, service: CheckinService, tmp_path: Path
) -> None:
    run_id = await start_run(store, runner)
    await service.set_consent(GUILD, 2, agreed=False, name="ben")
    saved = await service.answer_step(run_id, 0, 2, 7)
    assert saved.declined and saved.record is None and not saved.passed
    path = tmp_path / "c.db"
    assert contributions(path, run_id) == [(0, 2, "pass")]
    assert checkins(path) == []


async def test_a_pass_without_consent_is_kept_with_no_checkin_row(
    store: Store, runner: Runner, service: CheckinService, tmp_path: Path
) -> None:
    run_id = await start_run(store, runner)
    saved = await service.answer_step(run_id, 0, 3, None)
    assert saved.passed and saved.record is None and not saved.declined
    path = tmp_path / "c.db"
    assert contributions(path, run_id) == [(0, 3, "pass")]
    assert checkins(path) == []


async def test_an_answer_with_consent_stores_the_checkin_row(
    store: Store, runner: Runner, service: CheckinService, tmp_path: Path
) -> None:
    """The control for the tests above: with consent the same call stores the row."""
    run_id = await start_run(store, runner)
    await service.set_consent(GUILD, 4, agreed=True, name="dee")
    saved = await service.answer_step(run_id, 0, 4, 7)
    assert saved.record is not None and saved.record.value == 7 and not saved.declined
    path = tmp_path / "c.db"
    assert contributions(path, run_id) == [(0, 4, "checkin")]
    assert checkins(path) == [(4, 7, 0)]


async def test_consent_given_after_being_asked_lets_the_answer_through(
    store: Store, runner: Runner, service: CheckinService, tmp_path: Path
) -> None:
    run_id = await start_run(store, runner)
    with pytest.raises(ConsentNeeded):
        await service.answer_step(run_id, 0, 1, 6)
    await service.set_consent(GUILD, 1, agreed=True, name="ana")
    saved = await service.answer_step(run_id, 0, 1, 6)
    assert saved.record is not None and saved.record.user_id == 1
    path = tmp_path / "c.db"
    assert contributions(path, run_id) == [(0, 1, "checkin")]
    assert checkins(path) == [(1, 6, 0)]


async def test_a_step_answer_takes_a_note_only_if_its_step_asks(
    store: Store, runner: Runner, service: CheckinService
) -> None:
    run_id = await start_run(store, runner)
    await service.set_consent(GUILD, 1, True, "ana")
    at_step = await service.answer_step(run_id, 0, 1, 7)
    assert at_step.record is not None
    scale, _, allowed = await service.scale_and_note(at_step.record)
    assert (scale.kind, allowed) == ("0-10", False)  # the step has no `note: optional`
    now = await service.answer_now(GUILD, 1, scale_of("1-5"), 3, None, None)
    assert now.record is not None
    scale, limit, allowed = await service.scale_and_note(now.record)
    assert (scale.kind, limit, allowed) == ("1-5", DEFAULT_NOTE_MAX, True)


async def test_a_note_is_refused_where_the_step_takes_none_and_an_answer_is_shared_once(
    store: Store, runner: Runner, service: CheckinService
) -> None:
    run_id = await start_run(store, runner)
    await service.set_consent(GUILD, 1, True, "ana")
    at_step = await service.answer_step(run_id, 0, 1, 7)
    assert at_step.record is not None
    with pytest.raises(Conflict, match="This check-in doesn't ask for a note"):
        await service.own_with_note(at_step.record.id, 1)
    now = await service.answer_now(GUILD, 1, scale_of("1-5"), 3, None, None)
    assert now.record is not None
    record, limit = await service.own_with_note(now.record.id, 1)
    assert (record.id, limit) == (now.record.id, DEFAULT_NOTE_MAX)
    shared = await service.share(at_step.record.id, 1)
    assert shared.shared
    with pytest.raises(Conflict, match="You've already shared this answer with the group"):
        await service.share(at_step.record.id, 1)


async def test_after_the_consent_question_an_ended_step_is_told_only_to_who_agreed(
    store: Store, runner: Runner, service: CheckinService
) -> None:
    run_id = await start_run(store, runner)
    found = await service.step_after_consent(run_id, 0, True)
    assert found is not None and found[1].question == "How are you arriving?"
    assert await service.step_after_consent(run_id, 1, False) is None  # not the live step
    with pytest.raises(Conflict, match="That check-in has ended, so the answer"):
        await service.step_after_consent(run_id, 1, True)

"""SessionService without Discord: a real store on both engines."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.activities import Activity
from bot.core.errors import Conflict, NotFound
from bot.core.runner import Runner
from bot.core.session import SessionService, leads
from bot.core.steps import step_handlers
from bot.core.steps.prompt import PromptStep
from bot.core.steps.round import RoundStep
from bot.store.store import Store

GUILD, CHANNEL, FAY, ANA = 1, 2, 3, 11
ACTIVITY = {
    "id": "session-service-test",
    "title": "Session service test",
    "summary": "s",
    "version": 1,
    "duration_minutes": 5,
    "steps": [
        {"type": "prompt", "title": "One", "text": "hello"},
        {"type": "prompt", "title": "Two", "text": "again"},
    ],
}


def clock() -> datetime:
    return datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def test_joining_remembers_the_name_and_only_counts_once(store: Store) -> None:
    sessions = SessionService(store, clock)
    session = await sessions.open(
        guild_id=GUILD, channel_id=CHANNEL, title="Circle", facilitator_id=FAY
    )
    assert await sessions.find_in_channel(CHANNEL) == session
    assert await sessions.find_in_channel(CHANNEL + 1) is None
    assert await sessions.join(session, ANA, "Ana")
    assert not await sessions.join(session, ANA, "Ana")
    assert (await store.members.names(GUILD, [ANA])) == {ANA: "Ana"}
    await sessions.end(session, "en")
    with pytest.raises(Conflict, match="ended"):
        await sessions.join(await sessions.get(session.id), ANA)


async def test_live_step_is_the_running_step_only(store: Store) -> None:
    sessions = SessionService(store, clock)
    runner = Runner(store, clock, step_handlers())
    session = await sessions.open(
        guild_id=GUILD, channel_id=CHANNEL, title="Circle", facilitator_id=FAY
    )
    update = await runner.start(session.id, Activity.model_validate(ACTIVITY))
    found_session, run = await sessions.live_step(update.run.id, 0)
    assert (found_session.id, run.id, run.step_index) == (session.id, update.run.id, 0)
    await runner.advance(run.id, 0, by_facilitator=True)
    with pytest.raises(Conflict, match="That step has ended"):
        await sessions.live_step(run.id, 0)
    with pytest.raises(Conflict, match="That step has ended"):
        await sessions.live_step(run.id + 100, 0)


async def test_the_opener_or_a_server_facilitator_leads_a_session(store: Store) -> None:
    sessions = SessionService(store, clock)
    session = await sessions.open(
        guild_id=GUILD, channel_id=CHANNEL, title="Circle", facilitator_id=FAY
    )
    assert leads(session, FAY, server_facilitator=False)  # opened it
    assert leads(session, ANA, server_facilitator=True)  # a facilitator role or Manage Server
    assert not leads(session, ANA, server_facilitator=False)


async def test_ending_twice_is_refused_and_a_buttons_session_must_be_open(store: Store) -> None:
    sessions = SessionService(store, clock)
    session = await sessions.open(
        guild_id=GUILD, channel_id=CHANNEL, title="Circle", facilitator_id=FAY
    )
    assert (await sessions.open_by_id(session.id)).id == session.id
    summary = await sessions.end(session, "en")
    assert summary.session.id == session.id and summary.session.status != "open"
    with pytest.raises(Conflict, match="This session has already been ended"):
        await sessions.end(session, "en")
    with pytest.raises(Conflict, match="That session has ended"):
        await sessions.open_by_id(session.id)
    with pytest.raises(NotFound, match="no longer exists"):
        await sessions.open_by_id(session.id + 99)


async def test_a_run_is_found_by_its_session_and_a_buttons_step_must_still_be_live(
    store: Store,
) -> None:
    sessions = SessionService(store, clock)
    runner = Runner(store, clock, step_handlers())
    session = await sessions.open(
        guild_id=GUILD, channel_id=CHANNEL, title="Circle", facilitator_id=FAY
    )
    with pytest.raises(NotFound, match="Start one with /activity start"):
        await runner.running(session.id)
    update = await runner.start(session.id, Activity.model_validate(ACTIVITY))
    run = await runner.running(session.id)
    assert run.id == update.run.id
    assert (await runner.live_at(session.id, run.id, 0)).id == run.id
    assert runner.step_as(run, PromptStep).title == "One"
    with pytest.raises(Conflict, match="That step has ended"):
        runner.step_as(run, RoundStep)
    for run_id, index in ((run.id, 1), (run.id + 1, 0)):
        with pytest.raises(Conflict, match="That step has ended"):
            await runner.live_at(session.id, run_id, index)

"""After a check-in answer, without Discord: the note, sharing, and "Let the facilitator know"
told once per member and session, also after a restart and between two processes on one
database. A real store on each engine (tests/conftest.py's `store`)."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.checkin_extras import Tell, Told
from bot.core.checkin_service import CheckinService
from bot.core.checkins import DEFAULT_NOTE_MAX, scale_of
from bot.core.errors import Conflict, NotFound
from bot.core.runner import Runner
from bot.core.steps import step_handlers
from bot.records.sessions import SessionRecord
from bot.settings import CheckinSettings
from bot.store.store import Store
from tests.core.checkin_setup import GUILD, clock, start_run
from tests.engines import TestDatabase, rows_outside

FACILITATOR, ANA, BEN = 9, 1, 2  # start_run's session is led by 9


async def test_a_step_answer_takes_a_note_only_if_its_step_asks(
    store: Store, runner: Runner, service: CheckinService
) -> None:
    run_id = await start_run(store, runner)
    await service.set_consent(GUILD, 1, True, "ana")
    at_step = await service.answer_step(run_id, 0, 1, 7)
    assert at_step.record is not None
    scale, _, allowed = await service.extras.scale_and_note(at_step.record)
    assert (scale.kind, allowed) == ("0-10", False)  # the step has no `note: optional`
    now = await service.answer_now(GUILD, 1, scale_of("1-5"), 3, None, None)
    assert now.record is not None
    scale, limit, allowed = await service.extras.scale_and_note(now.record)
    assert (scale.kind, limit, allowed) == ("1-5", DEFAULT_NOTE_MAX, True)


async def test_a_note_is_refused_where_the_step_takes_none_and_an_answer_is_shared_once(
    store: Store, runner: Runner, service: CheckinService
) -> None:
    run_id = await start_run(store, runner)
    await service.set_consent(GUILD, 1, True, "ana")
    at_step = await service.answer_step(run_id, 0, 1, 7)
    assert at_step.record is not None
    with pytest.raises(Conflict, match="This check-in doesn't ask for a note"):
        await service.extras.own_with_note(at_step.record.id, 1)
    now = await service.answer_now(GUILD, 1, scale_of("1-5"), 3, None, None)
    assert now.record is not None
    record, limit = await service.extras.own_with_note(now.record.id, 1)
    assert (record.id, limit) == (now.record.id, DEFAULT_NOTE_MAX)
    shared, scale = await service.extras.share(at_step.record.id, 1)
    assert shared.shared and shared.value == 7 and scale.kind == "0-10"
    with pytest.raises(Conflict, match="You've already shared this answer with the group"):
        await service.extras.share(at_step.record.id, 1)


# ------------------------------------------------------------ telling the facilitator


class Facilitator:
    """The direct messages a `tell` sends: who they were about; `reach` False: DMs closed."""

    def __init__(self, reach: bool = True) -> None:
        self.reach = reach
        self.told: list[int] = []
        self.hold: asyncio.Event | None = None  # set: a message waits for it before it goes

    def tell_about(self, user_id: int) -> Tell:
        async def tell(session: SessionRecord) -> bool:
            assert session.facilitator_id == FACILITATOR
            if self.hold is not None:
                await self.hold.wait()
            if self.reach:
                self.told.append(user_id)
            return self.reach

        return tell


async def session_of(store: Store, run_id: int) -> int:
    run = await store.runs.get(run_id)
    assert run is not None
    return run.session_id


async def marks(engine: TestDatabase) -> list[tuple[object, ...]]:
    return await rows_outside(
        engine, "SELECT session_id, user_id, told_at IS NOT NULL FROM facilitator_tells"
    )


async def test_the_facilitator_is_told_once_and_never_about_themselves(
    store: Store, runner: Runner, service: CheckinService, engine: TestDatabase
) -> None:
    sid = await session_of(store, await start_run(store, runner))
    fran = Facilitator()
    extras = service.extras
    assert await extras.tell_facilitator(sid, ANA, fran.tell_about(ANA)) is Told.TOLD
    assert await extras.tell_facilitator(sid, ANA, fran.tell_about(ANA)) is Told.ALREADY
    assert await extras.tell_facilitator(sid, BEN, fran.tell_about(BEN)) is Told.TOLD
    here = await extras.tell_facilitator(sid, FACILITATOR, fran.tell_about(FACILITATOR))
    assert here is Told.FACILITATOR_HERE
    assert fran.told == [ANA, BEN]
    assert sorted(await marks(engine)) == [(sid, ANA, True), (sid, BEN, True)]
    with pytest.raises(NotFound, match="That session no longer exists"):
        await extras.tell_facilitator(sid + 1000, ANA, fran.tell_about(ANA))


async def test_a_message_that_did_not_reach_them_is_not_kept(
    store: Store, runner: Runner, service: CheckinService, engine: TestDatabase
) -> None:
    sid = await session_of(store, await start_run(store, runner))
    closed = Facilitator(reach=False)
    assert await service.extras.tell_facilitator(sid, ANA, closed.tell_about(ANA)) is (
        Told.NOT_REACHED
    )
    assert await marks(engine) == []

    async def broken(session: SessionRecord) -> bool:
        raise RuntimeError("the gateway went away")

    with pytest.raises(RuntimeError):
        await service.extras.tell_facilitator(sid, ANA, broken)
    assert await marks(engine) == []
    # DMs open now: trying again does reach them.
    fran = Facilitator()
    assert await service.extras.tell_facilitator(sid, ANA, fran.tell_about(ANA)) is Told.TOLD
    assert fran.told == [ANA]


async def test_a_forgotten_facilitator_has_nobody_told_in_their_place(
    store: Store, runner: Runner, service: CheckinService, engine: TestDatabase
) -> None:
    sid = await session_of(store, await start_run(store, runner))
    await store.privacy.forget(GUILD, FACILITATOR, now=50.0)
    tried: list[SessionRecord] = []

    async def tell(session: SessionRecord) -> bool:
        tried.append(session)  # the live side logs that nobody was contacted, and says False
        return False

    assert await service.extras.tell_facilitator(sid, ANA, tell) is Told.NO_FACILITATOR
    assert [s.has_facilitator for s in tried] == [False]
    assert await marks(engine) == []


def service_on(store: Store) -> CheckinService:
    """Another process's check-in service on the same database."""
    return CheckinService(store, clock, Runner(store, clock, step_handlers()), CheckinSettings())


async def test_a_restart_does_not_tell_twice_and_forget_erases_the_mark(
    store: Store, runner: Runner, service: CheckinService, engine: TestDatabase
) -> None:
    sid = await session_of(store, await start_run(store, runner))
    fran = Facilitator()
    assert await service.extras.tell_facilitator(sid, ANA, fran.tell_about(ANA)) is Told.TOLD
    await store.close()
    restarted = Store(engine.url)  # a new process: nothing of the old one's memory
    await restarted.open()
    try:
        extras = service_on(restarted).extras
        assert await extras.tell_facilitator(sid, ANA, fran.tell_about(ANA)) is Told.ALREADY
        assert fran.told == [ANA]
        # /forget erases the mark with the rest of the member's data: asked again, told again.
        await restarted.privacy.forget(GUILD, ANA, now=60.0)
        assert await marks(engine) == []
        assert await extras.tell_facilitator(sid, ANA, fran.tell_about(ANA)) is Told.TOLD
        assert fran.told == [ANA, ANA]
    finally:
        await restarted.close()
        await store.open()  # the fixture closes it


async def test_two_processes_on_one_database_tell_once(
    store: Store, runner: Runner, engine: TestDatabase
) -> None:
    sid = await session_of(store, await start_run(store, runner))
    other = Store(engine.url)
    await other.open()
    try:
        fran = Facilitator()
        fran.hold = asyncio.Event()  # whoever claims first waits here: the other is refused
        presses = [
            asyncio.create_task(s.extras.tell_facilitator(sid, ANA, fran.tell_about(ANA)))
            for s in (service_on(store), service_on(other))
        ]
        done, waiting = await asyncio.wait(presses, return_when=asyncio.FIRST_COMPLETED)
        assert [press.result() for press in done] == [Told.ALREADY]
        fran.hold.set()
        assert await asyncio.gather(*waiting) == [Told.TOLD]
        assert fran.told == [ANA]
        assert await marks(engine) == [(sid, ANA, True)]
    finally:
        await other.close()

"""BoardService without Discord, on a real store (both engines): the board's facts, a step's
answers with their authors' names, the board posted once (claimed as a compare-and-set,
released when the post failed, its id remembered) and a step card's message id."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.activities import Activity
from bot.core.boards import BoardService
from bot.core.runner import Runner
from bot.core.session import SessionService
from bot.core.steps import step_handlers
from bot.records.sessions import NewContribution
from bot.store.store import Store
from tests.core.test_session import ACTIVITY, ANA, CHANNEL, FAY, GUILD, clock

BEN = 12


@dataclass(frozen=True)
class Sent:
    """A posted message, as `post_once` sees one."""

    id: int


async def test_the_facts_are_who_is_here_their_names_and_the_live_run(store: Store) -> None:
    sessions, boards = SessionService(store, clock), BoardService(store, clock)
    session = await sessions.open(
        guild_id=GUILD, channel_id=CHANNEL, title="Circle", facilitator_id=FAY
    )
    await sessions.remember_name(GUILD, FAY, "Fay")
    await sessions.join(session, BEN, "Ben")
    await sessions.join(session, ANA, "Ana")
    idle = await boards.facts(session)
    assert idle.present == [BEN, ANA]  # in the order they joined
    assert idle.names == {BEN: "Ben", ANA: "Ana", FAY: "Fay"}
    assert idle.run is None and await boards.live_run(session.id) is None
    update = await Runner(store, clock, step_handlers()).start(
        session.id, Activity.model_validate(ACTIVITY)
    )
    running = await boards.facts(session)
    assert running.run is not None and running.run.id == update.run.id
    assert await boards.find(session.id) == session
    assert await boards.find(session.id + 100) is None


async def test_a_steps_answers_come_with_their_authors_names(store: Store) -> None:
    sessions, boards = SessionService(store, clock), BoardService(store, clock)
    session = await sessions.open(
        guild_id=GUILD, channel_id=CHANNEL, title="Circle", facilitator_id=FAY
    )
    await sessions.join(session, ANA, "Ana")
    update = await Runner(store, clock, step_handlers()).start(
        session.id, Activity.model_validate(ACTIVITY)
    )
    run_id = update.run.id
    for author in (ANA, None):  # a named answer and an anonymous one
        await store.contributions.add_with(
            NewContribution(
                run_id=run_id,
                step_index=0,
                author_id=author,
                kind="text",
                payload={"text": "hi"},
                replace=False,
            ),
            1.0,
        )
    answers = await boards.answers(session, run_id, 0)
    assert [c.author_id for c in answers.contributions] == [ANA, None]
    assert answers.names == {ANA: "Ana"}
    assert await boards.contributions(run_id, 0) == answers.contributions
    assert (await boards.answers(session, run_id, 1)).contributions == []


async def test_a_board_is_posted_once_released_when_refused_and_remembered(store: Store) -> None:
    sessions, boards = SessionService(store, clock), BoardService(store, clock)
    session = await sessions.open(
        guild_id=GUILD, channel_id=CHANNEL, title="Circle", facilitator_id=FAY
    )
    posts: list[int] = []

    async def refused() -> Sent | None:
        posts.append(0)
        return None

    async def posted() -> Sent | None:
        posts.append(500)
        return Sent(500)

    # Discord refused the first post: the claim is given back, so the next try may post.
    assert await boards.post_once(session, refused) is None
    assert await boards.post_once(session, posted) == Sent(500)
    assert posts == [0, 500]
    board = await sessions.get(session.id)
    assert board.board_message_id == 500
    # Another process that still saw no board: the compare-and-set fails, nothing is posted.
    assert await boards.post_once(session, posted) is None
    assert posts == [0, 500]
    # One that saw board 500 (found deleted) may post a new one, once.
    assert await boards.post_once(board, lambda: _sent(501)) == Sent(501)
    assert await boards.post_once(board, posted) is None
    assert (await sessions.get(session.id)).board_message_id == 501


async def _sent(message_id: int) -> Sent | None:
    return Sent(message_id)


async def test_a_step_cards_message_id_is_remembered(store: Store) -> None:
    sessions, boards = SessionService(store, clock), BoardService(store, clock)
    session = await sessions.open(
        guild_id=GUILD, channel_id=CHANNEL, title="Circle", facilitator_id=FAY
    )
    update = await Runner(store, clock, step_handlers()).start(
        session.id, Activity.model_validate(ACTIVITY)
    )
    assert update.run.step_message_id is None
    await boards.step_posted(update.run.id, 4242)
    run = await boards.live_run(session.id)
    assert run is not None and run.step_message_id == 4242

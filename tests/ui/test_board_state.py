"""What the board shows, gathered from the store and the runner: who is present, the live
step and who answered it (the facilitator counted only when they take part), and the fields a
presenter adds (a round: who has the floor)."""

from __future__ import annotations

from bot.ui.board_state import gather_board_state
from tests.cogs.test_session_flow import board, open_session
from tests.conftest import World, find_message


async def test_an_open_session_without_an_activity_shows_who_is_present(world: World) -> None:
    bot = world.bot()
    await open_session(world)
    ana = world.members[0]
    await ana.click(board(world), label="Join")
    session = await bot.sessions.in_channel(world.channel.id)
    now = bot.clock().timestamp()
    state = await gather_board_state(bot, bot.live.presenters, session, "en", now)
    assert state.run is None and state.step_kind == "" and state.now == now
    assert ana.id in state.present and state.names[ana.id]
    assert state.closed is None and state.locale == "en"


async def test_a_prompt_takes_no_answers_so_none_are_counted(world: World) -> None:
    """`prompt` declares `answered=False`: the board's state has no count of answers for it."""
    bot = world.bot()
    await open_session(world)
    await world.members[0].click(board(world), label="Join")
    await world.facilitator.slash(world.channel, "activity start", activity="test-round")
    await world.facilitator.click(board(world), label="Next")  # the round, then a prompt
    session = await bot.sessions.in_channel(world.channel.id)
    state = await gather_board_state(bot, bot.live.presenters, session, "en", 0.0)
    assert state.step_kind == "prompt" and state.answered is None


async def test_a_round_shows_its_step_who_answered_and_who_has_the_floor(world: World) -> None:
    bot = world.bot()
    await open_session(world)
    for person in world.members:
        await person.click(board(world), label="Join")
    await world.facilitator.slash(world.channel, "activity start", activity="test-round")
    session = await bot.sessions.in_channel(world.channel.id)
    now = bot.clock().timestamp()
    state = await gather_board_state(bot, bot.live.presenters, session, "en", now)
    assert state.run is not None and state.step_kind == "round"
    assert state.step_count >= 1 and state.activity_title
    # Three members present; the facilitator leads and hasn't joined, so is not expected.
    assert (state.answered, state.expected) == (0, len(world.members))
    assert [name for name, _value in state.step_fields] == ["Round"]
    assert "has the floor" in state.step_fields[0][1]


async def test_a_reflect_step_counts_whoever_answered_and_adds_no_fields(world: World) -> None:
    # The reflect presenter keeps `BasePresenter`'s board hooks: no fields of its own, and the
    # board counts whoever contributed.
    bot = world.bot()
    await open_session(world)
    for person in world.members:
        await person.click(board(world), label="Join")
    await world.facilitator.slash(world.channel, "activity start", activity="test-flow")
    await world.facilitator.click(board(world), label="Next")
    ana = world.members[0]
    shown = await ana.click(find_message(world.channel, "One word"), label="Reflect")
    assert shown.modal is not None
    await ana.submit_modal(shown, {"answer": "hopeful"})
    session = await bot.sessions.in_channel(world.channel.id)
    state = await gather_board_state(
        bot, bot.live.presenters, session, "en", bot.clock().timestamp()
    )
    assert state.step_kind == "reflect" and state.step_fields == ()
    assert (state.answered, state.expected) == (1, len(world.members))

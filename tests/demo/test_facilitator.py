"""The demo's facilitator in the simulated server (bot/demo/facilitator.py): finding the board
and the cards, the running step read from the bot's record, Next pressed on the board, and a
session opened again over one left open."""

from __future__ import annotations

from bot.demo.facilitator import (
    board,
    current_step,
    find_embed,
    open_session,
    press_next,
    review_and_release,
)
from bot.demo.script import LIVE_TITLE
from bot.demo.world import DemoWorld


async def test_the_board_is_found_by_its_title_and_nothing_else_is(world: DemoWorld) -> None:
    shown = board(world, LIVE_TITLE)
    assert shown is not None and shown.embeds
    found = find_embed(world, LIVE_TITLE)
    assert found is not None and found.id == shown.id
    assert find_embed(world, "no such card") is None
    assert find_embed(world, LIVE_TITLE, after=shown.id) is None  # only newer messages


async def test_next_on_the_board_moves_the_running_step(world: DemoWorld) -> None:
    assert await current_step(world) is None  # a session, no activity yet
    await world.facilitator.slash(world.channel, "activity start", activity="go-around")
    assert await current_step(world) == 1
    await press_next(world, "a board that isn't there")  # nothing to press
    assert await current_step(world) == 1
    await press_next(world, LIVE_TITLE)
    assert await current_step(world) == 2
    # No reviewed reflection here: nothing to review.
    assert await review_and_release(world, "no such card") is None


async def test_a_session_left_open_is_ended_before_the_next_opens(world: DemoWorld) -> None:
    first = await world.bot.sessions.find_in_channel(world.channel.id)
    await open_session(world, "Second circle")
    second = await world.bot.sessions.find_in_channel(world.channel.id)
    assert first is not None and second is not None and second.id != first.id
    assert board(world, "Second circle") is not None

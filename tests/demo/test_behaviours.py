"""What the simulated members do, per custom id area, through the real bot: everyone joins
once from the board, and a check-in card is answered (or passed) by every member once."""

from __future__ import annotations

import random

from bot.demo.behaviours import BEHAVIOURS, check_in, join_session
from bot.demo.controls import controls_of
from bot.demo.reading import reading
from bot.demo.turn import CrowdState, Turn
from bot.demo.words import WORDS
from bot.demo.world import DemoWorld


def turns(world: DemoWorld, area: str, state: CrowdState) -> list[Turn]:
    message = world.channel.history()[-1]
    controls = [c for c in controls_of(message) if c.area == area]
    assert controls, f"no {area} controls on the newest message"
    return [
        Turn(state, member, message, controls, random.Random(member.id)) for member in world.members
    ]


def test_every_area_with_buttons_has_a_behaviour() -> None:
    assert {"board", "checkin", "reflect", "breathe", "react", "vote", "lyrics", "round"} <= set(
        BEHAVIOURS
    )


async def test_members_join_once_and_answer_a_checkin_once(world: DemoWorld) -> None:
    state = CrowdState(reading("en"), WORDS["en"])
    for turn in turns(world, "board", state):
        await join_session(turn)
    for turn in turns(world, "board", state):
        await join_session(turn)  # once: nobody clicks again
    assert state.actions == len(world.members)
    await world.facilitator.slash(world.channel, "activity start", activity="opening-checkin")
    session = await world.bot.store.sessions.open_in_channel(world.channel.id)
    assert session is not None
    run = await world.bot.store.runs.live_for_session(session.id)
    assert run is not None
    for turn in turns(world, "checkin", state):
        await check_in(turn)
    answered = [c.author_id for c in await world.bot.store.contributions.for_step(run.id, 0)]
    assert sorted(a for a in answered if a is not None) == sorted(m.id for m in world.members)
    # Who answered on the scale remembers their mood for the next check-in.
    assert any("mood" in state.memory.get(m.id, {}) for m in world.members)

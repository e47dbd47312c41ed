"""One member looking at one message: the first open control for an action, something done
once per member, seeded chances, and what each member remembers."""

from __future__ import annotations

import random

from bot.demo.controls import controls_of
from bot.demo.reading import reading
from bot.demo.turn import CrowdState, Turn
from bot.demo.words import WORDS
from bot.demo.world import DemoWorld


def turn_on_board(world: DemoWorld, state: CrowdState, who: int = 0, seed: int = 1) -> Turn:
    board = world.channel.history()[-1]
    controls = [c for c in controls_of(board) if c.area == "board"]
    return Turn(state, world.members[who], board, controls, random.Random(seed))


async def test_a_turn_finds_its_control_does_things_once_and_counts_its_clicks(
    world: DemoWorld,
) -> None:
    state = CrowdState(reading("en"), WORDS["en"])
    turn = turn_on_board(world, state)
    join = turn.first("join")
    assert join is not None and join.args[0] == "join"
    assert turn.first("no-such-action") is None
    assert turn.once("board", 41) and not turn.once("board", 41)
    assert turn.marked == [(world.members[0].id, "board", 41)]
    # Another member has their own "once".
    assert turn_on_board(world, state, who=1).once("board", 41)
    await turn.click(join)
    assert state.actions == 1
    session = await world.bot.store.sessions.open_in_channel(world.channel.id)
    assert session is not None
    assert world.members[0].id in {
        a.user_id for a in await world.bot.store.sessions.present(session.id)
    }


def test_chances_come_from_the_turns_seed_and_memory_is_per_member(world: DemoWorld) -> None:
    state = CrowdState(reading("en"), WORDS["en"])
    first = [turn_on_board(world, state, seed=5).chance(0.5) for _ in range(3)]
    again = [turn_on_board(world, state, seed=5).chance(0.5) for _ in range(3)]
    assert first == again
    turn_on_board(world, state).memory["mood"] = 0.6
    assert turn_on_board(world, state).memory == {"mood": 0.6}
    assert turn_on_board(world, state, who=1).memory == {}

"""The simulated members as a crowd, on the demo's world (the real bot on simcord): scripted
runs act at once and count every action, a member acts only in the areas given, and each acts
once on a message however often the crowd looks."""

from __future__ import annotations

from bot.demo.crowd import Crowd
from bot.demo.world import DemoWorld


async def present(world: DemoWorld) -> set[int]:
    session = await world.bot.store.sessions.open_in_channel(world.channel.id)
    assert session is not None
    return {a.user_id for a in await world.bot.store.sessions.present(session.id)}


async def test_a_scripted_crowd_acts_at_once_and_counts_each_action_once(world: DemoWorld) -> None:
    crowd = Crowd(world.channel, world.members, strict=True)
    board = world.channel.history()[-1]
    assert crowd.due(world.members[0], board, "board") == float("-inf")  # no pace: at once
    assert await crowd.settle() == len(world.members) == crowd.actions
    assert {m.id for m in world.members} <= await present(world)
    # Looking again changes nothing: each member joined once.
    assert await crowd.settle() == 0 and crowd.actions == len(world.members)


async def test_a_member_acts_only_in_the_areas_given(world: DemoWorld) -> None:
    *joining, writer = world.members
    crowd = Crowd(world.channel, joining, strict=True)
    crowd.add(writer, areas={"lyrics"})
    await crowd.settle()
    here = await present(world)
    assert {m.id for m in joining} <= here and writer.id not in here


async def test_a_paced_member_acts_after_their_own_delay_from_the_post(world: DemoWorld) -> None:
    now = world.env.now().timestamp()
    crowd = Crowd(world.channel, world.members, pace=(2.0, 4.0), clock=lambda: now)
    board = world.channel.history()[-1]
    seen = (board.edited_at or board.created_at).timestamp()
    delays = [crowd.due(m, board, "board") - seen for m in world.members]
    assert all(2.0 <= d <= 4.0 for d in delays), delays
    # The same seed gives the same delays; writing takes longer than a tap.
    again = Crowd(world.channel, world.members, pace=(2.0, 4.0))
    assert [again.due(m, board, "board") - seen for m in world.members] == delays
    assert crowd.due(world.members[0], board, "lyrics") - seen >= 6.0

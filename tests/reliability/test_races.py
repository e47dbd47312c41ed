"""Area 7: races. simcord forbids overlapping actor operations ("operation overlaps active
click"), so the simultaneous actions drive the same service calls the cogs make, concurrently
with asyncio.gather, inside a running simcord bot; the results are then checked through the
store and through members' clicks."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from bot.core.errors import Conflict, NotFound, UserFacingError
from bot.core.lyric_turns import current_writer
from tests.cogs.test_session_flow import board, open_session
from tests.conftest import World, find_message
from tests.responses import reply_to

N = 50


async def joined_crowd(world: World) -> tuple[Any, list[int]]:
    """Open a session and have N members press Join at the same moment (the cog's calls)."""
    bot = world.bot()
    await open_session(world)
    session = await bot.sessions.in_channel(world.channel.id)
    people = [world.guild.add_member(world.env.create_user(f"p{i:02}")) for i in range(N)]

    async def join(member: Any) -> bool:  # bot.cogs.attendance.join without the reply
        await bot.store.members.remember_name(session.guild_id, member.id, member.name)
        return await bot.sessions.join(session, member.id)

    newly = await asyncio.gather(*(join(p) for p in people), *(join(p) for p in people[:10]))
    assert sum(newly) == N, "each member joins once; the repeated clicks are 'already'"
    return session, [p.id for p in people]


async def test_fifty_simultaneous_joins(world: World) -> None:
    bot = world.bot()
    session, ids = await joined_crowd(world)
    rows = await bot.store.sessions.attendance(session.id)
    users = [r.user_id for r in rows]
    assert len(users) == len(set(users)) == N + 1  # the facilitator joined at start
    assert set(ids) <= set(users)
    again = await world.members[0].click(board(world), label="Join")
    assert "You've joined" in reply_to(again).content
    bot.live.request_board(session.id)
    await world.env.settle()
    assert f"{N + 2}" in str(board(world).embeds[0].to_dict())
    print(
        f"races: {N} simultaneous joins (+10 repeats) -> {len(rows)} attendance rows, 0 duplicates"
    )


async def test_fifty_simultaneous_lines_on_one_turn(world: World) -> None:
    bot = world.bot()
    session, ids = await joined_crowd(world)
    await world.facilitator.slash(world.channel, "activity start", activity="test-write-circle")
    run = await bot.runner.live_run(session.id)
    assert run is not None
    present = [a.user_id for a in await bot.store.sessions.present(session.id)]
    holder = current_writer(json.loads(run.step_state), present)
    assert holder is not None
    run_id = run.id

    async def line(user: int, n: int) -> str:
        try:
            await bot.runner.contribute(
                run_id, 0, user, "line", {"text": f"line from {user} {n}", "writer": user}
            )
        except Conflict:
            return "refused"
        return "accepted"

    # Everyone present writes at once, the turn holder included.
    crowd = await asyncio.gather(*(line(u, 0) for u in [*ids[: N - 1], holder]))
    assert crowd.count("accepted") == 1
    # The next turn holder double-submits 50 times at once: one line, not fifty.
    run = await bot.runner.live_run(session.id)
    assert run is not None
    holder2 = current_writer(json.loads(run.step_state), present)
    assert holder2 is not None and holder2 != holder
    same = await asyncio.gather(*(line(holder2, n) for n in range(N)))
    assert same.count("accepted") == 1
    lines = [c for c in await bot.store.contributions.for_step(run.id, 0) if c.kind == "line"]
    assert [c.author_id for c in lines] == [holder, holder2]
    print(
        f"races: {N} simultaneous lines from {N} members on one turn -> "
        f"{crowd.count('accepted')} accepted; {N} at once from the turn holder -> "
        f"{same.count('accepted')} accepted"
    )


async def test_double_clicked_next_advances_once(world: World) -> None:
    bot = world.bot()
    await open_session(world)
    await world.facilitator.slash(world.channel, "activity start", activity="test-flow")
    session = await bot.sessions.in_channel(world.channel.id)
    run = await bot.runner.live_run(session.id)
    assert run is not None
    tries = 10
    updates = await asyncio.gather(*(bot.runner.advance(run.id, 0) for _ in range(tries)))
    moved = [u for u in updates if u is not None]
    assert len(moved) == 1
    for update in moved:
        await bot.live.apply(update)
    run = await bot.runner.live_run(session.id)
    assert run is not None and run.step_index == 1
    # The board's Next (what a second click does when the first has moved on).
    find_message(world.channel, "One word")
    print(f"races: {tries} simultaneous Next -> advanced {len(moved)} step")


async def test_two_facilitators_end_at_once(world: World) -> None:
    bot = world.bot()
    await open_session(world)
    await world.facilitator.slash(world.channel, "activity start", activity="test-flow")
    session = await bot.sessions.in_channel(world.channel.id)

    async def end_like_the_cog() -> str:  # SessionsCog.end, without the interaction
        try:
            run = await bot.runner.live_run(session.id)
            if run is not None:
                try:
                    update = await bot.runner.stop(run.id)
                except NotFound:
                    pass
                else:
                    await bot.live.apply(update)
            await bot.sessions.end(session, "en")
        except UserFacingError as refusal:  # the second to end is refused (Conflict)
            return f"refused: {refusal.message}"
        return "summary"

    outcomes = await asyncio.gather(end_like_the_cog(), end_like_the_cog())
    assert sorted(outcomes) == ["refused: This session has already been ended.", "summary"], (
        outcomes
    )
    ended = await bot.store.sessions.get(session.id)
    assert ended is not None and ended.status == "ended"
    runs = await bot.store.runs.for_session(session.id)
    assert [r.state for r in runs] == ["stopped"]
    stopped_notes = [m for m in world.channel.history() if "was stopped" in (m.content or "")]
    assert len(stopped_notes) == 1
    late = await world.facilitator.slash(world.channel, "session end")
    assert late.ephemeral and "no open session" in reply_to(late).content.lower()
    print(f"races: 2 facilitators end at once -> {outcomes.count('summary')} summary ({outcomes})")

"""Restarts: a new bot on the same database resumes every session where it was."""

from __future__ import annotations

from bot.core.activities import Catalog
from bot.settings import Settings
from tests.cogs.test_session_flow import board, open_session
from tests.conftest import World, find_message, restart
from tests.responses import reply_to


def messages_with(world: World, title: str) -> int:
    return sum(
        1
        for m in world.channel.history()
        for e in m.embeds
        if title in (e.title or "") or title in (e.author.name or "")
    )


async def test_board_buttons_work_after_restart(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    await open_session(world)
    await restart(world, settings, catalog)
    joined = await world.members[0].click(board(world), label="Join")
    assert "You've joined" in reply_to(joined).content
    bot = world.bot()
    assert [a.user_id for a in await bot.store.sessions.present(1)] == [
        world.facilitator.id,
        world.members[0].id,
    ]
    assert messages_with(world, "Tuesday circle") == 1


async def test_deadline_is_honoured_across_restart(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    await open_session(world)
    await world.facilitator.slash(world.channel, "activity start", activity="test-flow")
    await world.facilitator.click(board(world), label="Next")  # reflect, auto, 60 s
    await world.env.advance_time(20)
    await restart(world, settings, catalog)
    assert messages_with(world, "Breathe together") == 0
    # The step's buttons still work after the restart.
    reflect = find_message(world.channel, "One word")
    shown = await world.members[1].click(reflect, label="Reflect")
    saved = await world.members[1].submit_modal(shown, {"answer": "steady"})
    assert "saved" in reply_to(saved).content
    await world.env.advance_time(41)
    assert messages_with(world, "Breathe together") == 1
    assert messages_with(world, "One word") == 1
    contributions = await world.bot().store.contributions.for_step(1, 1)
    assert [c.payload["text"] for c in contributions] == ["steady"]


async def test_expired_while_down_fires_at_once(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    await open_session(world)
    await world.facilitator.slash(world.channel, "activity start", activity="test-flow")
    await world.facilitator.click(board(world), label="Next")
    fresh = await restart(world, settings, catalog)
    # Simulate downtime longer than the step: move the stored deadline into the past.
    run = await fresh.store.runs.live_for_session(1)
    assert run is not None
    await fresh.store.runs.update(run.id, run.step_index, step_deadline=0.0, wake_at=0.0)
    await restart(world, settings, catalog)
    assert messages_with(world, "Breathe together") == 1


async def test_paused_run_stays_paused_with_its_time_left(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    await open_session(world)
    await world.facilitator.slash(world.channel, "activity start", activity="test-flow")
    await world.facilitator.click(board(world), label="Next")
    await world.env.advance_time(15)
    await world.facilitator.click(board(world), label="Pause")
    await restart(world, settings, catalog)
    await world.env.advance_time(600)
    assert messages_with(world, "Breathe together") == 0
    resumed = await world.facilitator.click(board(world), label="Resume")
    assert "Resumed" in reply_to(resumed).content
    run = await world.bot().store.runs.live_for_session(1)
    assert run is not None and run.step_deadline is not None
    now = world.bot().clock().timestamp()
    assert abs(run.step_deadline - now - 45) < 1
    await world.env.advance_time(46)
    assert messages_with(world, "Breathe together") == 1

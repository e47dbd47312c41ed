"""The live side of sessions through the real bot (`bot.live`, a `LiveSessions`): what follows a
member's saved part at a step, `after_contribution`, the one path every step's cog takes."""

from __future__ import annotations

from tests.cogs.test_session_flow import board, open_session
from tests.conftest import World, find_message


def titles(world: World) -> list[str]:
    """The titles of every embed posted in the world's channel, oldest first."""
    return [e.title or "" for m in world.channel.history() for e in m.embeds]


async def test_after_a_contribution_the_board_is_edited_and_a_finished_step_moves_on(
    world: World,
) -> None:
    bot = world.bot()
    await open_session(world, joining=world.members)
    await world.facilitator.slash(world.channel, "activity start", activity="test-flow")
    await world.facilitator.click(board(world), label="Next")  # One word (reflect)
    await world.facilitator.click(board(world), label="Next")  # Breathe together
    session = await bot.sessions.in_channel(world.channel.id)
    run = await bot.runner.live_run(session.id)
    assert run is not None and bot.runner.step(run).title == "Breathe together"

    refreshes = bot.live.board_refreshes
    ana, ben, cai = world.members
    await world.env.settle()
    before = refreshes.runs
    first = await bot.runner.contribute(run.id, run.step_index, ana.id, "done", {})
    await world.env.settle()
    # Saved, but nothing shown yet: the contribution alone asks for no board edit.
    assert first.update is None and refreshes.runs == before

    # The step goes on (no update): only the board's edit, for its count.
    await bot.live.after_contribution(session.id, first.update)
    await world.env.settle()
    assert refreshes.runs == before + 1
    assert "Closing words" not in titles(world)

    # The last part ends the auto step: every update handed over is shown, a None among them
    # (the step going on) skipped.
    second = await bot.runner.contribute(run.id, run.step_index, ben.id, "done", {})
    last = await bot.runner.contribute(run.id, run.step_index, cai.id, "done", {})
    assert second.update is None and last.update is not None
    await bot.live.after_contribution(session.id, second.update, last.update)
    await world.env.settle()
    assert refreshes.runs > before + 1
    assert find_message(world.channel, "Breathe together").embeds[0].footer.text == (
        "This step has ended."
    )
    assert find_message(world.channel, "Closing words").embeds
    moved = await bot.runner.live_run(session.id)
    assert moved is not None and bot.runner.step(moved).title == "Closing words"

"""bot/ui/live.py, the live side of sessions, called directly on a real bot through simcord:
presenters by kind and by class, scene sources, observers of run updates, step cards posted
again after a restart, a session whose channel is gone, and `after_contribution`, what follows
a member's saved part at a step (the one path every step's cog takes)."""

from __future__ import annotations

import pytest

from bot.core.run_updates import RunUpdate
from bot.records.sessions import RunRecord, SessionRecord
from bot.ui.live import LiveSessions
from bot.ui.steps.listen import ListenPresenter
from bot.ui.steps.prompt import PromptPresenter
from bot.ui.steps.reflect import ReflectPresenter
from tests.cogs.test_session_flow import board, open_session
from tests.conftest import World, find_message


async def started(world: World) -> tuple[SessionRecord, RunRecord]:
    """An open session running test-flow at its first step (a prompt)."""
    bot = world.bot()
    await open_session(world)
    await world.facilitator.slash(world.channel, "activity start", activity="test-flow")
    session = await bot.sessions.in_channel(world.channel.id)
    assert session is not None
    run = await bot.runner.live_run(session.id)
    assert run is not None and run.step_index == 0
    return session, run


def step_cards(world: World, title: str) -> int:
    return sum(1 for m in world.channel.history() for e in m.embeds if title in (e.title or ""))


async def test_presenters_are_found_by_kind_and_by_class(world: World) -> None:
    live = world.bot().live
    assert isinstance(live, LiveSessions)
    assert isinstance(live.presenter("prompt"), PromptPresenter)
    assert live.presenter_of(ListenPresenter) is live.presenter("listen")
    with pytest.raises(KeyError):
        live.presenter("no-such-kind")

    class Unused(ReflectPresenter):
        """A presenter class no kind uses."""

    with pytest.raises(KeyError, match="Unused"):
        live.presenter_of(Unused)


async def test_a_scene_carries_what_its_kinds_source_gathered(world: World) -> None:
    live = world.bot().live
    session, run = await started(world)
    asked: list[tuple[int, int, int]] = []

    async def source(s: SessionRecord, r: RunRecord, index: int) -> object:
        asked.append((s.id, r.id, index))
        return "gathered"

    scene = await live.scene(session, run, 1)
    assert scene.prepared is None and scene.step.title == "One word"
    live.add_scene_source(PromptPresenter, source)
    scene = await live.scene(session, run, 0)
    assert scene.prepared == "gathered" and scene.step_index == 0 and scene.locale == "en"
    assert asked == [(session.id, run.id, 0)]
    assert (await live.scene(session, run, 1)).prepared is None  # another kind: no source
    with pytest.raises(IndexError):
        await live.scene(session, run, 99)


async def test_an_observer_hears_each_update_once_it_is_shown(world: World) -> None:
    live = world.bot().live
    heard: list[tuple[int | None, int | None, int]] = []

    class Observer:
        async def after_update(self, session: SessionRecord, update: RunUpdate) -> None:
            # The entered step's card is in the channel by then.
            heard.append((update.exited_step, update.entered_step, step_cards(world, "One word")))

    live.add_observer(Observer())
    await started(world)
    assert heard == [(None, 0, 0)]  # the start itself
    await world.facilitator.click(board(world), label="Next")
    assert heard == [(None, 0, 0), (0, 1, 1)]


async def test_a_step_card_lost_in_a_crash_is_posted_again_on_resume(world: World) -> None:
    bot = world.bot()
    session, run = await started(world)
    assert step_cards(world, "Arrive") == 1
    await bot.store.runs.set_step_message(run.id, None)  # as if the post never completed
    await bot.live.resume_all(only=lambda guild_id: guild_id != session.guild_id)
    assert step_cards(world, "Arrive") == 1  # another server's: left alone
    await bot.live.resume_all()
    assert step_cards(world, "Arrive") == 2
    again = await bot.runner.live_run(session.id)
    assert again is not None and again.step_message_id == find_message(world.channel, "Arrive").id


async def test_a_redraw_edits_the_card_in_place(world: World) -> None:
    bot = world.bot()
    session, run = await started(world)
    card = find_message(world.channel, "Arrive")
    before = len(world.channel.history())
    await bot.live.redraw_step(session, run)
    assert len(world.channel.history()) == before
    assert find_message(world.channel, "Arrive").id == card.id


async def test_a_gone_channel_ends_its_session(world: World) -> None:
    bot = world.bot()
    session, _run = await started(world)
    await bot.live.channel_gone(session)
    ended = await bot.sessions.get(session.id)
    assert ended is not None and ended.status == "ended"
    assert await bot.runner.live_run(session.id) is None


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

"""The whole path a facilitator and members take through a session, through simcord."""

from __future__ import annotations

import discord
import pytest

# open_session is imported from here by other modules: kept as an explicit re-export.
from tests.conftest import World, find_message
from tests.conftest import open_session as open_session
from tests.responses import fields_of, reply_to


def board(world: World) -> discord.Message:
    return find_message(world.channel, "Tuesday circle")


async def test_full_session_path(world: World) -> None:
    bot = world.bot()
    ana, ben, cai = world.members
    await open_session(world)
    b = board(world)
    assert "Press **Join**" in (b.embeds[0].description or "")

    joined = await ana.click(b, label="Join")
    assert joined.ephemeral and "You've joined" in reply_to(joined).content
    again = await ana.click(board(world), label="Join")
    assert "already" in reply_to(again).content
    result = await ben.slash(world.channel, "session join")
    assert "You've joined" in reply_to(result).content

    # Members cannot drive the activity.
    refused = await ana.slash(world.channel, "activity start", activity="test-flow")
    assert refused.ephemeral and "Only facilitators" in reply_to(refused).content

    started = await world.facilitator.slash(world.channel, "activity start", activity="test-flow")
    assert "Starting **Test flow**" in reply_to(started).content
    prompt = find_message(world.channel, "Arrive")
    assert "Settle in" in (prompt.embeds[0].description or "")

    refused = await ana.click(board(world), label="Next")
    assert refused.ephemeral and "Only facilitators" in reply_to(refused).content

    moved = await world.facilitator.click(board(world), label="Next")
    assert "Step 2 of 4" in reply_to(moved).content
    reflect = find_message(world.channel, "One word")

    shown = await ana.click(reflect, label="Reflect")
    assert shown.modal is not None
    saved = await ana.submit_modal(shown, {"answer": "hopeful"})
    assert "saved" in reply_to(saved).content

    # Time runs out on the auto step: it moves on by itself (virtual time).
    await world.env.advance_time(61)
    breathe = find_message(world.channel, "Breathe together")
    assert "Breathe in for **4 s**" in (breathe.embeds[0].description or "")

    # Everyone present presses Done: the auto step completes without waiting.
    for person in (world.facilitator, ana, ben):
        await person.click(breathe, label="Done")
    closing = find_message(world.channel, "Closing words")
    assert closing is not None

    # Pause, extend and resume by the facilitator; a member is refused.
    assert "Only facilitators" in reply_to(await cai.slash(world.channel, "activity pause")).content
    await world.facilitator.slash(world.channel, "activity pause")
    run = await bot.store.runs.live_for_session(1)
    assert (
        run is not None
        and run.state == "paused"
        and run.paused_remaining == pytest.approx(120, abs=0.5)
    )
    await world.facilitator.slash(world.channel, "activity extend", minutes=2)
    await world.facilitator.slash(world.channel, "activity resume")
    run = await bot.store.runs.live_for_session(1)
    assert run is not None and run.state == "running"
    assert run.step_deadline is not None

    ended = await world.facilitator.slash(world.channel, "session end")
    assert not ended.ephemeral
    summary = reply_to(ended).embeds[0]
    fields = fields_of(summary)
    assert fields["Attendance"] == "3 people"
    assert "Test flow" in fields["Activities"]
    assert "reflections from fewer than 3 people" in fields["Contributions"]

    attendance = await bot.store.sessions.attendance(1)
    assert {a.user_id for a in attendance} == {world.facilitator.id, ana.id, ben.id}
    assert all(a.left_at is not None for a in attendance)


async def test_leave_and_stop_keep_the_session_open(world: World) -> None:
    bot = world.bot()
    ana = world.members[0]
    await open_session(world)
    await ana.slash(world.channel, "session join")
    left = await ana.click(board(world), label="Leave")
    assert "You've left" in reply_to(left).content
    assert "weren't in" in reply_to(await ana.slash(world.channel, "session leave")).content
    await world.facilitator.slash(world.channel, "activity start", activity="test-flow")
    assert "Only facilitators" in reply_to(await ana.click(board(world), label="Stop")).content
    stopped = await world.facilitator.click(board(world), label="Stop")
    assert "stopped" in reply_to(stopped).content
    assert await bot.runner.live_run(1) is None
    assert world.channel.last_message is not None
    assert "was stopped" in (world.channel.last_message.content or "")
    status = await ana.slash(world.channel, "session status")
    assert status.ephemeral and "No activity running" in str(reply_to(status).embeds[0].fields)
    rows = await bot.store.sessions.attendance(1)
    ana_rows = [r for r in rows if r.user_id == ana.id]
    assert len(ana_rows) == 1 and ana_rows[0].left_at is not None

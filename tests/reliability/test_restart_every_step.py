"""Area 2: a restart in the middle of every step type. After the restart the step resumes with
the time it had left, its buttons work, nothing is posted twice, and no contribution is lost."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.core.activities import Catalog
from bot.settings import Settings
from tests.cogs.test_session_flow import board, open_session
from tests.conftest import World, find_message, restart
from tests.responses import reply_to

LIMIT = 120  # every step of test-rel-every-step: 120 s, advance auto


def titled(world: World, title: str) -> int:
    return sum(1 for m in world.channel.history() for e in m.embeds if title in (e.title or ""))


async def write(world: World, member: Any, message: discord.Message, text: str) -> None:
    shown = await member.click(message, label="Write my line")
    saved = await member.submit_modal(shown, {"line": text})
    assert "Your line is added" in reply_to(saved).content, reply_to(saved).content


async def reflect(world: World, member: Any, message: discord.Message, text: str) -> None:
    shown = await member.click(message, label="Reflect")
    saved = await member.submit_modal(shown, {"answer": text})
    assert "saved" in reply_to(saved).content, reply_to(saved).content


Act = Callable[[World, Any, discord.Message], Awaitable[None]]


async def checkin_pass(world: World, member: Any, message: discord.Message) -> None:
    result = await member.click(message, label="Pass")
    assert result.ephemeral and "Something went wrong" not in reply_to(result).content


async def listen_react(world: World, member: Any, message: discord.Message) -> None:
    result = await member.click(message, label="calm")
    assert "calm" in reply_to(result).content, reply_to(result).content


async def breathe_done(world: World, member: Any, message: discord.Message) -> None:
    result = await member.click(message, label="Done")
    assert "Something went wrong" not in (reply_to(result).content or "")


async def vote(world: World, member: Any, message: discord.Message) -> None:
    result = await member.select(message, ["o1"])
    assert "Evening" in reply_to(result).content, reply_to(result).content


async def line(world: World, member: Any, message: discord.Message) -> None:
    await write(world, member, message, f"{member.name} sings of home")


async def word(world: World, member: Any, message: discord.Message) -> None:
    await reflect(world, member, message, f"{member.name}-word")


# step title -> (seconds into the step for the restart, what members do, contributions expected)
STEPS: list[tuple[str, float, Act | None, int]] = [
    ("R prompt", 40, None, 0),
    ("R checkin", 40, checkin_pass, 2),
    ("R listen", 10, listen_react, 2),  # restart while the track plays; buttons come after it
    ("R write", 40, line, 2),
    ("R reflect", 40, word, 2),
    ("R breathe", 40, breathe_done, 2),
    ("R vote", 40, vote, 2),
]


async def test_restart_at_every_step_type(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    ana, ben, _ = world.members
    # A third member stays quiet, so no auto step completes early: each must end on its timer.
    quiet = world.guild.add_member(world.env.create_user("quiet"))
    await open_session(world)
    await ana.click(board(world), label="Join")
    await ben.click(board(world), label="Join")
    await quiet.click(board(world), label="Join")
    await world.facilitator.slash(world.channel, "activity start", activity="test-rel-every-step")
    restarts = kept = 0
    for index, (title, at, act, expected) in enumerate(STEPS):
        bot = world.bot()
        run = await bot.runner.live_run(1)
        assert run is not None and run.step_index == index, (title, run)
        entered = run.step_started_at
        if act is not None and title != "R listen":
            await act(world, ana, find_message(world.channel, title))  # before the restart
        await world.env.advance_time(at)
        before = await bot.store.runs.get(run.id)
        assert before is not None
        posted = len(world.channel.history())

        bot = await restart(world, settings, catalog)
        restarts += 1
        await world.env.settle()
        after = await bot.store.runs.get(run.id)
        assert after is not None
        assert (after.step_index, after.step_deadline, after.step_message_id) == (
            before.step_index,
            before.step_deadline,
            before.step_message_id,
        ), title
        assert after.step_deadline == entered + LIMIT
        assert len(world.channel.history()) == posted, f"{title}: something was posted again"

        if title == "R listen":
            await world.env.advance_time(20)  # the track ends on its stored timer
            assert act is not None
            await act(world, ana, find_message(world.channel, title))
        if act is not None:
            await act(world, ben, find_message(world.channel, title))  # buttons after restart
        # Board buttons work after the restart too.
        status = await world.members[2].click(board(world), label="Join")
        assert "joined" in reply_to(status).content
        await world.members[2].click(board(world), label="Leave")

        contributions = await bot.store.contributions.for_step(run.id, index)
        assert len(contributions) == expected, (title, contributions)
        kept += len(contributions)
        # The time left is honoured: not a second early, and on time.
        now = bot.clock().timestamp()
        await world.env.advance_time(entered + LIMIT - now - 1)
        still = await bot.runner.live_run(1)
        assert still is not None and still.step_index == index, f"{title} ended early"
        await world.env.advance_time(2)
        moved = await bot.runner.live_run(1)
        assert moved is not None and moved.step_index == index + 1, f"{title} did not end on time"
        assert titled(world, title) == 1, f"{title} was posted {titled(world, title)} times"
        assert titled(world, "Tuesday circle") == 1, "the board was posted again"
    print(
        f"restart: {restarts} restarts, one in each step type ({', '.join(t for t, *_ in STEPS)}); "
        f"{kept} contributions made around them all kept; every step posted once and ended "
        f"at its stored deadline"
    )

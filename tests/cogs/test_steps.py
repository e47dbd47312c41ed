"""A kind's `StepButton` (bot/cogs/steps.py): its handler decides what a press does and what the
clicker is told, knowing who clicked and whether they lead the session.

Run through the bot with the trial kind `pause` (tests/steps_trial): its Skip is the
facilitator's only, ends the step and answers with the kind's own reply. The one-click answer
(the default press) is `hum`'s, in tests/cogs/test_example_kind.py.
"""

from __future__ import annotations

import discord
import pytest
import simcord

from bot.settings import Settings
from tests.cogs.conftest import pause_catalog
from tests.conftest import World, build_world, find_message, restart
from tests.responses import reply_to


async def to_the_pause(env: simcord.Env) -> World:
    """A session of two members whose activity has reached its pause (the second step)."""
    world = build_world(env, members=2)
    await world.facilitator.slash(world.channel, "session start", title="Pause session")
    for person in world.members:
        await person.click(find_message(world.channel, "Pause session"), label="Join")
    started = await world.facilitator.slash(world.channel, "activity start", activity="pause-break")
    assert "Starting **Pause break**" in reply_to(started).content
    await world.facilitator.click(find_message(world.channel, "Pause session"), label="Next")
    return world


def card(world: World) -> discord.Message:
    return find_message(world.channel, "Quiet minute")


async def test_only_whoever_leads_may_skip_and_the_kind_words_the_reply(
    pause_env: simcord.Env,
) -> None:
    world = await to_the_pause(pause_env)
    body = card(world).embeds[0].description or ""
    assert "Stretch, get some water." in body and "end it early with **Skip**" in body

    refused = await world.members[0].click(card(world), label="Skip")
    assert refused.ephemeral
    assert reply_to(refused).content == "Only the facilitator can end the pause early."
    assert card(world).components, "a member's Skip leaves the pause running"
    with pytest.raises(AssertionError):
        find_message(world.channel, "After the pause")

    skipped = await world.facilitator.click(card(world), label="Skip")
    assert skipped.ephemeral and reply_to(skipped).content == "⏭ You ended the pause."
    after = find_message(world.channel, "After the pause")
    assert "Welcome back." in (after.embeds[0].description or "")
    closed = card(world)
    assert "The pause is over" in (closed.embeds[0].description or "")
    assert not closed.components


async def test_the_board_counts_no_answers_at_a_kind_that_takes_none(
    pause_env: simcord.Env,
) -> None:
    """`pause` declares `answered=False` (as `prompt` does): the board shows no Answers field
    at the pause, as at a prompt, while a kind that takes answers shows one."""
    world = await to_the_pause(pause_env)
    board = find_message(world.channel, "Pause session").embeds[0]
    assert "Step 2 of 3: **Quiet minute**" in str(board.to_dict())
    assert "Answers" not in {f.name for f in board.fields}, board.to_dict()


async def test_the_pause_ends_by_itself(pause_env: simcord.Env) -> None:
    world = await to_the_pause(pause_env)
    await world.env.advance_time(30)
    assert card(world).components
    await world.env.advance_time(31)
    after = find_message(world.channel, "After the pause")
    assert "Welcome back." in (after.embeds[0].description or "")


async def test_skip_works_after_a_restart(pause_env: simcord.Env, settings: Settings) -> None:
    world = await to_the_pause(pause_env)
    await restart(world, settings, pause_catalog(settings))
    await world.env.advance_time(20)
    assert card(world).components
    skipped = await world.facilitator.click(card(world), label="Skip")
    assert reply_to(skipped).content == "⏭ You ended the pause."
    after = find_message(world.channel, "After the pause")
    assert "Welcome back." in (after.embeds[0].description or "")


async def test_a_facilitator_who_did_not_start_the_session_leads_too(
    pause_env: simcord.Env,
) -> None:
    world = await to_the_pause(pause_env)
    colleague = world.guild.add_member(world.env.create_user("gil"), roles=[world.facilitator_role])
    skipped = await colleague.click(card(world), label="Skip")
    assert reply_to(skipped).content == "⏭ You ended the pause."
    assert "Welcome back." in (
        find_message(world.channel, "After the pause").embeds[0].description or ""
    )

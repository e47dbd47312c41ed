"""Discord refusing a post or an edit is never silent: it is logged at WARNING or above with
Discord's error code and what was lost, a refused step card is retried once shortened, and when
members lost something the facilitator is told once, privately."""

from __future__ import annotations

import logging

import discord
import pytest

from tests.cogs.test_session_flow import board, open_session
from tests.conftest import World, find_message

INVALID_FORM_BODY = 50035


def dms(world: World) -> list[str]:
    return [m.content for m in world.facilitator.user.dm_channel.history()]


def buttons(message: discord.Message) -> list[str]:
    return [
        str(child.label)
        for row in message.components
        for child in getattr(row, "children", [])
        if getattr(child, "label", None)
    ]


async def to_listen_step(world: World) -> discord.Message:
    """test-listen-link's card, the music over: the next edit is the one adding the buttons."""
    await open_session(world)
    for member in world.members:
        await member.click(board(world), label="Join")
    await world.facilitator.slash(world.channel, "activity start", activity="test-listen-link")
    await world.env.advance_time(9)  # just before the music starts
    return find_message(world.channel, "Short piece")


async def test_a_refused_card_edit_is_retried_shortened_and_logged(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    card = await to_listen_step(world)
    world.env.inject_error(
        "PATCH",
        f"/channels/{world.channel.id}/messages/{card.id}",
        status=400,
        code=INVALID_FORM_BODY,
        message="Invalid Form Body",
        times=1,
    )
    with caplog.at_level(logging.INFO, logger="chorus"):
        await world.env.advance_time(62)  # the music ends: the card gains its buttons
    card = find_message(world.channel, "Short piece")
    assert "Reflect" in buttons(card), buttons(card)  # the shortened retry got through
    warned = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert any(str(INVALID_FORM_BODY) in r.getMessage() for r in warned), caplog.text
    assert any("listen step card" in r.getMessage() for r in warned), caplog.text
    assert not dms(world)  # nothing was lost in the end


async def test_a_card_edit_refused_twice_is_told_to_the_facilitator_once(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    card = await to_listen_step(world)
    world.env.inject_error(
        "PATCH",
        f"/channels/{world.channel.id}/messages/{card.id}",
        status=400,
        code=INVALID_FORM_BODY,
        message="Invalid Form Body",
        times=None,
    )
    with caplog.at_level(logging.INFO, logger="chorus"):
        await world.env.advance_time(62)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(str(INVALID_FORM_BODY) in r.getMessage() for r in errors), caplog.text
    told = dms(world)
    assert len(told) == 1, told
    assert "listen step card" in told[0] and str(INVALID_FORM_BODY) in told[0]
    await world.facilitator.click(board(world), label="Next")  # the closing edit fails too
    assert len(dms(world)) == 2  # a different thing lost: told once more, not per edit
    assert "closed step card" in dms(world)[1]


async def test_a_refused_step_post_is_retried_shortened(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    await open_session(world)
    world.env.inject_error(
        "POST",
        f"/channels/{world.channel.id}/messages",
        status=400,
        code=INVALID_FORM_BODY,
        message="Invalid Form Body",
        times=1,
    )
    with caplog.at_level(logging.INFO, logger="chorus"):
        await world.facilitator.slash(world.channel, "activity start", activity="test-flow")
    assert find_message(world.channel, "Arrive") is not None
    assert any(
        r.levelno >= logging.WARNING and str(INVALID_FORM_BODY) in r.getMessage()
        for r in caplog.records
    ), caplog.text
    assert not dms(world)


async def test_a_lost_summary_is_logged_and_told(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    await open_session(world)
    ana = world.members[0]
    await ana.click(board(world), label="Join")
    await world.facilitator.slash(world.channel, "activity start", activity="test-listen-link")
    await world.env.advance_time(71)
    card = find_message(world.channel, "Short piece")
    for member in world.members:
        await member.click(board(world), label="Join")
        await member.click(card, label="calm")
    # The step's summary ("How the group heard...") is refused by a Discord outage.
    world.env.inject_error(
        "POST", f"/channels/{world.channel.id}/messages", status=503, code=0, times=6
    )
    with caplog.at_level(logging.INFO, logger="chorus"):
        await world.facilitator.click(board(world), label="Next")
    warned = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("503" in r.getMessage() for r in warned), caplog.text
    told = dms(world)
    assert len(told) == 1 and "summary" in told[0], told

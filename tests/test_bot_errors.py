"""The env fixture's error check (tests/bot_errors.py): a refusal escaping a gateway event's
listener, a task or a timer fails the test, naming where it came from; an interaction's refusal,
answered privately through the one error path, doesn't."""

from __future__ import annotations

import asyncio
import logging
from typing import NoReturn

import discord
import pytest

from bot.core.errors import NotFound
from tests.bot_errors import LoggedRefusals, failures, origin_of
from tests.conftest import World
from tests.responses import reply_to


def gone() -> NotFound:
    return NotFound("That session has ended.")


async def refusing_listener(
    member: discord.Member, before: discord.VoiceState, after: discord.VoiceState
) -> None:
    raise gone()


@pytest.mark.allow_bot_errors
async def test_a_refusal_escaping_a_listener_fails_naming_the_listener_and_event(
    world: World,
) -> None:
    world.bot().add_listener(refusing_listener, "on_voice_state_update")
    cursor = world.env.error_cursor
    await world.members[0].join_voice(world.voice)
    caught = world.env.errors_since(cursor)
    assert [type(e) for e in caught] == [NotFound]
    assert origin_of(caught[0]).kind == "listener"
    (line,) = failures(caught)
    assert "a refusal escaped listener refusing_listener for on_voice_state_update" in line
    assert "tests/test_bot_errors.py:" in line  # where it was raised
    assert "NotFound" in line and "That session has ended." in line


@pytest.mark.allow_bot_errors
async def test_a_refusal_escaping_a_task_or_timer_fails_naming_it(world: World) -> None:
    async def refuses_later() -> None:
        await asyncio.sleep(0)
        raise gone()

    def refuses_on_time() -> None:
        raise gone()

    started: list[asyncio.Task[None]] = []

    async def starts_both(*_: object) -> None:
        # Started by a listener, so both belong to the bot (simcord watches the bot's own).
        loop = asyncio.get_running_loop()
        started.append(loop.create_task(refuses_later()))
        loop.call_later(1.0, refuses_on_time)

    world.bot().add_listener(starts_both, "on_voice_state_update")
    cursor = world.env.error_cursor
    await world.members[0].join_voice(world.voice)
    await world.env.advance_time(2)
    lines = failures(world.env.errors_since(cursor))
    assert len(lines) == 2, lines
    task_line, timer_line = sorted(lines, key=lambda line: "refuses_on_time" in line)
    assert "a refusal escaped task or timer " in task_line and ".refuses_later" in task_line
    assert "a refusal escaped task or timer " in timer_line and ".refuses_on_time" in timer_line
    assert all("NotFound" in line for line in lines)


async def test_an_interactions_refusal_is_answered_and_passes(world: World) -> None:
    """/session join where no session is open: a refusal simcord records from the command tree,
    answered privately, and not a failure (the env fixture, unmarked, checks this test too)."""
    cursor = world.env.error_cursor
    result = await world.members[0].slash(world.channel, "session join")
    assert result.ephemeral and reply_to(result).content
    caught = world.env.errors_since(cursor)
    assert caught, "the tree's refusal is recorded by simcord"
    assert [origin_of(e).kind for e in caught] == ["interaction"]
    assert origin_of(caught[0]).where == "command /session join"
    assert failures(caught) == []


@pytest.mark.allow_bot_errors
async def test_an_unexpected_error_in_an_interaction_still_fails(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = world.bot()

    async def broken(*_: object) -> NoReturn:
        raise RuntimeError("boom")

    monkeypatch.setattr(bot.sessions, "history", broken)
    cursor = world.env.error_cursor
    await world.facilitator.slash(world.channel, "session history")
    (line,) = failures(world.env.errors_since(cursor))
    assert line.startswith("unexpected error in command /session history")
    assert "RuntimeError('boom')" in line


@pytest.mark.allow_bot_errors
async def test_a_refusal_a_timer_logs_as_an_error_fails_naming_the_logger(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The daily purge catches what it runs and logs it with its traceback at ERROR (simcord
    never sees it): a refusal there is kept, with the logger and its message."""
    cog = world.bot().get_cog("PrivacyCog")
    assert cog is not None

    async def refuses() -> None:
        raise gone()

    monkeypatch.setattr(cog, "purge", refuses)
    logged = LoggedRefusals()
    logging.getLogger().addHandler(logged)
    try:
        await world.env.advance_time(86400 + 60)
        # A refusal logged below ERROR, or an error that is no refusal, is not kept here.
        logging.getLogger("chorus.privacy").warning("refused", exc_info=gone())
        logging.getLogger("chorus.privacy").error("broken", exc_info=RuntimeError("boom"))
    finally:
        logging.getLogger().removeHandler(logged)
    lines = logged.failures()
    assert lines, "the purge ran in the day advanced"
    for line in lines:  # one per purge run (it may run more than once in the day advanced)
        assert line.startswith("a refusal logged as an error by chorus.privacy")
        assert "daily purge failed" in line and "NotFound('That session has ended.')" in line

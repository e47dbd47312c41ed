"""The basics every member touches: /about, refusals, and the error-code reply."""

from __future__ import annotations

from typing import NoReturn

import pytest

from tests.conftest import World
from tests.responses import fields_of, reply_to


async def test_about_answers_privately_with_version_and_count(world: World) -> None:
    result = await world.members[0].slash(world.channel, "about")
    assert result.ephemeral
    embed = reply_to(result).embeds[0]
    fields = fields_of(embed)
    assert fields["Version"] == world.bot().version
    assert int(fields["Activities loaded"]) == len(world.bot().catalog.activities) >= 12
    assert "PRIVACY.md" in fields["Privacy"]


async def test_member_is_refused_a_facilitator_command(world: World) -> None:
    result = await world.members[0].slash(world.channel, "session start", title="Mine")
    assert result.ephemeral
    assert "Only facilitators" in reply_to(result).content
    assert "Facilitator" in reply_to(result).content
    assert world.channel.last_message is None


@pytest.mark.allow_bot_errors
async def test_unexpected_error_is_reported_with_a_code(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = world.bot()

    async def broken(*_: object) -> NoReturn:
        raise RuntimeError("boom")

    monkeypatch.setattr(bot.sessions, "history", broken)
    result = await world.facilitator.slash(world.channel, "session history")
    assert result.ephemeral
    assert "Something went wrong (code " in reply_to(result).content
    errors = world.env.errors
    assert any("boom" in repr(e) for e in errors)

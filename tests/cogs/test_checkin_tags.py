"""/checkin tag: a member's own tags on their check-ins and their mood by tag; private, gone
with the check-in (retention) and with /forget."""

from __future__ import annotations

from simcord.actors import MemberActor

from tests.cogs.test_checkin_schedule import agree
from tests.cogs.test_checkins import rows
from tests.conftest import World


async def answer_now(world: World, member: MemberActor, value: str, scale: str = "0-10") -> None:
    shown = await member.slash(world.channel, "checkin now", scale=scale)
    saved = await member.click(shown.response.message, label=value)
    assert "Your answer is saved" in (saved.response.message.content or "")


async def tag(world: World, member: MemberActor, tags: str) -> str:
    result = await member.slash(world.channel, "checkin tag add", tags=tags)
    assert result.ephemeral
    return result.response.content or ""


async def test_tags_and_mood_by_tag_are_the_members_own(world: World) -> None:
    ana, ben = world.members[:2]
    for member in (ana, ben):
        await agree(world, member)
    await answer_now(world, ana, "2")
    said = await tag(world, ana, "Slept badly,  played music, slept badly")
    assert "`slept badly`, `played music`" in said, said
    await world.env.advance_time(3600)
    await answer_now(world, ana, "8")
    await tag(world, ana, "played music, went outside")
    await answer_now(world, ana, "very good", scale="1-5")
    await tag(world, ana, "went outside")
    await answer_now(world, ben, "9")
    await tag(world, ben, "played music")

    shown = await ana.slash(world.channel, "checkin tag mood")
    assert shown.ephemeral
    lines = (shown.response.embeds[0].description or "").splitlines()
    # went outside: 8 and "very good" (5 of 5 -> 10) -> 9; played music: 2 and 8 -> 5.
    assert lines[:3] == [
        "**played music**: 5 / 10, 2 check-ins",
        "**went outside**: 9 / 10, 2 check-ins",
        "**slept badly**: 2 / 10, 1 check-in",
    ], lines
    choices = await ana.autocomplete(world.channel, "checkin tag add", "tags", "slept badly, pl")
    assert choices[0]["value"] == "slept badly, played music"

    # Tags stay with their check-in: the retention purge takes them along, /forget too.
    stored = await rows(world, "SELECT user_id, tag FROM checkin_tags ORDER BY user_id, tag")
    assert (ben.id, "played music") in stored and len(stored) == 6
    asked = await ben.slash(world.channel, "forget")
    await ben.click(asked.response.message, label="Delete my data")
    assert await rows(world, "SELECT tag FROM checkin_tags WHERE user_id = ?", ben.id) == []
    # The daily purge passes a year, a month at a time: each advance must settle within
    # simcord's 5 s of wall time, and a year of daily purges in one go may not on a busy box.
    for _ in range(12):
        await world.env.advance_time(31 * 86_400)
    assert await rows(world, "SELECT id FROM checkins") == []
    assert await rows(world, "SELECT tag FROM checkin_tags") == []


async def test_bad_tags_and_nothing_to_tag_say_how_to_fix_it(world: World) -> None:
    ana = world.members[0]
    assert "/checkin now" in await tag(world, ana, "tired")
    await agree(world, ana)
    await answer_now(world, ana, "5")
    assert "Up to 5 tags" in await tag(world, ana, "a, b, c, d, e, f")
    assert "32 characters" in await tag(world, ana, "x" * 40)
    assert "removed" in await tag(world, ana, "")
    assert await rows(world, "SELECT tag FROM checkin_tags") == []

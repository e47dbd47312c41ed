"""/checkin notice: opt-in only, member-only, once per pattern, nothing stored about it."""

from __future__ import annotations

import discord
from simcord.actors import MemberActor

from tests.cogs.test_checkin_schedule import agree, dms
from tests.conftest import World
from tests.responses import reply_to

TITLE = "A gentle note, just for you"


def notices(world: World, member: MemberActor) -> list[discord.Message]:
    return [
        m for m in world.channel.history(viewer=member) if m.embeds and m.embeds[0].title == TITLE
    ]


async def answer_now(world: World, member: MemberActor, value: str) -> None:
    shown = await member.slash(world.channel, "checkin now")
    saved = await member.click(reply_to(shown).message, label=value)
    assert "Your answer is saved" in (reply_to(saved).message.content or "")


async def test_notice_comes_once_to_the_member_who_asked_and_nobody_else(world: World) -> None:
    ana, ben = world.members[:2]
    for member in (ana, ben):
        await agree(world, member)
    turned = await ana.slash(world.channel, "checkin notice on", low_answers=2, within_days=7)
    assert turned.ephemeral and "2 of your check-ins within 7 days" in reply_to(turned).content

    await answer_now(world, ana, "1")
    await answer_now(world, ben, "1")
    assert notices(world, ana) == []
    await answer_now(world, ana, "8")  # not low: no notice
    assert notices(world, ana) == []
    await answer_now(world, ana, "0")  # the second low one within the week
    [notice] = notices(world, ana)
    assert notice.flags.ephemeral
    assert "2 of your check-ins in the last 7 days were low" in (notice.embeds[0].description or "")
    await answer_now(world, ana, "0")  # a third: no repeat
    await answer_now(world, ben, "1")  # ben never asked
    assert len(notices(world, ana)) == 1
    assert notices(world, ben) == []
    assert world.facilitator.user.dm_channel is None or not dms(world.facilitator)
    # Nothing about the notice is stored: only her choice.
    rows = await world.bot().store.db.fetch_all(
        "SELECT guild_id, user_id, low_answers, within_days FROM checkin_notice_optins"
    )
    assert [tuple(r) for r in rows] == [(world.guild.id, ana.id, 2, 7)]

    # A week later the old ones have aged out: a new pattern is a new notice.
    await world.env.advance_time(8 * 86_400)
    await answer_now(world, ana, "1")
    await answer_now(world, ana, "1")
    assert len(notices(world, ana)) == 2
    off = await ana.slash(world.channel, "checkin notice off")
    assert "off" in reply_to(off).content
    await world.env.advance_time(8 * 86_400)
    await answer_now(world, ana, "1")
    await answer_now(world, ana, "1")
    assert len(notices(world, ana)) == 2
    shown = await ana.slash(world.channel, "checkin notice show")
    assert "notice is off" in reply_to(shown).content


async def test_a_scheduled_dm_answer_counts_too(world: World) -> None:
    ana = world.members[0]
    await agree(world, ana)
    await ana.slash(world.channel, "checkin notice on", low_answers=2, within_days=3)
    await ana.slash(
        world.channel, "checkin schedule set", days="daily", time="09:00", timezone="UTC"
    )
    await world.env.advance_time(9 * 3600 + 60)
    await ana.user.click(dms(ana)[-1], label="1")
    assert not any(m.embeds and m.embeds[0].title == TITLE for m in dms(ana))
    await world.env.advance_time(86_400)
    await ana.user.click(dms(ana)[-1], label="0")
    found = [m for m in dms(ana) if m.embeds and m.embeds[0].title == TITLE]
    assert len(found) == 1

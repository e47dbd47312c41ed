"""/checkin schedule through the real bot in virtual time: DMs on the member's own wall clock,
exactly once (restarts included), Snooze, Pass, off, leaving the server and /forget."""

from __future__ import annotations

from datetime import UTC, datetime

import discord
from simcord.actors import MemberActor

from bot.core.activities import Catalog
from bot.settings import Settings
from tests.conftest import World, restart
from tests.responses import button_labels, reply_to


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> float:
    return datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp()


def dms(member: MemberActor) -> list[discord.Message]:
    channel = member.user.dm_channel
    return list(channel.history()) if channel is not None else []


async def advance_to(world: World, ts: float) -> None:
    now = world.bot().clock().timestamp()
    assert ts > now, (ts, now)
    await world.env.advance_time(ts - now)


async def agree(world: World, member: MemberActor) -> None:
    asked = await member.slash(world.channel, "checkin consent")
    agreed = await member.click(reply_to(asked).message, label="Agree")
    assert "on" in (reply_to(agreed).content or ""), reply_to(agreed).content


async def schedule(world: World, member: MemberActor, **options: str) -> str:
    result = await member.slash(world.channel, "checkin schedule set", **options)
    assert result.ephemeral, reply_to(result).content
    return reply_to(result).content or ""


async def test_the_schedule_commands_sit_under_checkin(world: World) -> None:
    names = world.members[0].available_commands(world.channel)
    for name in ("checkin schedule set", "checkin schedule off", "checkin schedule show"):
        assert name in names, names
    choices = await world.members[0].autocomplete(
        world.channel, "checkin schedule set", "timezone", "berl"
    )
    assert [c["value"] for c in choices] == ["Europe/Berlin"]


async def test_tuesday_friday_evenings_in_berlin_across_the_clock_change(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    """Tue/Fri 19:00 Europe/Berlin, paused until 21 March 2026: the clocks go forward on 29
    March, so the DMs come at 18:00 UTC before and 17:00 UTC after, one each, nothing else;
    a restart in between neither repeats nor loses one."""
    ana = world.members[0]
    await agree(world, ana)
    said = await schedule(
        world,
        ana,
        days="tue, fri",
        time="19:00",
        timezone="Europe/Berlin",
        pause_until="2026-03-21",
    )
    first = utc(2026, 3, 24, 18)
    assert "Tue, Fri" in said and "19:00" in said and f"<t:{int(first)}:F>" in said, said
    expected = [first, utc(2026, 3, 27, 18), utc(2026, 3, 31, 17), utc(2026, 4, 3, 17)]
    for index, due in enumerate(expected):
        await advance_to(world, due - 60)
        assert len(dms(ana)) == index, (index, [m.created_at for m in dms(ana)])
        await advance_to(world, due + 60)
        assert len(dms(ana)) == index + 1, index
        if index == 1:
            await restart(world, settings, catalog)
    await advance_to(world, utc(2026, 4, 7, 16))
    assert len(dms(ana)) == 4  # nothing at the old UTC hour, nothing twice

    # Every DM asks with the scale, Pass and Snooze; an answer is saved like /checkin now.
    last = dms(ana)[-1]
    assert last.embeds and last.embeds[0].title == "How are you today?"
    labels = button_labels(last)
    assert labels == [str(v) for v in range(11)] + ["Pass", "Snooze 1 hour"]
    answered = await ana.user.click(last, label="7")
    assert "Saved: **7" in (reply_to(answered).content or ""), reply_to(answered).content
    shown = await ana.user.click(reply_to(answered).message, label="Add a note")
    noted = await ana.user.submit_modal(shown, {"note": "long day, good evening"})
    assert "note is saved" in (reply_to(noted).content or ""), reply_to(noted).content
    bot = world.bot()
    [saved] = await bot.store.checkins.for_member(world.guild.id, ana.id, 0.0)
    assert (saved.value, saved.phase, saved.session_id, saved.scale) == (7, "any", None, "0-10")
    assert saved.note == "long day, good evening"


async def test_snooze_asks_once_more_and_pass_is_fine(world: World) -> None:
    ana = world.members[0]
    await agree(world, ana)
    await schedule(world, ana, days="daily", time="09:00", timezone="UTC", scale="1-5")
    await advance_to(world, utc(2026, 1, 1, 9, 1))
    [dm] = dms(ana)
    snoozed = await ana.user.click(dm, label="Snooze 1 hour")
    assert "ask again" in (reply_to(snoozed).content or "")
    await advance_to(world, utc(2026, 1, 1, 10, 2))
    assert len(dms(ana)) == 2
    passed = await ana.user.click(dms(ana)[-1], label="Pass")
    assert "passed" in (reply_to(passed).content or "")
    await advance_to(world, utc(2026, 1, 2, 8, 59))
    assert len(dms(ana)) == 2  # nothing more that day
    await advance_to(world, utc(2026, 1, 2, 9, 1))
    assert len(dms(ana)) == 3
    assert await world.bot().store.checkins.for_member(world.guild.id, ana.id, 0.0) == []


async def test_off_leaving_and_forget_stop_the_dms_at_once(world: World) -> None:
    ana, ben, cai = world.members
    for member in (ana, ben, cai):
        await agree(world, member)
        await schedule(world, member, days="daily", time="20:00", timezone="UTC")
    off = await ana.slash(world.channel, "checkin schedule off")
    assert "off" in (reply_to(off).content or "")
    asked = await cai.slash(world.channel, "forget")
    done = await cai.click(reply_to(asked).message, label="Delete my data")
    assert "has been deleted" in (reply_to(done).content or "")
    await advance_to(world, utc(2026, 1, 1, 20, 1))
    assert dms(ana) == dms(cai) == []
    [old_dm] = dms(ben)
    world.guild.remove_member(ben)
    await world.env.settle()
    # An old DM's button doesn't save into a server they left.
    late = await ben.user.click(old_dm, label="5")
    assert "no longer in that server" in (reply_to(late).content or "")
    bot = world.bot()
    for member in (ana, ben, cai):
        assert await bot.store.checkin_schedules.get(world.guild.id, member.id) is None
    await world.env.advance_time(3 * 86_400)
    assert dms(ana) == dms(cai) == [] and len(dms(ben)) == 1
    assert await bot.store.checkins.for_member(world.guild.id, ben.id, 0.0) == []
    shown = await ana.slash(world.channel, "checkin schedule show")
    assert "no check-in schedule" in (reply_to(shown).content or "")


async def test_without_consent_and_with_bad_input_the_member_is_told_how_to_fix_it(
    world: World,
) -> None:
    ana = world.members[0]
    refused = await ana.slash(
        world.channel, "checkin schedule set", days="tue", time="19:00", timezone="UTC"
    )
    assert refused.ephemeral and "/checkin consent" in (reply_to(refused).content or "")
    await agree(world, ana)
    for options, said in (
        ({"days": "someday", "time": "19:00", "timezone": "UTC"}, "tue, fri"),
        ({"days": "tue", "time": "25:00", "timezone": "UTC"}, "19:00"),
        ({"days": "tue", "time": "19:00", "timezone": "Mars/Base"}, "Europe/Berlin"),
        ({"days": "tue", "time": "19:00", "timezone": "UTC", "pause_until": "soon"}, "2026-"),
    ):
        bad = await ana.slash(world.channel, "checkin schedule set", **options)
        assert bad.ephemeral and said in (reply_to(bad).content or ""), reply_to(bad).content
    assert await world.bot().store.checkin_schedules.get(world.guild.id, ana.id) is None


async def test_closed_dms_skip_that_day_only(world: World) -> None:
    """A DM Discord refuses (closed DMs) is not retried and breaks nothing: the next day's
    comes as usual, and another member's DM at the same minute still goes out."""
    ana, ben = world.members[:2]
    for member in (ana, ben):
        await agree(world, member)
        await schedule(world, member, days="daily", time="08:00", timezone="UTC")
    route = f"/channels/{ana.user.dm_channel.id}/messages"
    world.env.inject_error("POST", route, status=403, code=50007, message="Cannot send")
    await advance_to(world, utc(2026, 1, 1, 8, 1))
    assert dms(ana) == [] and len(dms(ben)) == 1
    await advance_to(world, utc(2026, 1, 1, 23))
    assert dms(ana) == []  # not retried
    await advance_to(world, utc(2026, 1, 2, 8, 1))
    assert len(dms(ana)) == 1 and len(dms(ben)) == 2

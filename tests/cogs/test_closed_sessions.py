"""Closed sessions through the real bot: a cap and its waitlist, a role, invitation only, and the
facilitator's Manage control (issue 25, item 3)."""

from __future__ import annotations

import asyncio
from typing import Any

import simcord

from bot.command_sync import tree_payload
from bot.core.session import CAPACITY_MAX, TITLE_MAX
from tests.conftest import World, build_world, find_message
from tests.responses import fields_of, reply_to


def board(world: World) -> Any:
    return find_message(world.channel, "Closed circle")


def dms(member: Any) -> list[str]:
    channel = member.user.dm_channel
    return [m.content or "" for m in channel.history()] if channel is not None else []


def fields(message: Any) -> dict[str, str]:
    return fields_of(message.embeds[0])


async def test_cap_reached_waitlist_with_place_and_leave_moves_next_up(
    env: simcord.Env,
) -> None:
    world = build_world(env, members=5)
    ana, ben, cai, dee, _ = world.members
    started = await world.facilitator.slash(
        world.channel, "session start", title="Closed circle", capacity=2
    )
    assert started.ephemeral and "is open" in reply_to(started).content
    assert "Press **Join** to take part" in (board(world).embeds[0].description or "")

    assert "You've joined" in reply_to(await ana.click(board(world), label="Join")).content
    assert "You've joined" in reply_to(await ben.click(board(world), label="Join")).content
    third = await cai.click(board(world), label="Join")
    assert third.ephemeral
    assert "full right now" in reply_to(third).content
    assert "number **1** in line" in reply_to(third).content
    fourth = await dee.slash(world.channel, "session join")
    assert fourth.ephemeral and "number **2** in line" in reply_to(fourth).content

    shown = board(world)
    # The facilitator leads and takes no place: 3 here, 2 of 2 places taken.
    assert "Here now (3): 2 of 2 places taken" in fields(shown)
    assert fields(shown)["Waitlist"] == "2 waiting for a place"
    assert "All places are taken" in (shown.embeds[0].description or "")
    present = {a.user_id for a in await world.bot().store.sessions.present(1)}
    assert cai.id not in present and dee.id not in present

    left = await ben.click(board(world), label="Leave")
    assert left.ephemeral and "You've left" in reply_to(left).content
    assert any("A place opened in **Closed circle**" in text for text in dms(cai))
    assert dms(dee) == []
    present = {a.user_id for a in await world.bot().store.sessions.present(1)}
    assert cai.id in present and ben.id not in present
    again = await dee.click(board(world), label="Join")
    assert "number **1** in line" in reply_to(again).content
    shown = board(world)
    assert fields(shown)["Waitlist"] == "1 waiting for a place"
    assert "Here now (3): 2 of 2 places taken" in fields(shown)

    # Leaving the line isn't leaving the session: nobody moves up.
    off = await dee.click(board(world), label="Leave")
    assert "off the waitlist" in reply_to(off).content
    assert "Waitlist" not in fields(board(world))


async def test_role_refusal_is_private_and_says_whom_to_ask(world: World) -> None:
    ana, ben, _ = world.members
    choir = world.guild.create_role("Choir")
    singer = world.guild.add_member(world.env.create_user("sol"), roles=[choir])
    await world.facilitator.slash(world.channel, "session start", title="Closed circle", role=choir)
    assert f"<@&{choir.id}>" in (board(world).embeds[0].description or "")

    refused = await ana.click(board(world), label="Join")
    assert refused.ephemeral
    text = reply_to(refused).content
    assert f"<@&{choir.id}>" in text and "you don't have it" in text
    assert f"ask the facilitator, <@{world.facilitator.id}>" in text
    joined = await singer.click(board(world), label="Join")
    assert "You've joined" in reply_to(joined).content
    present = {a.user_id for a in await world.bot().store.sessions.present(1)}
    assert singer.id in present and ana.id not in present and ben.id not in present


async def test_invite_only_admit_and_remove_from_the_board(world: World) -> None:
    ana, ben, _ = world.members
    await world.facilitator.slash(
        world.channel, "session start", title="Closed circle", invite_only=True
    )
    asked = await ana.click(board(world), label="Join")
    assert asked.ephemeral and "join by invitation" in reply_to(asked).content
    assert fields(board(world))["Waitlist"] == "1 asking to join"

    refused = await ana.click(board(world), label="Manage")
    assert refused.ephemeral and "Only facilitators" in reply_to(refused).content

    manage = await world.facilitator.click(board(world), label="Manage")
    assert manage.ephemeral and "**1** asking to join" in reply_to(manage).content
    menu = reply_to(manage).message
    admitted = await world.facilitator.select(menu, [f"admit:{ana.id}"])
    assert admitted.ephemeral and "is in" in reply_to(admitted).content
    assert any("let you into **Closed circle**" in text for text in dms(ana))
    present = {a.user_id for a in await world.bot().store.sessions.present(1)}
    assert ana.id in present
    assert "Waitlist" not in fields(board(world))

    # Ben joins by invitation too, then the facilitator takes Ana out.
    await ben.click(board(world), label="Join")
    await world.facilitator.select(
        reply_to(await world.facilitator.click(board(world), label="Manage")).message,
        [f"admit:{ben.id}"],
    )
    manage = await world.facilitator.click(board(world), label="Manage")
    removed = await world.facilitator.select(reply_to(manage).message, [f"remove:{ana.id}"])
    assert removed.ephemeral and "can't rejoin" in reply_to(removed).content
    assert any("taken you out of **Closed circle**" in text for text in dms(ana))
    present = {a.user_id for a in await world.bot().store.sessions.present(1)}
    assert ana.id not in present and ben.id in present
    back = await ana.click(board(world), label="Join")
    assert back.ephemeral and "taken you out" in reply_to(back).content
    assert f"<@{world.facilitator.id}>" in reply_to(back).content


async def test_scheduled_session_shows_its_cap_then_opens_closed_with_its_line(
    world: World,
) -> None:
    ana, ben, cai = world.members
    choir = world.guild.create_role("Choir")
    shown = await world.facilitator.slash(
        world.channel,
        "session schedule create",
        title="Closed circle",
        when="in 1 hour",
        capacity=1,
        role=choir,
    )
    assert shown.ephemeral
    preview = fields(reply_to(shown).message)
    assert preview["Who can come"] == f"🗝 1 place · for <@&{choir.id}>"
    confirmed = await world.facilitator.click(reply_to(shown).message, label="Confirm")
    assert fields(reply_to(confirmed).message)["Who can come"] == f"🗝 1 place · for <@&{choir.id}>"
    [occurrence] = await world.bot().store.schedule.upcoming(world.guild.id, 10)
    listed = await ana.slash(world.channel, "session upcoming")
    [entry] = reply_to(listed).embeds[0].fields
    assert entry.value is not None
    assert f"🗝 1 place · for <@&{choir.id}>" in entry.value

    # The time comes: the session opens closed, with the series' cap and role.
    clock = world.bot().clock().timestamp()
    await world.env.advance_time(occurrence.starts_at - clock + 1)
    refused = await ana.click(board(world), label="Join")
    assert "you don't have it" in reply_to(refused).content
    assert "Here now (0): 0 of 1 places taken" in fields(board(world))
    sol = world.guild.add_member(world.env.create_user("sol"), roles=[choir])
    tia = world.guild.add_member(world.env.create_user("tia"), roles=[choir])
    assert "You've joined" in reply_to(await sol.click(board(world), label="Join")).content
    waiting = await tia.click(board(world), label="Join")
    assert "number **1** in line" in reply_to(waiting).content
    listed = await ben.slash(world.channel, "session upcoming")
    [entry] = reply_to(listed).embeds[0].fields
    assert entry.value is not None
    assert "happening now" in entry.value
    assert f"🗝 1 place (1 taken), 1 waiting · for <@&{choir.id}>" in entry.value
    assert cai.id not in {a.user_id for a in await world.bot().store.sessions.present(1)}


async def test_twenty_simultaneous_join_presses_for_six_places(world: World) -> None:
    """The cog's own service call, 20 at once in the running bot (simcord forbids overlapping
    clicks): exactly 6 in, 14 in line with places 1-14; the next press is number 15."""
    bot = world.bot()
    await world.facilitator.slash(world.channel, "session start", title="Closed circle", capacity=6)
    session = await bot.sessions.in_channel(world.channel.id)
    people = [world.guild.add_member(world.env.create_user(f"p{i:02}")) for i in range(20)]
    results = await asyncio.gather(
        *(bot.sessions.request_join(session, p.id, p.name) for p in people)
    )
    outcomes = [r.outcome for r in results]
    assert outcomes.count("joined") == 6 and outcomes.count("waiting") == 14
    assert sorted(r.place for r in results if r.outcome == "waiting") == list(range(1, 15))
    members = [a.user_id for a in await bot.sessions.present(session)]
    assert len(members) == 7  # six members and the facilitator
    late = await world.members[0].click(board(world), label="Join")
    assert "number **15** in line" in reply_to(late).content
    bot.live.request_board(session.id)
    await world.env.settle()
    shown = fields(board(world))
    assert "Here now (7): 6 of 6 places taken" in shown
    assert shown["Waitlist"] == "15 waiting for a place"


async def test_the_title_and_capacity_options_take_cores_bounds(world: World) -> None:
    payload = await tree_payload(world.bot().tree, None)
    [session] = [c for c in payload if c["name"] == "session"]
    commands = {o["name"]: o for o in session["options"]}
    [schedule] = [o for o in session["options"] if o["name"] == "schedule"]
    commands |= {f"schedule {o['name']}": o for o in schedule["options"]}
    for name in ("start", "schedule create", "schedule edit"):
        options = {o["name"]: o for o in commands[name]["options"]}
        assert (options["title"]["min_length"], options["title"]["max_length"]) == (1, TITLE_MAX)
        assert options["capacity"]["max_value"] == CAPACITY_MAX
        # /session schedule edit takes 0 to remove the cap.
        assert options["capacity"]["min_value"] == (0 if name == "schedule edit" else 1)

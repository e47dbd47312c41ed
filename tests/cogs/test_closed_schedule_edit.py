"""A scheduled series' limits (cap, role, invitation) through the real bot: edited with
/session schedule edit, shown, opened with, and two edits at once both kept (one store job)."""

from __future__ import annotations

import asyncio

from bot.core.schedule_changes import Changes
from bot.core.schedule_service import LimitChanges
from tests.cogs.test_closed_sessions import board, fields
from tests.conftest import World
from tests.responses import reply_to


async def schedule(world: World) -> tuple[int, int]:
    """A closed session in an hour, for Choir, 1 place: its id and the role's id."""
    choir = world.guild.create_role("Choir")
    shown = await world.facilitator.slash(
        world.channel,
        "session schedule create",
        title="Closed circle",
        when="in 1 hour",
        capacity=1,
        role=choir,
    )
    await world.facilitator.click(reply_to(shown).message, label="Confirm")
    [occurrence] = await world.bot().store.schedule.upcoming(world.guild.id, 10)
    return occurrence.id, choir.id


async def test_the_facilitator_edits_who_can_come(world: World) -> None:
    ana = world.members[0]
    occurrence_id, choir = await schedule(world)
    edited = await world.facilitator.slash(
        world.channel, "session schedule edit", id=occurrence_id, capacity=3, invite_only=True
    )
    assert edited.ephemeral, reply_to(edited).content
    shown = fields(reply_to(edited).message)
    assert shown["Who can come"] == f"🗝 3 places · for <@&{choir}> · by invitation"
    # Opened to everyone again: no cap, @everyone, no invitation.
    opened = await world.facilitator.slash(
        world.channel,
        "session schedule edit",
        id=occurrence_id,
        capacity=0,
        role=world.guild.default_role,
        invite_only=False,
    )
    assert "Who can come" not in fields(reply_to(opened).message)
    # Closed again with a cap only; the session opens with it.
    await world.facilitator.slash(
        world.channel, "session schedule edit", id=occurrence_id, capacity=2
    )
    listed = await ana.slash(world.channel, "session upcoming")
    [entry] = reply_to(listed).embeds[0].fields
    assert entry.value is not None
    assert "🗝 2 places" in entry.value and "<@&" not in entry.value
    refused = await ana.slash(world.channel, "session schedule edit", id=occurrence_id, capacity=5)
    assert refused.ephemeral and "Only facilitators" in reply_to(refused).content
    [occurrence] = await world.bot().store.schedule.upcoming(world.guild.id, 10)
    await world.env.advance_time(occurrence.starts_at - world.bot().clock().timestamp() + 1)
    assert "You've joined" in reply_to(await ana.click(board(world), label="Join")).content
    assert "Here now (1): 1 of 2 places taken" in fields(board(world))


async def test_two_limit_edits_at_once_both_count(world: World) -> None:
    """The service's edits, at once in the running bot (simcord forbids overlapping commands):
    each reads and writes the limits in one store job, so neither undoes the other."""
    occurrence_id, choir = await schedule(world)
    bot = world.bot()
    await asyncio.gather(
        bot.schedule.edit(world.guild.id, occurrence_id, Changes(limits=LimitChanges(capacity=5))),
        bot.schedule.edit(
            world.guild.id, occurrence_id, Changes(limits=LimitChanges(invite_only=True))
        ),
        bot.schedule.edit(world.guild.id, occurrence_id, Changes(title="Closed circle II")),
    )
    [occurrence] = await bot.store.schedule.upcoming(world.guild.id, 10)
    series = await bot.store.schedule.series(occurrence.series_id)
    assert series is not None and series.title == "Closed circle II"
    limits = await bot.store.session_access.series_limits(occurrence.series_id)
    assert limits is not None
    assert (limits.capacity, limits.role_id, limits.invite_only) == (5, choir, True)

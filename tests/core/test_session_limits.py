"""SessionService's closed sessions without Discord: a real store on both engines."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.errors import Conflict, InvalidInput
from bot.core.session import SessionLimits, SessionService
from bot.store.store import Store

GUILD, CHANNEL, FAY, ANA, BEN, CAI = 1, 2, 3, 11, 12, 13


def clock() -> datetime:
    return datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def test_limits_that_close_nothing_leave_the_session_open(store: Store) -> None:
    sessions = SessionService(store, clock)
    session = await sessions.open(
        guild_id=GUILD,
        channel_id=CHANNEL,
        title="Circle",
        facilitator_id=FAY,
        limits=SessionLimits(),
    )
    assert await sessions.limits(session) is None
    assert (await sessions.request_join(session, ANA)).outcome == "joined"
    assert (await sessions.request_join(session, ANA)).outcome == "already"


async def test_a_capacity_out_of_range_is_refused_with_how_to_fix_it(store: Store) -> None:
    sessions = SessionService(store, clock)
    with pytest.raises(InvalidInput, match="from 1 to 1000"):
        await sessions.open(
            guild_id=GUILD,
            channel_id=CHANNEL,
            title="Circle",
            facilitator_id=FAY,
            limits=SessionLimits(capacity=0),
        )
    assert await sessions.find_in_channel(CHANNEL) is None


async def test_the_facilitator_takes_no_place_and_the_line_moves_up(store: Store) -> None:
    sessions = SessionService(store, clock)
    session = await sessions.open(
        guild_id=GUILD,
        channel_id=CHANNEL,
        title="Circle",
        facilitator_id=FAY,
        limits=SessionLimits(capacity=1),
    )
    assert await sessions.join(session, FAY)  # the facilitator, past every check
    assert (await sessions.request_join(session, ANA)).outcome == "joined"
    waiting = await sessions.request_join(session, BEN)
    assert (waiting.outcome, waiting.place) == ("waiting", 1)
    assert [w.user_id for w in await sessions.waitlist(session)] == [BEN]
    removed = await sessions.remove(session, ANA)
    assert removed.left and removed.moved_up == (BEN,)
    assert (await sessions.request_join(session, ANA)).outcome == "removed"
    assert await sessions.admit(session, ANA)  # let back in, past the cap
    assert {a.user_id for a in await sessions.present(session)} == {FAY, ANA, BEN}
    departure = await sessions.leave(session, BEN)
    assert departure.left and departure.moved_up == ()  # still 1 member for 1 place
    assert (await sessions.request_join(session, CAI)).outcome == "waiting"
    assert [w.user_id for w in await sessions.waitlist(session)] == [CAI]
    await sessions.end(session, "en")
    assert await sessions.waitlist(session) == []  # the line goes with the session
    with pytest.raises(Conflict):
        await sessions.request_join(await sessions.get(session.id), CAI)


async def test_only_members_in_a_closed_group_or_who_lead_it_may_answer(store: Store) -> None:
    sessions = SessionService(store, clock)
    open_one = await sessions.open(
        guild_id=GUILD, channel_id=CHANNEL, title="Open", facilitator_id=FAY
    )
    assert await sessions.check_answering(open_one, ANA, leads=False)  # to be joined first
    closed = await sessions.open(
        guild_id=GUILD,
        channel_id=CHANNEL + 1,
        title="Circle",
        facilitator_id=FAY,
        limits=SessionLimits(capacity=2),
    )
    assert (await sessions.request_join(closed, ANA)).outcome == "joined"
    assert not await sessions.check_answering(closed, ANA, leads=False)
    assert not await sessions.check_answering(closed, FAY, leads=True)
    with pytest.raises(Conflict) as refused:
        await sessions.check_answering(closed, BEN, leads=False)
    assert refused.value.text("en").startswith(
        "**Circle** is a closed group and you're not in it yet, so your answer wasn't saved."
    )

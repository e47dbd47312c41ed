"""Session and attendance rows: one open session per channel, joins are idempotent."""

from __future__ import annotations

import pytest

from bot.records.sessions import NewSession
from bot.store.sessions import SessionAlreadyOpen
from bot.store.store import Store


async def test_one_open_session_per_channel(store: Store) -> None:
    first = await store.sessions.create(
        NewSession(guild_id=1, channel_id=10, voice_channel_id=None, title="a", facilitator_id=5),
        1.0,
    )
    with pytest.raises(SessionAlreadyOpen):
        await store.sessions.create(
            NewSession(
                guild_id=1, channel_id=10, voice_channel_id=None, title="b", facilitator_id=5
            ),
            2.0,
        )
    assert await store.sessions.end(first.id, 3.0)
    assert not await store.sessions.end(first.id, 4.0)
    again = await store.sessions.create(
        NewSession(guild_id=1, channel_id=10, voice_channel_id=None, title="c", facilitator_id=5),
        5.0,
    )
    assert again.id != first.id


async def test_attendance_join_leave_rejoin(store: Store) -> None:
    s = await store.sessions.create(
        NewSession(guild_id=1, channel_id=10, voice_channel_id=None, title="a", facilitator_id=5),
        1.0,
    )
    assert await store.sessions.join(s.id, 7, 2.0)
    assert not await store.sessions.join(s.id, 7, 2.5)
    assert await store.sessions.leave(s.id, 7, 3.0)
    assert not await store.sessions.leave(s.id, 7, 3.5)
    assert await store.sessions.join(s.id, 7, 4.0)
    rows = await store.sessions.attendance(s.id)
    assert [(r.joined_at, r.left_at) for r in rows] == [(2.0, 3.0), (4.0, None)]
    history = await store.sessions.history(1, 10)
    assert history[0].attendance == 1


async def test_open_sessions_in_voice_are_those_of_one_server_and_its_channels(
    store: Store,
) -> None:
    async def opened(guild: int, channel: int, voice: int | None) -> int:
        session = await store.sessions.create(
            NewSession(
                guild_id=guild,
                channel_id=channel,
                voice_channel_id=voice,
                title="t",
                facilitator_id=9,
            ),
            0.0,
        )
        return session.id

    here = await opened(1, 10, 100)
    also_here = await opened(1, 11, 101)
    await opened(1, 12, None)
    await opened(2, 20, 100)  # another server (a voice id can't repeat, but a guild can't see it)
    ended = await opened(1, 13, 100)
    await store.sessions.end(ended, 5.0)
    found = await store.sessions.open_in_voice(1, [100, 101])
    assert [s.id for s in found] == [here, also_here]
    assert [s.id for s in await store.sessions.open_in_voice(1, [101])] == [also_here]
    assert await store.sessions.open_in_voice(1, []) == []
    assert await store.sessions.open_in_voice(3, [100]) == []

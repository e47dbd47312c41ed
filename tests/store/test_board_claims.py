"""Posting a session's board is claimed once across processes (`SessionsRepo.claim_board`): a
first post while no message id is saved, a re-post against the id of a board found deleted, a
claim released when the post failed, taken over when its process died (older than the hold).
Both engines; two processes (two Stores) racing on one PostgreSQL."""

from __future__ import annotations

import asyncio

from bot.records.sessions import NewSession
from bot.store.sessions import BOARD_CLAIM_SECONDS
from bot.store.store import Store
from tests.engines import TestDatabase


async def _session(store: Store) -> int:
    created = await store.sessions.create(
        NewSession(guild_id=1, channel_id=10, voice_channel_id=None, title="a", facilitator_id=5),
        1.0,
    )
    return created.id


async def test_a_board_post_is_claimed_once(store: Store) -> None:
    sessions = store.sessions
    sid = await _session(store)
    assert await sessions.claim_board(sid, None, 10.0)
    assert not await sessions.claim_board(sid, None, 11.0)  # another process: not twice
    await sessions.set_board(sid, 500)
    assert not await sessions.claim_board(sid, None, 12.0)  # posted: nothing to claim
    # The board was found deleted: a re-post is claimed against the id that was seen.
    assert await sessions.claim_board(sid, 500, 13.0)
    assert not await sessions.claim_board(sid, 500, 14.0)
    await sessions.release_board(sid)  # that post failed: another try may claim again
    assert await sessions.claim_board(sid, 500, 15.0)
    await sessions.set_board(sid, 501)
    assert not await sessions.claim_board(sid, 500, 16.0)  # someone re-posted it already
    found = await sessions.get(sid)
    assert found is not None and found.board_message_id == 501
    # A claim whose process died holds only BOARD_CLAIM_SECONDS.
    assert await sessions.claim_board(sid, 501, 20.0)
    assert not await sessions.claim_board(sid, 501, 20.0 + BOARD_CLAIM_SECONDS - 1)
    assert await sessions.claim_board(sid, 501, 20.0 + BOARD_CLAIM_SECONDS + 1)


async def test_two_processes_racing_to_post_one_board_claim_it_once(
    postgres: TestDatabase,
) -> None:
    first, second = Store(postgres.url), Store(postgres.url)
    await first.open()
    await second.open()
    try:
        sids = [
            await first.sessions.create(
                NewSession(
                    guild_id=1,
                    channel_id=10 + n,
                    voice_channel_id=None,
                    title="a",
                    facilitator_id=5,
                ),
                1.0,
            )
            for n in range(20)
        ]
        for seen in (None, 900):
            if seen is not None:
                for s in sids:
                    await first.sessions.set_board(s.id, seen)
            claims = await asyncio.gather(
                *(
                    store.sessions.claim_board(s.id, seen, 30.0)
                    for s in sids
                    for store in (first, second, first, second)
                )
            )
            # Each session's board: exactly one of the four tries (two per process) posts.
            per_session = [sum(claims[i * 4 : i * 4 + 4]) for i in range(len(sids))]
            assert per_session == [1] * len(sids), per_session
    finally:
        await first.close()
        await second.close()

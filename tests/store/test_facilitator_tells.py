"""Telling a session's facilitator is claimed once per member and session
(`FacilitatorTellRepository`): across processes, kept once told, released when the message
failed, taken over when the claiming process died (older than the hold), gone with its session
and with /forget. Both engines."""

from __future__ import annotations

from bot.records.sessions import NewSession
from bot.store.engine import Conn
from bot.store.facilitator_tells import TELL_CLAIM_SECONDS
from bot.store.store import Store
from tests.engines import TestDatabase, rows_outside

GUILD, ANA, BEN = 1, 11, 12


async def _session(store: Store, channel_id: int = 10) -> int:
    created = await store.sessions.create(
        NewSession(
            guild_id=GUILD,
            channel_id=channel_id,
            voice_channel_id=None,
            title="a",
            facilitator_id=5,
        ),
        1.0,
    )
    return created.id


async def marks(engine: TestDatabase) -> list[tuple[object, ...]]:
    return await rows_outside(
        engine,
        "SELECT session_id, user_id, claimed_at, told_at FROM facilitator_tells"
        " ORDER BY session_id, user_id",
    )


async def test_a_telling_is_claimed_once_and_kept_once_told(
    store: Store, engine: TestDatabase
) -> None:
    tells = store.facilitator_tells
    sid = await _session(store)
    assert await tells.claim(sid, GUILD, ANA, 10.0)
    assert not await tells.claim(sid, GUILD, ANA, 11.0)  # another press or process: not twice
    assert await tells.claim(sid, GUILD, BEN, 11.0)  # each member their own
    await tells.told(sid, ANA, 12.0)
    # Told: never claimed again, not even long after (no hold applies to a done telling).
    assert not await tells.claim(sid, GUILD, ANA, 12.0 + 100 * TELL_CLAIM_SECONDS)
    await tells.release(sid, ANA)  # a release never undoes a done telling
    assert await marks(engine) == [(sid, ANA, 10.0, 12.0), (sid, BEN, 11.0, None)]


async def test_a_failed_telling_is_released_and_a_dead_claim_taken_over(
    store: Store, engine: TestDatabase
) -> None:
    tells = store.facilitator_tells
    sid = await _session(store)
    assert await tells.claim(sid, GUILD, ANA, 10.0)
    await tells.release(sid, ANA)  # the message didn't reach them: nothing is kept
    assert await marks(engine) == []
    assert await tells.claim(sid, GUILD, ANA, 20.0)
    # The claiming process died before sending: its claim holds TELL_CLAIM_SECONDS only.
    assert not await tells.claim(sid, GUILD, ANA, 20.0 + TELL_CLAIM_SECONDS - 1)
    assert await tells.claim(sid, GUILD, ANA, 20.0 + TELL_CLAIM_SECONDS + 1)
    assert await marks(engine) == [(sid, ANA, 20.0 + TELL_CLAIM_SECONDS + 1, None)]


async def test_the_mark_goes_with_forget_and_with_its_session(
    store: Store, engine: TestDatabase
) -> None:
    tells = store.facilitator_tells
    kept, ended = await _session(store), await _session(store, channel_id=20)
    for sid in (kept, ended):
        for member in (ANA, BEN):
            assert await tells.claim(sid, GUILD, member, 10.0)
            await tells.told(sid, member, 11.0)
    await store.privacy.forget(GUILD, ANA, now=50.0)
    assert [row[:2] for row in await marks(engine)] == [(kept, BEN), (ended, BEN)]

    # No session is deleted by Chorus today; the rows still go with it (ON DELETE CASCADE).
    async def delete_session(conn: Conn) -> int:
        return await conn.execute("DELETE FROM sessions WHERE id = ?", (ended,))

    assert await store.db.write(delete_session, invalidate=()) == 1
    assert [row[:2] for row in await marks(engine)] == [(kept, BEN)]
    # Forgotten: asking again tells again.
    assert await tells.claim(kept, GUILD, ANA, 60.0)

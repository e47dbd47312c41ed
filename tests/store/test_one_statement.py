"""One statement as a write job (bot/store/one_statement.py), on both engines."""

from __future__ import annotations

from bot.records.sessions import NewSession
from bot.store.one_statement import write_one
from bot.store.store import Store


async def test_write_one_commits_says_how_many_rows_and_forgets_cached_reads(store: Store) -> None:
    session = await store.sessions.create(
        NewSession(guild_id=1, channel_id=2, voice_channel_id=None, title="t", facilitator_id=9),
        1.0,
    )
    loads: list[int] = []

    async def board() -> int | None:
        loads.append(1)
        found = await store.db.fetch_one(
            "SELECT board_message_id FROM sessions WHERE id = ?", (session.id,)
        )
        return None if found is None or found[0] is None else int(found[0])

    key = ("test-board", session.id)
    assert await store.db.cached(key, board) is None
    assert await store.db.cached(key, board) is None and len(loads) == 1  # kept

    changed = await write_one(
        store.db,
        "UPDATE sessions SET board_message_id = ? WHERE id = ?",
        (77, session.id),
        invalidate=[key],
    )
    assert changed == 1
    assert await store.db.cached(key, board) == 77 and len(loads) == 2  # read afresh

    nothing = await write_one(
        store.db,
        "UPDATE sessions SET board_message_id = 1 WHERE id = ?",
        (session.id + 99,),
        invalidate=(),
    )
    assert nothing == 0
    assert await store.db.cached(key, board) == 77 and len(loads) == 2  # not invalidated

"""The songs repository: one song per step, idempotent line events, removals kept, credit opt-out."""

from typing import Any

from bot.records.sessions import ContributionRecord, NewRun, NewSession
from bot.records.songs import SongSpec, TimedOutTurn
from bot.store.store import Store
from tests.engines import TestDatabase


async def test_songs_lines_and_credit(engine: TestDatabase) -> None:
    store = Store(engine.url)
    await store.open()
    try:
        session = await store.sessions.create(
            NewSession(
                guild_id=1, channel_id=2, voice_channel_id=None, title="t", facilitator_id=9
            ),
            1.0,
        )
        run = await store.runs.create(
            NewRun(
                session_id=session.id,
                activity_id="a",
                version_hash="h",
                definition="{}",
                step_deadline=None,
            ),
            1.0,
        )
        spec = SongSpec(1, session.id, run.id, 0, "home", '[["verse", 2]]', False)
        song = await store.songs.of_step(spec, 2.0)
        assert (await store.songs.of_step(spec, 2.0)).id == song.id
        mirror = store.songs.mirror(spec, 3.0)

        async def mirrored(kind: str, author: int, payload: dict[str, Any], key: int) -> None:
            # The lyric event as the runner saves it, mirrored into song_lines in its commit.
            event = ContributionRecord(key, run.id, 0, author, kind, payload, 3.0, 3.0)
            await store.db.write(lambda conn: mirror(conn, event), invalidate=None)

        line = {"pos": 0, "section": "verse", "text": "one", "syl": 3}
        await mirrored("line", 5, line, 1)
        await mirrored("line", 5, line, 1)  # a retry of the same event: one row
        assert [(r.event_key, r.text) for r in await store.songs.lines(song.id)] == [("c1", "one")]
        turn = TimedOutTurn(turn_no=1, position=0, section="verse", user_id=6, at=3.0)
        await store.songs.add_timeouts(spec, [turn, turn], 3.0)
        await mirrored("edit", 5, {"line_id": 1, "text": "one more", "syl": 3}, 2)
        assert [r.text for r in await store.songs.lines(song.id) if not r.passed] == ["one more"]
        await mirrored("remove", 9, {"line_id": 1}, 3)
        assert await store.songs.lines(song.id) == []
        kept = await store.songs.lines(song.id, include_removed=True)
        assert {(r.event_key, r.removed_by, r.passed) for r in kept} == {
            ("c1", 9, False),
            ("t1", None, True),
        }
        await store.songs.set_title(song.id, "Home")
        await store.songs.finish(song.id, 5.0)
        saved = await store.songs.get(song.id)
        assert saved is not None and saved.title == "Home" and saved.finished_at == 5.0
        assert [s.id for s in await store.songs.in_guild(1)] == [song.id]
        await store.songs.set_credit_opt_out(1, 5, True)
        assert await store.songs.opted_out(1, [5, 6]) == {5}
        await store.songs.set_credit_opt_out(1, 5, False)
        assert await store.songs.opted_out(1, [5]) == set()
    finally:
        await store.close()

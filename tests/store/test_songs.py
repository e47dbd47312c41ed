"""The songs repository: one song per step, idempotent line events, removals kept, credit opt-out."""

from bot.store.store import Store
from tests.engines import TestDatabase


async def test_songs_lines_and_credit(engine: TestDatabase) -> None:
    store = Store(engine.url)
    await store.open()
    try:
        session = await store.sessions.create(
            guild_id=1, channel_id=2, voice_channel_id=None, title="t", facilitator_id=9, now=1.0
        )
        run = await store.runs.create(
            session_id=session.id,
            activity_id="a",
            version_hash="h",
            definition="{}",
            now=1.0,
            step_deadline=None,
        )
        args = dict(
            guild_id=1,
            session_id=session.id,
            run_id=run.id,
            step_index=0,
            theme="home",
            structure='[["verse", 2]]',
            anonymous=False,
            now=2.0,
        )
        song = await store.songs.for_step(**args)  # type: ignore[arg-type]
        assert (await store.songs.for_step(**args)).id == song.id  # type: ignore[arg-type]
        line = dict(position=0, section="verse", syllables=3, now=3.0)
        assert await store.songs.add_line(
            song.id, event_key="c1", author_id=5, text="one", passed=False, **line
        )  # type: ignore[arg-type]
        assert not await store.songs.add_line(
            song.id, event_key="c1", author_id=5, text="one", passed=False, **line
        )  # type: ignore[arg-type]
        await store.songs.add_line(
            song.id, event_key="t1", author_id=6, text="", passed=True, **line
        )  # type: ignore[arg-type]
        await store.songs.edit_line(song.id, "c1", "one more", 3)
        assert [r.text for r in await store.songs.lines(song.id)] == ["one more"]
        await store.songs.remove_line(song.id, "c1", 9, 4.0)
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

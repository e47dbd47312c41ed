"""A song's line position is claimed once: two processes (shards on one database) writing the
same line of an "open" song at once save one line, and the other writer is told privately with
their words given back. Real stores on both engines; the race is made certain as in
tests/core/test_run_races.py: the other process writes between this one's read of the song and
its write (`WritesBeforeSaving`)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

import asyncpg
import pytest

from bot.core.lyric_lines import LineRefused
from bot.core.lyric_state import WriteState
from bot.core.lyrics_service import LyricsService
from bot.core.runner import Runner
from bot.core.steps import step_handlers
from bot.records.sessions import NewContribution
from bot.store.contribution_job import Added, Also, Mirror
from bot.store.runs import ContributionRepository
from bot.store.store import Store
from tests.core.test_lyrics_service import Song, clock, start_song
from tests.core.test_run_races import stored
from tests.engines import TestDatabase


class WritesBeforeSaving(ContributionRepository):
    """This process's contributions, where `between` (set by the test) is awaited once, just
    before the next contribution is sent to be saved: after the step read the song."""

    def __init__(self, store: Store) -> None:
        super().__init__(store.db)
        self.between: Callable[[], Awaitable[object]] | None = None

    async def add_with(  # awaited by its callers, as the future it overrides is
        self,
        new: NewContribution,
        now: float,
        *,
        also: Also | None = None,
        mirror: Mirror | None = None,
    ) -> Added:
        between, self.between = self.between, None
        if between is not None:
            await between()
        return await super().add_with(new, now, also=also, mirror=mirror)


async def write_in(service: LyricsService, song: Song, user: int, text: str) -> int:
    """A line from `user` through `service` (one process's), as the lyrics cog sends it."""
    session, run, step = await service.live(song.run.id, 0)
    outcome = await service.contribute(
        session, run, step, user, f"member {user}", "line", {"text": text}
    )
    return outcome.record.id


async def test_the_same_line_written_in_two_processes_at_once_is_saved_once(
    store: Store, engine: TestDatabase
) -> None:
    """ana's process has read the song (line 1 free); before its write, ben's line 1 is saved
    by the other process. ana's line is refused, worded with her words to copy, and nothing of
    it is kept: the song's record, its event log and the live song agree on ben's line. Her next
    try goes to line 2. Before: both were saved at line 1 (two song_lines rows, the live song
    showing one)."""
    song = await start_song(store, "open")
    hook = store.contributions = WritesBeforeSaving(store)
    other = Store(engine.url)
    await other.open()
    try:
        elsewhere = LyricsService(
            other, clock, Runner(other, clock, step_handlers()), lambda _guild: "en"
        )
        theirs: list[int] = []

        async def ben_writes_elsewhere() -> None:
            theirs.append(await write_in(elsewhere, song, 2, "the kettle sings at dawn"))

        hook.between = ben_writes_elsewhere
        with pytest.raises(LineRefused) as refused:
            await song.write(1, text="a window full of rain")
        told = refused.value.text("en")
        assert "Someone else wrote line 1 a moment ago, so yours wasn't added." in told
        assert "`a window full of rain`" in told  # her words, to copy
        assert await song.song_lines() == [
            (f"c{theirs[0]}", "the kettle sings at dawn", False, False)
        ]
        assert await song.contribution_ids() == theirs
        live = WriteState.read(json.loads((await stored(store, song.run.id)).step_state))
        assert {pos: line["id"] for pos, line in live.lines.items()} == {0: theirs[0]}
        again = await song.write(1, text="a window full of rain")
        rows = await song.song_lines()
        assert [(key, text) for key, text, *_ in rows] == [
            (f"c{theirs[0]}", "the kettle sings at dawn"),
            (f"c{again}", "a window full of rain"),
        ]
        record = await store.songs.by_step(song.run.id, 0)
        assert record is not None
        assert [line.position for line in await store.songs.lines(record.id)] == [0, 1]
    finally:
        await other.close()


async def test_a_line_committed_while_the_write_waits_on_it_is_a_taken_position(
    postgres: TestDatabase,
) -> None:
    """PostgreSQL, the closest race: the other process's line at the same position is not yet
    committed when this write looks (it sees none) and inserts (it waits on the index). Once
    the other commits, the write is refused as the taken position, not as a database error,
    and nothing of it is kept."""
    store = Store(postgres.url)
    await store.open()
    other = await asyncpg.connect(postgres.url)
    try:
        song = await start_song(store, "open")
        session, run, step = await song.service.live(song.run.id, 0)
        record = await song.service.song(session, run, step)
        theirs = other.transaction()
        await theirs.start()
        await other.execute(
            "INSERT INTO song_lines (song_id, position, section, text, created_at, event_key)"
            " VALUES ($1, 0, 'verse', 'the kettle sings at dawn', 0, 'elsewhere')",
            record.id,
        )
        mine = asyncio.create_task(song.write(1, text="a window full of rain"))
        waiting = 0
        for _ in range(500):  # until the write waits on the other's row (at most 5 s)
            waiting = await other.fetchval("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if waiting:
                break
            await asyncio.sleep(0.01)
        assert waiting, "the write never waited on the other's uncommitted line"
        await theirs.commit()
        with pytest.raises(LineRefused, match="Someone else wrote line 1"):
            await mine
        assert [text for _, text, *_ in await song.song_lines()] == ["the kettle sings at dawn"]
        assert await song.contribution_ids() == []
    finally:
        await other.close()
        await store.close()

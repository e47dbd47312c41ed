"""Writing a song through LyricsService without Discord, on a real store (both engines).

What was written is read back from the store's own tables: every song event the step counted
has its row in song_lines, because both commit in one write.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest

from bot.core.activities import Activity
from bot.core.errors import Conflict, InvalidInput, NotFound
from bot.core.lyric_state import WriteState
from bot.core.lyrics_service import LyricsService
from bot.core.runner import Runner
from bot.core.steps import step_handlers
from bot.records.sessions import NewSession, RunRecord, SessionRecord
from bot.store.store import Store
from tests.core.runner_setup import stopped_at
from tests.engines import TestDatabase

GUILD = 1
FACILITATOR = 9


clock = stopped_at()


def song_activity(turns: str, lines: int = 4) -> Activity:
    return Activity.model_validate(
        {
            "id": "song-" + turns.replace("_", "-"),
            "title": "Song",
            "summary": "s",
            "version": 1,
            "duration_minutes": 10,
            "version_hash": "abc",
            "steps": [
                {
                    "type": "write",
                    "title": "Our song",
                    "theme": "Home",
                    "structure": [{"name": "verse", "lines": lines}],
                    "turns": turns,
                    "turn_seconds": 60,
                    "time_limit": 600,
                },
                {"type": "prompt", "title": "After", "text": "Breathe."},
            ],
        }
    )


@dataclass
class Song:
    store: Store
    runner: Runner
    service: LyricsService
    session: SessionRecord
    run: RunRecord

    async def fresh(self) -> RunRecord:
        run = await self.store.runs.get(self.run.id)
        assert run is not None
        return run

    async def write(self, user: int, kind: str = "line", **payload: Any) -> int:
        """One song event through the service, as the lyrics cog sends it; its record's id."""
        session, run, step = await self.service.live(self.run.id, 0)
        outcome = await self.service.contribute(
            session, run, step, user, f"member {user}", kind, payload
        )
        return outcome.record.id

    async def song_lines(self) -> list[tuple[str | None, str, bool, bool]]:
        """(event key, text, passed, removed) of every row of the step's song, in order."""
        song = await self.store.songs.by_step(self.run.id, 0)
        if song is None:
            return []
        rows = await self.store.songs.lines(song.id, include_removed=True)
        return [(r.event_key, r.text, r.passed, r.removed_at is not None) for r in rows]

    async def contribution_ids(self) -> list[int]:
        return [c.id for c in await self.store.contributions.for_step(self.run.id, 0)]


async def start_song(store: Store, turns: str, members: int = 3, lines: int = 4) -> Song:
    runner = Runner(store, clock, step_handlers())
    session = await store.sessions.create(
        NewSession(
            guild_id=GUILD,
            channel_id=2,
            voice_channel_id=None,
            title="t",
            facilitator_id=FACILITATOR,
        ),
        0.0,
    )
    for member in range(1, members + 1):
        await store.sessions.join(session.id, member, float(member))
    started = await runner.start(session.id, song_activity(turns, lines))
    return Song(
        store,
        runner,
        LyricsService(store, clock, runner, lambda _guild: "en"),
        session,
        started.run,
    )


async def test_a_line_is_in_the_song_record_under_its_contribution(store: Store) -> None:
    song = await start_song(store, "open")
    line_id = await song.write(1, text="the kettle sings at dawn")
    assert await song.song_lines() == [(f"c{line_id}", "the kettle sings at dawn", False, False)]


async def test_edit_withdraw_and_remove_reach_the_song_record(store: Store) -> None:
    song = await start_song(store, "open")
    first = await song.write(1, text="the kettle sings")
    await song.write(1, "edit", text="the kettle hums")
    assert await song.song_lines() == [(f"c{first}", "the kettle hums", False, False)]
    await song.write(1, "withdraw")
    assert await song.song_lines() == [(f"c{first}", "the kettle hums", False, True)]
    second = await song.write(2, text="a window full of rain")
    await song.write(FACILITATOR, "remove", number=1)
    rows = await song.song_lines()
    assert rows[-1] == (f"c{second}", "a window full of rain", False, True)
    song_record = await store.songs.by_step(song.run.id, 0)
    assert song_record is not None
    removed = await store.songs.lines(song_record.id, include_removed=True)
    assert removed[-1].removed_by == FACILITATOR


async def test_a_line_and_its_song_record_commit_together_or_not_at_all(
    store: Store, engine: TestDatabase
) -> None:
    """The mirror's write fails (a trigger refuses song_lines rows, as a full disk would
    between two commits): the contribution must not be saved without its line. With the
    contribution and the mirror in two commits (the old cog), the line stayed in the step
    but never reached the song's record."""
    song = await start_song(store, "open")
    await refuse_song_lines(engine)
    with pytest.raises(Exception, match="song_lines refused"):
        await song.write(1, text="a line that can't be recorded")
    assert await song.contribution_ids() == []
    assert await song.song_lines() == []
    await allow_song_lines(engine)
    line_id = await song.write(1, text="a line that can")
    assert await song.contribution_ids() == [line_id]
    assert [key for key, *_ in await song.song_lines()] == [f"c{line_id}"]


async def test_simultaneous_lines_all_reach_the_song_record(store: Store) -> None:
    """Open turns: many writers at once; every counted line has its row, in commit order."""
    song = await start_song(store, "open", members=12, lines=8)

    async def line(user: int) -> int | None:
        try:
            return await song.write(user, text=f"line from {user}")
        except Conflict:
            return None  # the song filled up first

    written = [i for i in await asyncio.gather(*(line(u) for u in range(1, 13))) if i]
    assert len(written) == 8
    assert Counter(key for key, *_ in await song.song_lines()) == Counter(f"c{i}" for i in written)


async def test_out_of_turn_and_full_song_are_refused(store: Store) -> None:
    song = await start_song(store, "round_robin", members=3, lines=2)
    with pytest.raises(Conflict, match="turn"):
        await song.service.line_ask(song.run.id, 0, 2)
    ask = await song.service.line_ask(song.run.id, 0, 1)
    assert ask.slot.position == 0 and not ask.hidden
    await song.write(1, text="one line here")
    with pytest.raises(Conflict, match="only your own line"):
        await song.service.edit_ask(song.run.id, 0, 3)
    mine = await song.service.edit_ask(song.run.id, 0, 1)
    assert mine.editing == "one line here"
    await song.write(2, text="and one more")
    with pytest.raises(Conflict, match="complete"):
        await song.service.line_ask(song.run.id, 0, 3)


async def test_a_refused_line_gives_the_words_back(store: Store) -> None:
    song = await start_song(store, "round_robin")
    with pytest.raises(InvalidInput) as refused:
        await song.write(1, text="   ")
    assert refused.value.message
    with pytest.raises(Conflict, match="turn"):
        await song.write(2, text="not my turn yet")
    assert await song.song_lines() == []


async def test_timed_out_turns_are_recorded_once_as_passes(store: Store) -> None:
    song = await start_song(store, "round_robin")
    session, run, step = await song.service.live(song.run.id, 0)
    state = WriteState.read({"timeouts": [{"pos": 0, "turn_no": 1, "user": 1, "at": 5.0}]})
    await song.service.record_timeouts(session, run, step, state)
    await song.service.record_timeouts(session, run, step, state)
    assert await song.song_lines() == [("t1", "", True, False)]


async def test_saved_songs_titles_and_credit(store: Store) -> None:
    song = await start_song(store, "open")
    await song.write(1, text="first light")
    await song.write(2, text="second wind")
    session, run, step = await song.service.live(song.run.id, 0)
    record = await song.service.song(session, run, step)
    await song.service.set_title(record.id, "Morning")
    await song.service.set_credit(GUILD, 2, named=False)
    listed = await song.service.songs_in(GUILD)
    assert [(s.title, count) for s, count in listed] == [("Morning", 2)]
    saved = await song.service.saved(await song.service.guild_song(GUILD, record.id))
    assert [line["text"] for _, line in sorted(saved.lines.items())] == [
        "first light",
        "second wind",
    ]
    assert saved.opted_out == {2}
    people = await song.service.people(session, await song.fresh(), step)
    assert people.title == "Morning" and people.opted_out == frozenset({2})
    with pytest.raises(NotFound, match="no song"):
        await song.service.guild_song(GUILD + 1, record.id)


# ---------------------------------------------------------------- a real trigger, both engines


async def refuse_song_lines(engine: TestDatabase) -> None:
    if engine.path is not None:
        await asyncio.to_thread(
            _sqlite,
            engine.path,
            "CREATE TRIGGER refuse_song_lines BEFORE INSERT ON song_lines"
            " BEGIN SELECT RAISE(ABORT, 'song_lines refused'); END",
        )
        return
    await _postgres(
        engine.url,
        "CREATE FUNCTION refuse_song_line() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN RAISE EXCEPTION 'song_lines refused'; END $$",
        "CREATE TRIGGER refuse_song_lines BEFORE INSERT ON song_lines"
        " FOR EACH ROW EXECUTE FUNCTION refuse_song_line()",
    )


async def allow_song_lines(engine: TestDatabase) -> None:
    if engine.path is not None:
        await asyncio.to_thread(_sqlite, engine.path, "DROP TRIGGER refuse_song_lines")
    else:
        await _postgres(engine.url, "DROP TRIGGER refuse_song_lines ON song_lines")


def _sqlite(path: Any, sql: str) -> None:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


async def _postgres(url: str, *statements: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        for sql in statements:
            await conn.execute(sql)
    finally:
        await conn.close()


async def test_each_turn_is_pinged_once_by_one_of_two_processes(
    store: Store, engine: TestDatabase
) -> None:
    """Two processes on one database claim the same turn's ping, each with the run as it
    reads it: one gets it; the next turn is claimable again, once, and a claim made with a
    run read before that turn is refused."""
    song = await start_song(store, "round_robin")
    other = Store(engine.url)
    await other.open()
    try:
        elsewhere = LyricsService(
            other, clock, Runner(other, clock, step_handlers()), lambda _guild: "en"
        )

        async def claims() -> list[bool]:
            here, there = await song.service.run(song.run.id), await elsewhere.run(song.run.id)
            assert here is not None and there is not None
            return list(
                await asyncio.gather(
                    song.service.claim_turn_ping(here), elsewhere.claim_turn_ping(there)
                )
            )

        first = await song.fresh()
        assert WriteState.read(json.loads(first.step_state)).ping_due
        assert sorted(await claims()) == [False, True]
        assert await claims() == [False, False]  # told, and the mark is stored
        await other.close()  # the other process stops: its next start reads the database
        await song.write(1, "pass")
        await other.open()
        assert not await song.service.claim_turn_ping(first)  # read before turn 2
        assert sorted(await claims()) == [False, True]
        assert WriteState.read(json.loads((await song.fresh()).step_state)).turn_no == 2
    finally:
        await other.close()

"""Contributions to a run's step (bot/core/contributing.py): saved first, then the step may move
on; a real store on each engine, a hand-moved clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.core.activities import Activity
from bot.core.errors import Conflict, InvalidInput
from bot.core.run_updates import RunUpdate
from bot.core.runner import Runner
from bot.core.steps import step_handlers
from bot.records.errors import StorageUnavailable
from bot.store.store import Store
from tests.core.runner_setup import (
    Clock,
    activity,
    hold_write_lock,
    open_store,
    ready_at_auto_step,
    session,
)


@pytest.fixture
def runner(store: Store) -> Runner:
    return Runner(store, Clock(), step_handlers())


async def test_auto_step_moves_on_when_everyone_answered(runner: Runner, store: Store) -> None:
    s = await session(store, 1, 2)
    run = (await runner.start(s.id, activity())).run
    await runner.advance(run.id, 0)
    first = await runner.contribute(run.id, 1, 1, "reflection", {"text": "calm"})
    assert first.update is None and not first.replaced
    again = await runner.contribute(run.id, 1, 1, "reflection", {"text": "calmer"})
    assert again.replaced and again.update is None
    rows = await store.contributions.for_step(run.id, 1)
    assert [r.payload["text"] for r in rows] == ["calmer"]
    last = await runner.contribute(run.id, 1, 2, "reflection", {"text": "ok"})
    assert last.update is not None and last.update.entered_step == 2
    with pytest.raises(Conflict, match="already ended"):
        await runner.contribute(run.id, 1, 2, "reflection", {"text": "late"})


async def test_bad_contributions_are_refused(runner: Runner, store: Store) -> None:
    s = await session(store, 1)
    run = (await runner.start(s.id, activity())).run
    with pytest.raises(InvalidInput):
        await runner.contribute(run.id, 0, 1, "reflection", {"text": "x"})
    await runner.advance(run.id, 0)
    with pytest.raises(InvalidInput, match="empty"):
        await runner.contribute(run.id, 1, 1, "reflection", {"text": "  \u200b "})


async def test_anonymous_answers_store_no_id_and_cannot_be_repeated(
    runner: Runner, store: Store
) -> None:
    s = await session(store, 1, 2)
    run = (await runner.start(s.id, activity())).run
    await runner.advance(run.id, 0)
    await runner.contribute(run.id, 1, 1, "reflection", {"text": "hidden"}, anonymous=True)
    with pytest.raises(Conflict, match="anonymous"):
        await runner.contribute(run.id, 1, 1, "reflection", {"text": "again"}, anonymous=True)
    rows = await store.contributions.for_step(run.id, 1)
    assert [r.author_id for r in rows] == [None]


async def test_auto_steps_do_not_wait_for_the_facilitator(runner: Runner, store: Store) -> None:
    s = await session(store, 9, 1)  # 9 is the facilitator, present but leading
    run = (await runner.start(s.id, activity())).run
    await runner.advance(run.id, 0)
    done = await runner.contribute(run.id, 1, 1, "reflection", {"text": "here"})
    assert done.update is not None and done.update.entered_step == 2


async def test_twenty_simultaneous_answers_are_all_kept_and_move_on_once(
    runner: Runner, store: Store
) -> None:
    members = list(range(101, 121))
    run = await ready_at_auto_step(runner, store, *members)
    outcomes = await asyncio.gather(
        *(runner.contribute(run.id, 1, m, "reflection", {"text": f"from {m}"}) for m in members)
    )
    rows = await store.contributions.for_step(run.id, 1)
    assert sorted(r.author_id or 0 for r in rows) == members
    assert sorted(r.payload["text"] for r in rows) == sorted(f"from {m}" for m in members)
    updates = [o.update for o in outcomes if o.update is not None]
    assert len(updates) == 1, f"the step moved on {len(updates)} times"
    assert updates[0].exited_step == 1 and updates[0].entered_step == 2
    store.db.invalidate()  # read the run from the file, not the cache
    stored = await store.runs.get(run.id)
    assert stored is not None and stored.step_index == 2 and stored.state == "running"
    assert await store.contributions.for_step(run.id, 2) == []


async def test_an_answer_whose_step_moves_on_before_its_write_is_refused(
    runner: Runner, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = await ready_at_auto_step(runner, store, 1, 2, 3)
    await runner.contribute(run.id, 1, 1, "reflection", {"text": "in time"})
    real_add_with = store.contributions.add_with
    advanced: list[RunUpdate | None] = []

    async def advance_first(*job: Any, **options: Any) -> Any:
        # The contribution has passed the runner's own check of the step; now the facilitator's
        # Next commits before the contribution's write does.
        advanced.append(await runner.advance(run.id, 1))
        return await real_add_with(*job, **options)

    monkeypatch.setattr(store.contributions, "add_with", advance_first)
    with pytest.raises(Conflict, match="already ended"):
        await runner.contribute(run.id, 1, 2, "reflection", {"text": "too late"})
    assert advanced and advanced[0] is not None and advanced[0].entered_step == 2
    rows = await store.contributions.for_step(run.id, 1)
    assert [(r.author_id, r.payload["text"]) for r in rows] == [(1, "in time")]
    assert await store.contributions.for_step(run.id, 2) == []


async def test_an_answer_racing_next_is_either_kept_in_its_step_or_refused(
    runner: Runner, store: Store
) -> None:
    run = await ready_at_auto_step(runner, store, 1, 2, 3)
    moved, answer = await asyncio.gather(
        runner.advance(run.id, 1),
        runner.contribute(run.id, 1, 2, "reflection", {"text": "racing"}),
        return_exceptions=True,
    )
    assert isinstance(moved, RunUpdate) and moved.entered_step == 2
    rows = await store.contributions.for_step(run.id, 1)
    if isinstance(answer, Conflict):
        assert "already ended" in str(answer) and rows == []
    else:
        assert not isinstance(answer, BaseException), answer
        assert [(r.author_id, r.payload["text"]) for r in rows] == [(2, "racing")]
    assert await store.contributions.for_step(run.id, 2) == []


async def test_the_same_anonymous_answer_twice_at_once_counts_once(
    runner: Runner, store: Store
) -> None:
    run = await ready_at_auto_step(runner, store, 1, 2)
    first, second = await asyncio.gather(
        runner.contribute(run.id, 1, 1, "reflection", {"text": "one"}, anonymous=True),
        runner.contribute(run.id, 1, 1, "reflection", {"text": "two"}, anonymous=True),
        return_exceptions=True,
    )
    kept = [o for o in (first, second) if not isinstance(o, BaseException)]
    refused = [o for o in (first, second) if isinstance(o, BaseException)]
    assert len(kept) == 1 and len(refused) == 1
    assert isinstance(refused[0], Conflict) and "already answered" in str(refused[0])
    rows = await store.contributions.for_step(run.id, 1)
    assert len(rows) == 1 and rows[0].author_id is None
    assert rows[0].id == kept[0].record.id


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[Store]:
    """A store on a SQLite file only: the test below fails a write by holding SQLite's write lock
    from another connection until the writer's busy retries run out (no PostgreSQL analogue)."""
    async for s in open_store(tmp_path / "c.db"):
        yield s


async def test_a_failed_anonymous_write_lets_the_member_answer_again(
    sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.store.writer.BUSY_RETRIES", 2)
    store = sqlite_store
    runner = Runner(store, Clock(), step_handlers())
    run = await ready_at_auto_step(runner, store, 1, 2)
    other = hold_write_lock(tmp_path / "c.db")
    try:
        with pytest.raises(StorageUnavailable):
            await runner.contribute(run.id, 1, 1, "reflection", {"text": "lost"}, anonymous=True)
    finally:
        other.execute("COMMIT")
        other.close()
    assert await store.contributions.for_step(run.id, 1) == []
    # Nothing was saved, so the member is not held to have answered.
    again = await runner.contribute(run.id, 1, 1, "reflection", {"text": "saved"}, anonymous=True)
    rows = await store.contributions.for_step(run.id, 1)
    assert [(r.id, r.author_id, r.payload["text"]) for r in rows] == [
        (again.record.id, None, "saved")
    ]
    with pytest.raises(Conflict, match="already answered"):
        await runner.contribute(run.id, 1, 1, "reflection", {"text": "third"}, anonymous=True)


def song(constraints: dict[str, Any]) -> Activity:
    return Activity.model_validate(
        {
            "id": "song",
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
                    "structure": [{"name": "verse", "lines": 4}],
                    "turns": "open",
                    "constraints": constraints,
                }
            ],
        }
    )


async def test_a_german_sessions_write_step_reads_german_from_its_context(store: Store) -> None:
    """The session's language comes from its server's settings through the StepContext the
    runner fills, not from the answer's payload: counted by English rules "Ich singe heute
    Nacht von zu Hause" has 11 syllables (this song asks for 4-6) and "Nacht" doesn't rhyme with
    "Haus", so only a German session takes the line."""
    languages = {1: "en", 2: "de"}
    runner = Runner(store, Clock(), step_handlers(), lambda guild_id: languages[guild_id])
    rules = {"syllables": {"min": 4, "max": 6}, "rhyme_with_previous": True}
    line = {"text": "Ich singe heute Nacht von zu Hause"}
    german = await session(store, 1, 2, guild_id=2, channel_id=20)
    run = (await runner.start(german.id, song(rules))).run
    await runner.contribute(run.id, 0, 1, "line", {"writer": 1, "text": "Wir gehen nach Haus"})
    saved = await runner.contribute(run.id, 0, 2, "line", {"writer": 2, **line})
    assert saved.record.payload["text"] == line["text"]
    assert saved.record.payload["syl"] == 0  # no English count for a German line
    english = await session(store, 1, guild_id=1, channel_id=10)
    run = (await runner.start(english.id, song(rules))).run
    with pytest.raises(InvalidInput, match="syllables; this song asks for 4–6"):
        await runner.contribute(run.id, 0, 1, "line", {"writer": 1, **line})
    # A payload's own "language" is not read any more.
    with pytest.raises(InvalidInput, match="syllables"):
        await runner.contribute(run.id, 0, 1, "line", {"writer": 1, "language": "de", **line})

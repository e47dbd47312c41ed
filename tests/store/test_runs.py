"""bot/store/runs.py on both engines: runs (create, reads, wake claims, compare-and-set updates)
and the contributions made in them."""

from __future__ import annotations

import itertools

import pytest

from bot.records.sessions import NewContribution, NewRun, RunRecord
from bot.store import cached_reads
from bot.store.contribution_job import StepMoved
from bot.store.runs import RunAlreadyLive, ShardScope
from bot.store.store import Store
from tests.core.runner_setup import session

CHANNELS = itertools.count(100)
"""A channel of its own for each session (a channel has one open session at a time)."""


async def new_run(
    store: Store, guild_id: int = 1, deadline: float | None = None, now: float = 10.0
) -> RunRecord:
    return await store.runs.create(
        NewRun(
            session_id=(await session(store, guild_id=guild_id, channel_id=next(CHANNELS))).id,
            activity_id="a",
            version_hash="h",
            definition="{}",
            step_deadline=deadline,
        ),
        now,
    )


def on_shard(shard: int, of: int = 2) -> int:
    """A guild id that Discord puts on `shard` of `of` shards."""
    return (shard << 22) + of * (1 << 22) * 7


def test_a_shard_scope_names_its_shards_in_order() -> None:
    assert ShardScope(frozenset({3, 1}), 4).where("g") == (
        "((g / 4194304) % ?) IN (?, ?)",
        (4, 1, 3),
    )


async def test_a_new_run_starts_at_its_first_step_and_is_the_sessions_live_run(
    store: Store,
) -> None:
    run = await new_run(store, deadline=70.0)
    assert (run.step_index, run.state, run.started_at, run.step_started_at) == (
        0,
        "running",
        10.0,
        10.0,
    )
    assert run.step_deadline == 70.0 and run.wake_at == 70.0
    assert await store.runs.get(run.id) == run
    assert await store.runs.live_for_session(run.session_id) == run
    assert await store.runs.all_live() == [run]
    assert await store.runs.get(run.id + 100) is None


async def test_a_session_has_one_live_run_at_a_time(store: Store) -> None:
    run = await new_run(store)
    again = NewRun(run.session_id, "b", "h", "{}", None)
    with pytest.raises(RunAlreadyLive):
        await store.runs.create(again, 20.0)
    ended = await store.runs.update(run.id, 0, state="finished", ended_at=30.0)
    assert ended is not None and ended.state == "finished"
    assert await store.runs.live_for_session(run.session_id) is None
    second = await store.runs.create(again, 40.0)
    assert [r.id for r in await store.runs.for_session(run.session_id)] == [run.id, second.id]
    assert await store.runs.all_live() == [second]


async def test_an_update_is_refused_once_the_run_left_the_expected_step(store: Store) -> None:
    run = await new_run(store)
    moved = await store.runs.update(run.id, 0, step_index=1, step_started_at=20.0)
    assert moved is not None and moved.step_index == 1
    assert await store.runs.update(run.id, 0, step_index=2) is None  # a double-clicked Next
    assert (await store.runs.get(run.id)) == moved
    with pytest.raises(ValueError, match="cannot update"):
        await store.runs.update(run.id, 1, session_id=5)
    with pytest.raises(ValueError, match="cannot update"):
        await store.runs.update_unchanged(moved, activity_id="x")


async def test_update_unchanged_is_refused_when_the_run_changed_since_it_was_read(
    store: Store,
) -> None:
    read = await new_run(store, deadline=70.0)
    paused = await store.runs.update_unchanged(read, state="paused", paused_remaining=60.0)
    assert paused is not None and paused.state == "paused"
    # Decided on the old read (still running): refused, and the run stays as committed.
    assert await store.runs.update_unchanged(read, step_deadline=100.0) is None
    assert await store.runs.get(read.id) == paused
    resumed = await store.runs.update_unchanged(paused, state="running", paused_remaining=None)
    assert resumed is not None and resumed.state == "running"


async def test_the_step_message_is_remembered_at_any_step(store: Store) -> None:
    run = await new_run(store)
    await store.runs.set_step_message(run.id, 555)
    assert (await store.runs.get(run.id)).step_message_id == 555  # type: ignore[union-attr]
    store.db.forget([cached_reads.run(run.id)])  # read again from the database
    assert (await store.runs.get(run.id)).step_message_id == 555  # type: ignore[union-attr]
    await store.runs.set_step_message(run.id, None)
    assert (await store.runs.get(run.id)).step_message_id is None  # type: ignore[union-attr]


async def test_wakes_are_due_earliest_first_and_a_hold_puts_one_off(store: Store) -> None:
    late = await new_run(store, deadline=50.0)
    early = await new_run(store, deadline=30.0)
    await new_run(store)  # no deadline: never due
    assert await store.runs.next_wake() == 30.0
    assert [r.id for r in await store.runs.due(40.0)] == [early.id]
    assert [r.id for r in await store.runs.due(60.0)] == [early.id, late.id]
    await store.runs.hold_wake(early.id, 90.0)
    assert [r.id for r in await store.runs.due(60.0)] == [late.id]
    assert await store.runs.next_wake() == 50.0
    # A new wake time ends the hold.
    await store.runs.update(early.id, 0, wake_at=35.0)
    assert [r.id for r in await store.runs.due(60.0)] == [early.id, late.id]


async def test_a_claim_takes_only_its_shards_due_runs_once(store: Store) -> None:
    mine = await new_run(store, guild_id=on_shard(0), deadline=30.0)
    theirs = await new_run(store, guild_id=on_shard(1), deadline=20.0)
    scope = ShardScope(frozenset({0}), 2)
    assert await store.runs.next_wake(scope) == 30.0
    assert await store.runs.next_wake(ShardScope(frozenset(), 2)) is None
    assert await store.runs.next_wake() == 20.0
    claimed = await store.runs.claim_due(40.0, scope, hold=15.0)
    assert [r.id for r in claimed] == [mine.id]
    assert await store.runs.claim_due(41.0, scope, hold=15.0) == []  # claimed until 55
    assert await store.runs.next_wake(scope) == 55.0
    assert [r.id for r in await store.runs.claim_due(56.0, scope, hold=15.0)] == [mine.id]
    assert await store.runs.claim_due(99.0, ShardScope(frozenset(), 2), hold=1.0) == []
    assert [r.id for r in await store.runs.due(40.0)] == [theirs.id]


async def test_contributions_are_saved_replaced_and_counted(store: Store) -> None:
    run = await new_run(store)
    first = await store.contributions.add_with(
        NewContribution(run.id, 0, 7, "answer", {"text": "one"}), 11.0
    )
    assert not first.replaced and first.step is None
    again = await store.contributions.add_with(
        NewContribution(run.id, 0, 7, "answer", {"text": "two"}, replace=True, with_step=True),
        12.0,
    )
    assert again.replaced and again.record.id == first.record.id
    assert again.step is not None and [c.payload for c in again.step] == [{"text": "two"}]
    await store.contributions.add_with(NewContribution(run.id, 0, None, "answer", {"t": 1}), 13.0)
    await store.contributions.add_with(NewContribution(run.id, 0, None, "answer", {"t": 2}), 14.0)
    await store.contributions.add_with(NewContribution(run.id, 0, 8, "pass", {}), 15.0)
    step = await store.contributions.for_step(run.id, 0)
    assert [(c.author_id, c.created_at, c.updated_at) for c in step] == [
        (7, 11.0, 12.0),
        (None, 13.0, 13.0),
        (None, 14.0, 14.0),
        (8, 15.0, 15.0),
    ]
    # Each anonymous answer is a person of its own.
    assert await store.contributions.counts_by_kind(run.session_id) == {
        "answer": (3, 3),
        "pass": (1, 1),
    }


async def test_a_contribution_to_a_step_the_run_has_left_is_not_saved(store: Store) -> None:
    run = await new_run(store)
    await store.runs.update(run.id, 0, step_index=1)
    with pytest.raises(StepMoved):
        await store.contributions.add_with(NewContribution(run.id, 0, 7, "answer", {}), 20.0)
    assert await store.contributions.for_step(run.id, 0) == []

"""bot/store/contribution_job.py on both engines: a contribution job alone, and a batch's worth
run together (`run_together`), which must save what the same jobs one by one would."""

from __future__ import annotations

import json
from typing import Any

from bot.records.sessions import ContributionRecord, NewRun, RunRecord
from bot.store.contribution_job import (
    CONTRIBUTION_COLUMNS,
    ContributionJob,
    StepMoved,
    contribution,
)
from bot.store.engine import Conn
from bot.store.store import Store
from tests.core.runner_setup import session


async def new_run(store: Store, channel_id: int) -> RunRecord:
    opened = await session(store, channel_id=channel_id)
    return await store.runs.create(NewRun(opened.id, "a", "h", "{}", None), 1.0)


def job(
    run_id: int,
    author_id: int | None,
    text: str,
    *,
    kind: str = "answer",
    now: float = 5.0,
    with_step: bool = False,
    step_at_least: int = 0,
) -> ContributionJob:
    """An answer at step 0 (as `ContributionRepository.add_with` makes it: a known member's
    replaces their earlier one)."""
    payload = {"text": text}
    return ContributionJob(
        run_id=run_id,
        step_index=0,
        author_id=author_id,
        kind=kind,
        payload=payload,
        body=json.dumps(payload),
        now=now,
        replace=author_id is not None,
        kinds=(kind,),
        also=None,
        with_step=with_step,
        step_at_least=step_at_least,
    )


async def together(store: Store, jobs: list[ContributionJob]) -> list[tuple[bool, Any]]:
    async def run(conn: Conn) -> list[tuple[bool, Any]]:
        return await ContributionJob.run_together(conn, jobs)

    return await store.db.write(run, invalidate=())


def saved(step: list[ContributionRecord]) -> list[tuple[int | None, str, dict[str, Any]]]:
    return [(c.author_id, c.kind, c.payload) for c in step]


async def test_a_row_is_read_as_its_record_with_the_payload_parsed(store: Store) -> None:
    run = await new_run(store, 100)
    added = await store.db.write(job(run.id, 7, "hi"), invalidate=())
    await store.db.write(job(run.id, None, "", kind="pass", now=6.0), invalidate=())
    rows = await store.db.fetch_all(f"SELECT {CONTRIBUTION_COLUMNS} FROM contributions ORDER BY id")
    answer, passed = (contribution(row) for row in rows)
    assert answer == added.record and answer.payload == {"text": "hi"}
    assert (passed.author_id, passed.kind, passed.created_at) == (None, "pass", 6.0)


async def test_a_job_alone_inserts_then_replaces_the_members_answer(store: Store) -> None:
    run = await new_run(store, 100)
    first = await store.db.write(job(run.id, 7, "one"), invalidate=())
    assert not first.replaced and first.step is None and first.also is None
    passed = await store.db.write(job(run.id, 7, "-", kind="pass"), invalidate=())
    assert not passed.replaced  # another kind: a second row, not a change
    again = await store.db.write(job(run.id, 7, "two", now=6.0, with_step=True), invalidate=())
    assert again.replaced and again.record.id == first.record.id
    assert again.record.updated_at == 6.0 and again.record.created_at == 5.0
    assert again.step is not None
    assert saved(again.step) == [(7, "answer", {"text": "two"}), (7, "pass", {"text": "-"})]


async def test_a_batch_saves_what_the_jobs_one_by_one_would(store: Store) -> None:
    run = await new_run(store, 100)
    left = await new_run(store, 101)
    await store.db.write(job(run.id, 3, "before"), invalidate=())
    await store.runs.update(left.id, 0, step_index=1)
    outcomes = await together(
        store,
        [
            job(run.id, 1, "a"),
            job(run.id, 2, "b"),
            job(run.id, 3, "changed"),  # a second answer: alone
            job(run.id, None, "anonymous"),  # alone
            job(left.id, 4, "late"),  # the run left the step
            job(run.id, 1, "a again"),  # the member's second job in the batch
            job(run.id, 5, "e", with_step=True, step_at_least=99),  # too few to read the step
        ],
    )
    assert [ok for ok, _ in outcomes] == [True, True, True, True, False, True, True]
    assert isinstance(outcomes[4][1], StepMoved)
    assert [added.replaced for ok, added in outcomes if ok] == [
        False,
        False,
        True,
        False,
        True,
        False,
    ]
    assert outcomes[6][1].step is None
    step = await store.contributions.for_step(run.id, 0)
    assert sorted(saved(step), key=repr) == sorted(
        [
            (3, "answer", {"text": "changed"}),
            (1, "answer", {"text": "a again"}),
            (2, "answer", {"text": "b"}),
            (None, "answer", {"text": "anonymous"}),
            (5, "answer", {"text": "e"}),
        ],
        key=repr,
    )
    assert await store.contributions.for_step(left.id, 0) == []


async def test_a_batch_gives_the_step_back_once_it_has_enough(store: Store) -> None:
    run = await new_run(store, 100)
    outcomes = await together(
        store,
        [job(run.id, 1, "a"), job(run.id, 2, "b", with_step=True, step_at_least=2)],
    )
    step = outcomes[1][1].step
    assert step is not None
    assert saved(step) == [(1, "answer", {"text": "a"}), (2, "answer", {"text": "b"})]

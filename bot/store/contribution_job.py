"""One member's contribution to a step as a group-commit job, alone or a batch's worth at once.

A burst of answers (everyone checking in at the start of a session) is the hottest write Chorus
has. Alone, a contribution job is 2-4 statements (is the run still at the step, and the member's
earlier answer; the INSERT or UPDATE; what goes with it, e.g. the check-in row; the step's
count). Consecutive contribution jobs in a batch run together instead (`run_together`): one
look-up for all of them, one INSERT per table for the new ones, one count, so a batch of 200
answers is a handful of statements, not 800 (round trips on PostgreSQL, per-statement Python on
SQLite). A member's second answer (an UPDATE), an anonymous one and any job whose `also` has no
batch form still run alone, after the batch's new rows and in their own order.
"""

from __future__ import annotations

import functools
import json
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Self

from bot.records.sessions import ContributionRecord
from bot.store.engine import ColumnType, Conn, Row, batch_rows
from bot.store.writer import Batchable

CONTRIBUTION_COLUMNS = "id, run_id, step_index, author_id, kind, payload, created_at, updated_at"
_LIVE_AT_STEP = (
    "SELECT 1 FROM activity_runs WHERE id = ? AND step_index = ? AND state IN ('running', 'paused')"
)
_STEP_COUNT = "SELECT COUNT(*) FROM contributions WHERE run_id = ? AND step_index = ?"
_STEP = (
    f"SELECT {CONTRIBUTION_COLUMNS} FROM contributions WHERE run_id = ? AND step_index = ?"
    " ORDER BY id"
)
_KEYS: tuple[tuple[str, ColumnType], ...] = (
    ("run_id", "BIGINT"),
    ("step_index", "BIGINT"),
    ("author_id", "BIGINT"),
)
_NEW: tuple[tuple[str, ColumnType], ...] = (
    ("run_id", "BIGINT"),
    ("step_index", "BIGINT"),
    ("author_id", "BIGINT"),
    ("kind", "TEXT"),
    ("payload", "TEXT"),
    ("created_at", "DOUBLE PRECISION"),
)


def contribution(row: Row) -> ContributionRecord:
    """A contributions row (CONTRIBUTION_COLUMNS order) as its record; payload parsed."""
    values = tuple(row)
    return ContributionRecord(
        id=values[0],
        run_id=values[1],
        step_index=values[2],
        author_id=values[3],
        kind=values[4],
        payload={} if values[5] == "{}" else json.loads(values[5]),
        created_at=values[6],
        updated_at=values[7],
    )


class Added(NamedTuple):
    """A saved contribution, whether it replaced one, and what was asked for with it (a tuple:
    one is made per answer)."""

    record: ContributionRecord
    replaced: bool
    """The member's earlier contribution of the same kind was changed (a pass -> answer isn't)."""
    step: list[ContributionRecord] | None
    """Every contribution of the step after this one (asked for with `with_step`)."""
    also: Any
    """What the `also` job returned."""


class StepMoved(Exception):
    """The run is no longer live at the step a contribution was meant for; nothing was saved."""


Also = Callable[[Conn, bool], Awaitable[Any]]
"""A job committed with a contribution: (connection, whether an earlier one was replaced)."""


Mirror = Callable[[Conn, ContributionRecord], Awaitable[None]]
"""A job committed with a contribution that is given the saved record (e.g. a lyric event
mirrored into song_lines under the contribution's id)."""


class BatchableAlso(ABC):
    """An `also` job that can write for many new contributions (nothing replaced) at once."""

    __slots__ = ()

    @abstractmethod
    async def __call__(self, conn: Conn, replaced: bool) -> Any:
        """By itself, after its contribution was written."""

    @classmethod
    @abstractmethod
    async def run_together(cls, conn: Conn, items: Sequence[Self]) -> list[tuple[bool, Any]]:
        """For new contributions, before they are written: per item (True, its result), or
        (False, the exception) when nothing of it may be kept (its contribution is then not
        written either). Wrote nothing for the refused ones."""


# Not frozen: a frozen dataclass sets each of its 13 fields through object.__setattr__, and one
# is made per answer (nothing changes a job after it is queued).
@dataclass(slots=True, eq=False)
class ContributionJob(Batchable):
    """Save a contribution; with `replace`, the author's earlier one of a kind in `kinds` changes.

    The run is checked inside the same transaction: if it has left `step_index` (or ended) the
    job raises StepMoved and nothing is written. With `with_step`, every contribution of the
    step as committed comes back, once the step has `step_at_least` (fewer can't complete it).
    """

    run_id: int
    step_index: int
    author_id: int | None
    kind: str
    payload: dict[str, Any]
    body: str
    """`payload` as stored (JSON)."""
    now: float
    replace: bool
    kinds: tuple[str, ...]
    also: Also | None
    with_step: bool
    step_at_least: int
    mirror: Mirror | None = None

    async def __call__(self, conn: Conn) -> Added:
        existing: Row | None = None
        if self.replace and self.author_id is not None:
            found = await conn.fetch_one(
                _find_existing(len(self.kinds)),
                (self.author_id, *self.kinds, self.run_id, self.step_index),
            )
            if found is None:
                raise StepMoved()
            existing = found if found[0] is not None else None
        elif await conn.fetch_one(_LIVE_AT_STEP, (self.run_id, self.step_index)) is None:
            raise StepMoved()
        if existing is not None:
            row = await conn.fetch_one(
                "UPDATE contributions SET kind = ?, payload = ?, updated_at = ? WHERE id = ?"
                f" RETURNING {CONTRIBUTION_COLUMNS}",
                (self.kind, self.body, self.now, int(existing[0])),
            )
            assert row is not None
            record = contribution(row)
        else:
            new_id = await conn.fetch_val(
                "INSERT INTO contributions (run_id, step_index, author_id, kind, payload,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    self.run_id,
                    self.step_index,
                    self.author_id,
                    self.kind,
                    self.body,
                    self.now,
                    self.now,
                ),
            )
            record = self._record(int(new_id))
        extra = await self.also(conn, existing is not None) if self.also is not None else None
        if self.mirror is not None:
            await self.mirror(conn, record)
        step = None
        read_step = self.with_step
        if self.with_step and self.step_at_least > 0:
            count = await conn.fetch_val(_STEP_COUNT, (self.run_id, self.step_index))
            read_step = int(count) >= self.step_at_least
        if read_step:
            step = [
                contribution(r) for r in await conn.fetch_all(_STEP, (self.run_id, self.step_index))
            ]
        # "Replaced" for the member means the same kind of answer changed (not a pass -> answer).
        return Added(record, existing is not None and existing[1] == self.kind, step, extra)

    def _record(self, new_id: int) -> ContributionRecord:
        return ContributionRecord(
            id=new_id,
            run_id=self.run_id,
            step_index=self.step_index,
            author_id=self.author_id,
            kind=self.kind,
            payload=json.loads(self.body) if self.payload else {},
            created_at=self.now,
            updated_at=self.now,
        )

    @property
    def _joins_batch(self) -> bool:
        """A one-answer contribution by a known member whose `also` (if any) can batch."""
        return (
            self.replace
            and self.author_id is not None
            and (self.also is None or isinstance(self.also, BatchableAlso))
            and self.mirror is None
        )

    @classmethod
    async def run_together(cls, conn: Conn, jobs: Sequence[Self]) -> list[tuple[bool, Any]]:
        """Batchable.run_together: one look-up of the runs and earlier answers for all jobs (a
        job whose run left its step gets (False, StepMoved)); each BatchableAlso kind together;
        one INSERT for the new contributions; the rest (second answers, anonymous ones, `also`
        without a batch form, a member's second job) alone, in order; one count per step. Per
        job (True, Added) or (False, StepMoved or the `also`'s refusal). Batch rows are a VALUES
        list on SQLite, unnest on PostgreSQL (`batch_rows`). Any other error raises, and the
        batch is redone job by job.
        """
        outcomes: list[tuple[bool, Any] | None] = [None] * len(jobs)
        fresh, alone = await _sort(conn, jobs, outcomes)
        extras: dict[int, Any] = {}
        by_kind: dict[type[BatchableAlso], list[int]] = {}
        for index in fresh:
            also = jobs[index].also
            if isinstance(also, BatchableAlso):
                by_kind.setdefault(type(also), []).append(index)
        for kind, indexes in by_kind.items():
            items = [jobs[i].also for i in indexes]
            results = await kind.run_together(conn, items)  # type: ignore[arg-type]
            for index, (ok, value) in zip(indexes, results, strict=True):
                if ok:
                    extras[index] = value
                else:
                    outcomes[index] = (False, value)
        fresh = [i for i in fresh if outcomes[i] is None]
        records = await _insert(conn, [jobs[i] for i in fresh])
        for index in alone:
            try:
                outcomes[index] = (True, await jobs[index](conn))
            except StepMoved as moved:  # raised before the job wrote anything
                outcomes[index] = (False, moved)
        steps = await _steps(conn, [(i, jobs[i]) for i in fresh])
        for index, record in zip(fresh, records, strict=True):
            outcomes[index] = (True, Added(record, False, steps.get(index), extras.get(index)))
        done = [o for o in outcomes if o is not None]
        assert len(done) == len(jobs), "every job has an outcome"
        return done


async def _sort(
    conn: Conn, jobs: Sequence[ContributionJob], outcomes: list[tuple[bool, Any] | None]
) -> tuple[list[int], list[int]]:
    """Which jobs insert a new row in the batch's INSERT (fresh) and which run by themselves
    (alone: a second answer, anything that can't batch, and a member's second job in the same
    batch); jobs for a run no longer at their step get StepMoved in `outcomes`."""
    joining = [i for i, job in enumerate(jobs) if job._joins_batch]
    alone = [i for i, job in enumerate(jobs) if not job._joins_batch]
    fresh: list[int] = []
    if not joining:
        return fresh, alone
    cte, params = batch_rows(
        conn.engine,
        "u",
        _KEYS,
        [(jobs[i].run_id, jobs[i].step_index, jobs[i].author_id) for i in joining],
    )
    rows = await conn.fetch_all(
        f"WITH {cte} SELECT u.n, r.id, c.id, c.kind FROM u"
        " LEFT JOIN activity_runs r ON r.id = u.run_id AND r.step_index = u.step_index"
        " AND r.state IN ('running', 'paused')"
        " LEFT JOIN contributions c ON r.id IS NOT NULL AND c.run_id = u.run_id"
        " AND c.step_index = u.step_index AND c.author_id = u.author_id"
        " ORDER BY u.n, c.id",
        params,
    )
    live: set[int] = set()
    earlier: dict[int, list[str]] = {}
    for row in rows:
        n = int(row[0])
        if row[1] is not None:
            live.add(n)
        if row[2] is not None:
            earlier.setdefault(n, []).append(str(row[3]))
    seen: set[tuple[int, int, int | None]] = set()
    for n, index in enumerate(joining, start=1):
        job = jobs[index]
        key = (job.run_id, job.step_index, job.author_id)
        if n not in live:
            outcomes[index] = (False, StepMoved())
        elif key in seen or any(kind in job.kinds for kind in earlier.get(n, ())):
            alone.append(index)
        else:
            fresh.append(index)
        seen.add(key)
    alone.sort()
    return fresh, alone


async def _insert(conn: Conn, jobs: Sequence[ContributionJob]) -> list[ContributionRecord]:
    """One INSERT for every new contribution of the batch; their records, in order."""
    if not jobs:
        return []
    cte, params = batch_rows(
        conn.engine,
        "u",
        _NEW,
        [(j.run_id, j.step_index, j.author_id, j.kind, j.body, j.now) for j in jobs],
    )
    async with conn.key_checks_planned_once(len(jobs)):  # the run_id foreign key, checked per row
        rows = await conn.fetch_all(
            f"WITH {cte} INSERT INTO contributions (run_id, step_index, author_id, kind,"
            " payload, created_at, updated_at) SELECT run_id, step_index, author_id, kind,"
            " payload, created_at, created_at FROM u ORDER BY n RETURNING id",
            params,
        )
    # Ids are handed out in insertion order (one writer holds the table's rowid or sequence
    # for this statement's rows in turn), and RETURNING's own order isn't promised: sorted ids
    # are the rows in `jobs` order.
    ids = sorted(int(r[0]) for r in rows)
    assert len(ids) == len(jobs), "one id per inserted contribution"
    return [job._record(new_id) for job, new_id in zip(jobs, ids, strict=True)]


async def _steps(
    conn: Conn, jobs: Sequence[tuple[int, ContributionJob]]
) -> dict[int, list[ContributionRecord]]:
    """For the jobs asking `with_step`: the step as committed, once it has enough rows.

    Only the batch's last new contribution to a step gets it, as alone only the one that
    brought the step to its full count would: the others' callers would each try to move
    the run on (and all but one find it already moved)."""
    last: dict[tuple[int, int], tuple[int, ContributionJob]] = {}
    for index, job in jobs:
        if job.with_step:
            last[(job.run_id, job.step_index)] = (index, job)
    if not last:
        return {}
    found = await step_rows(conn, {key: job.step_at_least for key, (_, job) in last.items()})
    return {last[key][0]: records for key, records in found.items()}


class Authors(NamedTuple):
    """A step's contributions as their author ids alone (None: anonymous), in no order: all a
    step whose rule is "everyone expected answered" needs to read."""

    ids: list[int | None]


async def _reached(conn: Conn, wanted: Mapping[tuple[int, int], int]) -> list[tuple[int, int]]:
    """The (run id, step index) of `wanted` with at least the count given (0: always); one
    count for all."""
    counts: dict[tuple[int, int], int] = {}
    counted = [key for key, at_least in wanted.items() if at_least > 0]
    if counted:
        cte, params = batch_rows(conn.engine, "u", _KEYS[:2], counted)
        for row in await conn.fetch_all(
            f"WITH {cte} SELECT u.run_id, u.step_index, (SELECT COUNT(*) FROM contributions c"
            " WHERE c.run_id = u.run_id AND c.step_index = u.step_index) FROM u",
            params,
        ):
            counts[(int(row[0]), int(row[1]))] = int(row[2])
    return [
        key for key, at_least in wanted.items() if at_least == 0 or counts.get(key, 0) >= at_least
    ]


async def _reached_contributions(
    conn: Conn, wanted: Mapping[tuple[int, int], int], select: str, order: str = ""
) -> tuple[list[tuple[int, int]], Sequence[Row]]:
    """The steps of `wanted` reached (`_reached`) and the `select` columns (`u.` the step's
    keys, `c.` a contribution) of all their contributions, in one query (one round trip on
    PostgreSQL); ([], []) when none is reached."""
    reached = await _reached(conn, wanted)
    if not reached:
        return [], []
    cte, params = batch_rows(conn.engine, "u", _KEYS[:2], reached)
    rows = await conn.fetch_all(
        f"WITH {cte} SELECT {select} FROM u JOIN contributions c"
        f" ON c.run_id = u.run_id AND c.step_index = u.step_index{order}",
        params,
    )
    return reached, rows


async def step_rows(
    conn: Conn, wanted: Mapping[tuple[int, int], int]
) -> dict[tuple[int, int], list[ContributionRecord]]:
    """(run id, step index) -> every contribution of the step as committed, for the steps in
    `wanted` that have at least the count given (0: always); one count and one read for all."""
    reached, rows = await _reached_contributions(conn, wanted, _prefixed("c"), " ORDER BY c.id")
    steps: dict[tuple[int, int], list[ContributionRecord]] = {key: [] for key in reached}
    for row in rows:
        record = contribution(row)
        steps[(record.run_id, record.step_index)].append(record)
    return steps


async def step_authors(
    conn: Conn, wanted: Mapping[tuple[int, int], int]
) -> dict[tuple[int, int], Authors]:
    """`step_rows` as author ids only: no record per contribution."""
    reached, rows = await _reached_contributions(
        conn, wanted, "u.run_id, u.step_index, c.author_id"
    )
    steps: dict[tuple[int, int], Authors] = {key: Authors([]) for key in reached}
    for row in rows:
        steps[(int(row[0]), int(row[1]))].ids.append(None if row[2] is None else int(row[2]))
    return steps


def _prefixed(alias: str) -> str:
    return ", ".join(f"{alias}.{column}" for column in CONTRIBUTION_COLUMNS.split(", "))


@functools.cache
def _find_existing(kinds: int) -> str:
    """In one query: whether the run is live at the step (no row: it isn't) and the member's
    earlier contribution to it of any of `kinds` kinds (NULLs: none)."""
    return (
        "SELECT c.id, c.kind FROM activity_runs r LEFT JOIN contributions c"
        " ON c.run_id = r.id AND c.step_index = r.step_index AND c.author_id = ?"
        f" AND c.kind IN ({', '.join('?' for _ in range(kinds))})"
        " WHERE r.id = ? AND r.step_index = ? AND r.state IN ('running', 'paused')"
        " ORDER BY c.id LIMIT 1"
    )

"""A change to an activity run as a group-commit job, alone or a batch's worth at once.

When a burst of answers completes many steps at once, every one of those sessions moves on
with one `UPDATE activity_runs ... RETURNING` (on PostgreSQL a round trip each: 500 of them
for the check-in benchmark's burst, more than the 10,000 answers' own). Consecutive run
updates in a batch run together instead (see writer.Batchable): one `UPDATE ... FROM` the
batch's rows per set of changed columns. The step compare-and-set stays per run: a run no
longer at its expected step (or no longer live) is left unchanged and its job gets None, as
alone. So does the compare-and-set of a job that also expects the run as read (`expected`: a
read-modify-write of its clock or step state, which two processes may do at once): the batch's
rows carry the values read, and a run changed since is left unchanged.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Self

from bot.records.sessions import RunRecord
from bot.store.engine import ColumnType, Conn, batch_rows
from bot.store.notify import ChangeFeed
from bot.store.writer import Batchable

RUN_COLUMNS = (
    "id, session_id, activity_id, version_hash, definition, step_index, step_started_at,"
    " step_deadline, paused_remaining, step_message_id, step_state, wake_at, state,"
    " started_at, ended_at"
)
FIELDS: dict[str, ColumnType] = {
    "step_index": "BIGINT",
    "step_started_at": "DOUBLE PRECISION",
    "step_deadline": "DOUBLE PRECISION",
    "paused_remaining": "DOUBLE PRECISION",
    "step_message_id": "BIGINT",
    "step_state": "TEXT",
    "wake_at": "DOUBLE PRECISION",
    "state": "TEXT",
    "ended_at": "DOUBLE PRECISION",
}
"""The columns a run update may change, with their type for a batch's arrays."""
_LIVE = "state IN ('running', 'paused')"

GUARDED = ("state", "step_deadline", "paused_remaining", "step_state", "wake_at")
"""The columns a compare-and-set finds as it read them (`RunUpdateJob.expected`): what a
pause, a resume, an extension, a timer or a step handler decides from. Not the step message
(posting it changes nothing that is decided)."""


def as_read(run: RunRecord) -> tuple[Any, ...]:
    """`run`'s GUARDED columns, in that order (a compare-and-set's `expected`)."""
    return tuple(getattr(run, name) for name in GUARDED)


@dataclass(frozen=True, slots=True, eq=False)
class RunUpdateJob(Batchable):
    """Set `fields` to `values` on run `run_id`; with `expected_step`, only if the run is still
    live at that step. The run as committed, or None when it wasn't changed."""

    run_id: int
    expected_step: int | None
    fields: tuple[str, ...]
    values: tuple[Any, ...]
    changes: ChangeFeed | None = None
    """Where to tell the other processes which runs changed (`run <ids>`, in the same
    transaction), so none of them keeps serving its cached copy."""
    expected: tuple[Any, ...] | None = None
    """With it (and `expected_step`), only if the run's GUARDED columns still hold these values
    (`as_read`): the compare-and-set of a change computed from the run as read, which another
    process may have changed meanwhile (each process serialises its own changes only)."""

    async def __call__(self, conn: Conn) -> RunRecord | None:
        guarded = self.expected_step is not None
        state_guarded = guarded and self.expected is not None
        params = (
            *self.values,
            self.run_id,
            *((self.expected_step,) if guarded else ()),
            *((self.expected or ()) if state_guarded else ()),
        )
        row = await conn.fetch_one(_alone(self.fields, guarded, state_guarded), params)
        if row is None:
            return None
        if self.changes is not None:
            await self.changes.notify_in(conn, "run", self.run_id)
        return RunRecord(*tuple(row))

    @classmethod
    async def run_together(cls, conn: Conn, jobs: Sequence[Self]) -> list[tuple[bool, Any]]:
        """Batchable.run_together: per round (a run's k-th update of the batch in round k), set
        of changed columns and guard, one `UPDATE activity_runs ... FROM` the batch's rows
        (`batch_rows`: a VALUES list on SQLite, unnest on PostgreSQL) `RETURNING` the runs, and
        one change notice for the changed runs; a group of one runs alone. Per job (True,
        RunRecord as committed, or None when the run wasn't live at `expected_step`, or wasn't
        as `expected`). Driver errors raise, and the batch is redone job by job.
        """
        outcomes: list[tuple[bool, Any]] = [(True, None)] * len(jobs)
        # A run's k-th update of the batch goes in round k, so one statement never changes a
        # row twice and a run's updates keep their order; different runs are independent rows.
        rounds: list[dict[tuple[tuple[str, ...], bool, bool], list[int]]] = []
        seen: dict[int, int] = {}
        for index, job in enumerate(jobs):
            turn = seen.get(job.run_id, 0)
            seen[job.run_id] = turn + 1
            if turn == len(rounds):
                rounds.append({})
            guarded = job.expected_step is not None
            key = (job.fields, guarded, guarded and job.expected is not None)
            rounds[turn].setdefault(key, []).append(index)
        for groups in rounds:
            for (fields, guarded, as_read), indexes in groups.items():
                if len(indexes) == 1:
                    outcomes[indexes[0]] = (True, await jobs[indexes[0]](conn))
                    continue
                columns = _columns(fields, guarded, as_read)
                cte, params = batch_rows(
                    conn.engine,
                    "u",
                    columns,
                    [_row(jobs[i], guarded, as_read) for i in indexes],
                )
                statement = _together(fields, guarded, as_read)
                rows = await conn.fetch_all(f"WITH {cte} {statement}", params)
                changed = {int(row[0]): RunRecord(*tuple(row)) for row in rows}
                feed = jobs[indexes[0]].changes
                if feed is not None and changed:
                    await feed.notify_in(conn, "run", *changed)
                for index in indexes:
                    outcomes[index] = (True, changed.get(jobs[index].run_id))
        return outcomes


def _row(job: RunUpdateJob, guarded: bool, as_read: bool) -> tuple[Any, ...]:
    if as_read:
        return (job.run_id, job.expected_step, *(job.expected or ()), *job.values)
    if guarded:
        return (job.run_id, job.expected_step, *job.values)
    return (job.run_id, *job.values)


def _assignments(fields: tuple[str, ...], value: Any) -> str:
    text = ", ".join(f"{name} = {value(name)}" for name in fields)
    if "wake_at" in fields:
        # A new wake time ends any claim on the old one (see RunRepository.claim_due).
        text += ", wake_claimed_until = NULL"
    return text


@functools.cache
def _alone(fields: tuple[str, ...], guarded: bool, state_guarded: bool = False) -> str:
    where = f"id = ? AND step_index = ? AND {_LIVE}" if guarded else "id = ?"
    if state_guarded:
        # Null-safe (a deadline may be unset); the same text on both engines.
        where += "".join(f" AND {name} IS NOT DISTINCT FROM ?" for name in GUARDED)
    return (
        f"UPDATE activity_runs SET {_assignments(fields, lambda _: '?')} WHERE {where}"
        f" RETURNING {RUN_COLUMNS}"
    )


@functools.cache
def _columns(
    fields: tuple[str, ...], guarded: bool, as_read: bool
) -> tuple[tuple[str, ColumnType], ...]:
    # The batch's columns are named new_<column> (and was_<column>, the value read), so nothing
    # in the statement is ambiguous between the run and the batch row (SQLite's RETURNING may
    # only name the run's columns).
    keys: tuple[tuple[str, ColumnType], ...] = (("run", "BIGINT"),)
    if guarded:
        keys += (("expected", "BIGINT"),)
    if as_read:
        keys += tuple((f"was_{name}", FIELDS[name]) for name in GUARDED)
    return keys + tuple((f"new_{name}", FIELDS[name]) for name in fields)


@functools.cache
def _together(fields: tuple[str, ...], guarded: bool, as_read: bool) -> str:
    where = "activity_runs.id = u.run"
    if guarded:
        where += f" AND activity_runs.step_index = u.expected AND activity_runs.{_LIVE}"
    if as_read:
        where += "".join(
            f" AND activity_runs.{name} IS NOT DISTINCT FROM u.was_{name}" for name in GUARDED
        )
    returning = ", ".join(f"activity_runs.{c}" for c in RUN_COLUMNS.split(", "))
    return (
        f"UPDATE activity_runs SET {_assignments(fields, lambda name: f'u.new_{name}')}"
        f" FROM u WHERE {where} RETURNING {returning}"
    )

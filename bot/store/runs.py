"""Activity runs (the step state machine's saved state) and the contributions made in them.

Times are UTC timestamps in seconds (Unix time)."""

from __future__ import annotations

import json
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

from bot.records.sessions import ContributionRecord, NewContribution, NewRun, RunRecord
from bot.store import cached_reads
from bot.store.contribution_job import CONTRIBUTION_COLUMNS, ContributionJob, contribution
from bot.store.contribution_job import Added as Added
from bot.store.contribution_job import Also as Also
from bot.store.contribution_job import Mirror as Mirror
from bot.store.contribution_job import StepMoved as StepMoved
from bot.store.database import Conn, Database, Row
from bot.store.engine import IntegrityError
from bot.store.notify import ChangeFeed
from bot.store.run_update_job import FIELDS, RUN_COLUMNS, RunUpdateJob, as_read

_RUN_COLUMNS = RUN_COLUMNS
_CONTRIBUTION_COLUMNS = CONTRIBUTION_COLUMNS


def _run(row: Row) -> RunRecord:
    return RunRecord(*tuple(row))


_NOT_CACHED = object()


def _kept_run(run: RunRecord | None) -> list[tuple[cached_reads.CachedRead, RunRecord]]:
    """A run write's write-through: the run as committed (nothing when the write was refused)."""
    return [] if run is None else [(cached_reads.run(run.id), run)]


_KEEP_RUN = cached_reads.WriteThrough(_kept_run)


def _claimed(runs: list[RunRecord]) -> list[cached_reads.CachedRead]:
    return [cached_reads.run(run.id) for run in runs]


class RunAlreadyLive(Exception):
    """The session already has a running or paused activity."""


CLAIM_BATCH = 200
"""Due runs claimed per statement (the rest on the next wake-up, at once)."""


@dataclass(frozen=True, slots=True)
class ShardScope:
    """The gateway shards whose guilds' timers this process fires now.

    Discord puts a guild on shard `(guild_id >> 22) % shard_count`."""

    shards: frozenset[int]
    shard_count: int

    def where(self, guild_column: str) -> tuple[str, tuple[int, ...]]:
        """A condition on `guild_column` (same text on both engines) and its parameters."""
        marks = ", ".join("?" for _ in self.shards)
        return (
            f"(({guild_column} / 4194304) % ?) IN ({marks})",
            (self.shard_count, *sorted(self.shards)),
        )


class RunRepository:
    """The activity_runs table: each run's step, deadlines, step state and wake-up claims.
    Reads of one run are cached (`get`); every change is a group-commit job."""

    def __init__(self, db: Database, changes: ChangeFeed | None = None) -> None:
        self._db = db
        self._changes = changes or ChangeFeed(db)
        """A run changed here (a step moved, a pause, an extension) is dropped from the other
        processes' caches: `run <id>` in the same transaction."""

    async def create(self, new: NewRun, now: float) -> RunRecord:
        """The `new` run at its first step, started at `now` (UTC seconds); the run as committed
        (and kept in the cache).

        Raises RunAlreadyLive when the session already has a running or paused activity.
        Changes no other cached read: a start during a burst of starts leaves the other
        sessions' runs and present lists cached (issue 17 item 5, BENCHMARKS.md)."""

        async def job(conn: Conn) -> RunRecord:
            row = await conn.fetch_one(
                "INSERT INTO activity_runs (session_id, activity_id, version_hash, definition,"
                " step_started_at, step_deadline, wake_at, step_state, started_at)"
                f" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {_RUN_COLUMNS}",
                (
                    new.session_id,
                    new.activity_id,
                    new.version_hash,
                    new.definition,
                    now,
                    new.step_deadline,
                    new.step_deadline,
                    new.step_state,
                    now,
                ),
            )
            assert row is not None  # RETURNING of an INSERT that did not raise
            return _run(row)

        try:
            # The new id is known once the job has run: its only cached read (a look-up of it
            # before it existed, None) is set to the run as committed.
            return await self._db.write(job, invalidate=(), keep=_KEEP_RUN)
        except IntegrityError as exc:
            raise RunAlreadyLive(str(exc)) from exc

    async def get(self, run_id: int) -> RunRecord | None:
        """A run as committed (cached until a write transaction changes it)."""
        # An answer's look-up: served from the cache without a loader or a nested coroutine.
        found = self._db.peek(cached_reads.run(run_id), _NOT_CACHED)
        if found is not _NOT_CACHED:
            result: RunRecord | None = found
            return result

        async def load() -> RunRecord | None:
            row = await self._db.fetch_one(
                f"SELECT {_RUN_COLUMNS} FROM activity_runs WHERE id = ?", (run_id,)
            )
            return _run(row) if row else None

        return await self._db.cached(cached_reads.run(run_id), load)

    async def live_for_session(self, session_id: int) -> RunRecord | None:
        """The session's running or paused run (read from the database, not cached), or None."""
        row = await self._db.fetch_one(
            f"SELECT {_RUN_COLUMNS} FROM activity_runs WHERE session_id = ?"
            " AND state IN ('running', 'paused')",
            (session_id,),
        )
        return _run(row) if row else None

    async def for_session(self, session_id: int) -> list[RunRecord]:
        """Every run of a session, live or ended, in the order they started."""
        rows = await self._db.fetch_all(
            f"SELECT {_RUN_COLUMNS} FROM activity_runs WHERE session_id = ? ORDER BY id",
            (session_id,),
        )
        return [_run(r) for r in rows]

    async def all_live(self) -> list[RunRecord]:
        """Every running or paused run (resuming after a restart)."""
        rows = await self._db.fetch_all(
            f"SELECT {_RUN_COLUMNS} FROM activity_runs WHERE state IN ('running', 'paused')"
        )
        return [_run(r) for r in rows]

    async def next_wake(self, scope: ShardScope | None = None) -> float | None:
        """The earliest wake time (UTC seconds) of a running run, not before a claim or hold
        on it lapses (see `claim_due`, `hold_wake`); with `scope`, of the runs in those shards'
        guilds."""
        if scope is None:
            row = await self._db.fetch_one(
                "SELECT MIN(CASE WHEN wake_claimed_until > wake_at"
                " THEN wake_claimed_until ELSE wake_at END) FROM activity_runs"
                " WHERE state = 'running' AND wake_at IS NOT NULL"
            )
        else:
            if not scope.shards:
                return None
            where, params = scope.where("s.guild_id")
            row = await self._db.fetch_one(
                "SELECT MIN(CASE WHEN r.wake_claimed_until > r.wake_at"
                " THEN r.wake_claimed_until ELSE r.wake_at END)"
                " FROM activity_runs r JOIN sessions s ON s.id = r.session_id"
                f" WHERE r.state = 'running' AND r.wake_at IS NOT NULL AND {where}",
                params,
            )
        return float(row[0]) if row and row[0] is not None else None

    async def claim_due(self, now: float, scope: ShardScope, hold: float) -> list[RunRecord]:
        """Claim the due wakes of the runs in `scope`'s guilds for `hold` seconds; the runs
        as committed, earliest wake first.

        One statement in one write: on PostgreSQL the due rows are locked `FOR UPDATE SKIP
        LOCKED`, so two processes claiming at once never both get a run; a run already claimed
        by a process (until its claim lapses, e.g. that process died) is left alone. The wake's
        own update (which sets wake_at) ends the claim; the step compare-and-set in `update`
        still guards it against a member's action meanwhile."""
        if not scope.shards:
            return []
        where, params = scope.where("s.guild_id")

        async def job(conn: Conn) -> list[RunRecord]:
            lock = " FOR UPDATE OF r SKIP LOCKED" if conn.engine == "postgresql" else ""
            rows = await conn.fetch_all(
                f"UPDATE activity_runs SET wake_claimed_until = ? WHERE id IN ("
                " SELECT r.id FROM activity_runs r JOIN sessions s ON s.id = r.session_id"
                " WHERE r.state = 'running' AND r.wake_at IS NOT NULL AND r.wake_at <= ?"
                " AND (r.wake_claimed_until IS NULL OR r.wake_claimed_until <= ?)"
                f" AND {where} ORDER BY r.wake_at LIMIT {CLAIM_BATCH}{lock})"
                f" RETURNING {_RUN_COLUMNS}",
                (now + hold, now, now, *params),
            )
            return sorted((_run(r) for r in rows), key=lambda run: (run.wake_at or 0.0, run.id))

        # The claim itself is in no cached read (not a RunRecord field); but another process
        # may have changed a claimed run since this one cached it, so those are forgotten.
        return await self._db.write(job, invalidate=_claimed)

    async def due(self, now: float) -> list[RunRecord]:
        """Running runs whose wake time (UTC seconds) is at or before `now` and not held past
        it (`hold_wake`), earliest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_RUN_COLUMNS} FROM activity_runs WHERE state = 'running'"
            " AND wake_at IS NOT NULL AND wake_at <= ?"
            " AND (wake_claimed_until IS NULL OR wake_claimed_until <= ?) ORDER BY wake_at",
            (now, now),
        )
        return [_run(r) for r in rows]

    async def hold_wake(self, run_id: int, until: float) -> None:
        """Leave the run's due wake alone until `until` (UTC seconds): a wake that failed is
        tried again then, not at once. Any update that sets a new wake time ends the hold
        (as it ends a claim); the hold is in no cached read."""

        async def job(conn: Conn) -> None:
            await conn.execute(
                "UPDATE activity_runs SET wake_claimed_until = ? WHERE id = ?"
                " AND state = 'running'",
                (until, run_id),
            )

        await self._db.write(job, invalidate=())

    async def update(self, run_id: int, expected_step: int, **fields: Any) -> RunRecord | None:
        """Change a run only if it is still live at `expected_step` (guards double-clicked
        Next); the run as committed, or None when it wasn't (a refused compare-and-set).

        Raises ValueError for a field a run update may not change. Consecutive updates in one
        group commit are one statement per set of changed columns (run_update_job.py)."""
        unknown = set(fields) - FIELDS.keys()
        if unknown:
            raise ValueError(f"cannot update {sorted(unknown)}")
        return await self._write_run(
            RunUpdateJob(
                run_id, expected_step, tuple(fields), tuple(fields.values()), self._changes
            )
        )

    async def update_unchanged(self, run: RunRecord, **fields: Any) -> RunRecord | None:
        """`update` at `run`'s step, only if the run is still as read: its state, step
        deadline, time left while paused, step state and wake time all as in `run`
        (run_update_job.GUARDED). A compare-and-set for a change computed from the run as read
        (a pause, an extension, a timer firing, a drawn question), which another process (a
        shard being handed back, bot/shards.py, or a restart overlapping) may have changed
        meanwhile. The run as committed, or None when it changed or ended (then its cached copy
        is dropped, so the next read sees the other process's change). Raises ValueError like
        `update`."""
        unknown = set(fields) - FIELDS.keys()
        if unknown:
            raise ValueError(f"cannot update {sorted(unknown)}")
        job = RunUpdateJob(
            run.id,
            run.step_index,
            tuple(fields),
            tuple(fields.values()),
            self._changes,
            expected=as_read(run),
        )
        return await self._write_run(job, refused_is_stale=True)

    async def set_step_message(self, run_id: int, message_id: int | None) -> None:
        """Remember the id of the Discord message showing the run's current step (None:
        none); the new row stays cached."""
        await self._write_run(
            RunUpdateJob(run_id, None, ("step_message_id",), (message_id,), self._changes)
        )

    async def _write_run(
        self, job: RunUpdateJob, refused_is_stale: bool = False
    ) -> RunRecord | None:
        """The update in the next group commit; the new row stays cached (written through,
        guarded: forgotten on a failure). With `refused_is_stale`, a refused compare-and-set
        (None) forgets the cached copy: the run changed elsewhere."""
        key = cached_reads.run(job.run_id)

        def stale(run: RunRecord | None) -> list[cached_reads.CachedRead]:
            return [key] if run is None and refused_is_stale else []

        return await self._db.write(
            job, invalidate=stale, keep=cached_reads.WriteThrough(_kept_run, guarded=key)
        )


class ContributionRepository:
    """The contributions table: members' answers, lines and passes to a run's steps."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add_with(
        self,
        new: NewContribution,
        now: float,
        *,
        also: Also | None = None,
        mirror: Mirror | None = None,
    ) -> Awaitable[Added]:
        """Save the `new` contribution at `now` (UTC seconds; with `new.replace`, the author's
        earlier one of its kind, or of any kind in `new.replaces`, becomes this one), plus in
        the same commit: `also` (another repository's job, e.g. the check-in row; told whether
        an earlier one was replaced) and, with `new.with_step`, every contribution of the step
        as committed; but only once the step has `new.step_at_least` contributions (fewer
        cannot complete it), else None; `mirror` is given the saved record in the same commit.

        The run is checked inside the same transaction: if it has left `step_index` (or ended)
        the job raises StepMoved and nothing is written, so callers need no lock for that.
        Awaited: the Added once committed; raises StorageUnavailable when nothing could be
        written. (A plain function returning the write's future: the caller waits on it
        directly, one coroutine frame fewer per answer.)"""
        payload = new.payload
        job = ContributionJob(
            run_id=new.run_id,
            step_index=new.step_index,
            author_id=new.author_id,
            kind=new.kind,
            payload=payload,
            body=json.dumps(payload, ensure_ascii=False) if payload else "{}",
            now=now,
            replace=new.replace,
            kinds=tuple(dict.fromkeys((new.kind, *new.replaces))),
            also=also,
            with_step=new.with_step,
            step_at_least=new.step_at_least,
            mirror=mirror,
        )
        return self._db.submit(job, invalidate=())  # contributions are in no cached read

    async def for_step(self, run_id: int, step_index: int) -> list[ContributionRecord]:
        """Every contribution to one step of a run, in the order they were first made."""
        rows = await self._db.fetch_all(
            f"SELECT {_CONTRIBUTION_COLUMNS} FROM contributions WHERE run_id = ? AND step_index = ?"
            " ORDER BY id",
            (run_id, step_index),
        )
        return [contribution(r) for r in rows]

    async def counts_by_kind(self, session_id: int) -> dict[str, tuple[int, int]]:
        """kind -> (contributions, people behind them), from the rows stored now.

        An anonymous contribution counts as one person of its own (it can't be linked).
        """
        rows = await self._db.fetch_all(
            "SELECT c.kind, COUNT(*), COUNT(DISTINCT COALESCE(c.author_id, -c.id))"
            " FROM contributions c JOIN activity_runs r ON r.id = c.run_id"
            " WHERE r.session_id = ? GROUP BY c.kind ORDER BY c.kind",
            (session_id,),
        )
        return {str(r[0]): (int(r[1]), int(r[2])) for r in rows}

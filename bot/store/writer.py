"""Group commit: write jobs queued at the same moment run in one transaction.

Every write of the store is a job, `async def job(conn: Conn) -> T` (see engine.py), run by the
writer of its engine: the same job on SQLite and on PostgreSQL. A member's action is
acknowledged only after its transaction commits; batching the commits of everyone who acted at
the same time costs one commit instead of dozens. One failing job never undoes the others: the
batch is then redone with each job in its own SAVEPOINT. Batches hold at most `max_batch` jobs
(a job that writes many members' answers counts as that many).

On SQLite, batches run on the event loop itself, under the database's write lock (the jobs'
`await`s on a SqliteConn never suspend). A second thread would spend most of its time waiting
for the GIL (sqlite3 releases it around every statement, and the busy event loop takes it back),
which profiling showed costs about as much as the writes. With WAL and synchronous=NORMAL a
commit is a few page-cache writes and no fsync, and checkpoints (the fsyncs) run on the reader
connection's thread instead (see Database), so the loop is never held for long.

On PostgreSQL (postgres.py) a batch is one round trip per statement on the writer's own
connection; jobs queued meanwhile form the next batch.

Hot writes (a member's answer, a join, a run moving on) are `Batchable` jobs: consecutive jobs of one
such class in a batch run together, one statement per table for all of them, instead of a few
statements each. Round trips are PostgreSQL's cost and per-statement Python is SQLite's, so
both engines gain. Alone (and when a batch is redone job by job) such a job runs by itself.
"""

from __future__ import annotations

import asyncio
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Self, TypeVar

from bot.records.errors import StorageUnavailable
from bot.store.engine import Conn, SqliteConn

T = TypeVar("T")
Job = Callable[[Conn], Awaitable[Any]]

PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    # Never wait inside SQLite (that would hold the event loop): a lock held by another
    # process is retried asynchronously instead, see BUSY_RETRIES.
    "PRAGMA busy_timeout = 0",
    # Checkpoints (the fsyncs) are the Database's business, off the event loop.
    "PRAGMA wal_autocheckpoint = 0",
)
# Another process holding the write lock (a `chorus db backup`, a second bot by mistake) is
# waited for this often, with growing pauses: about 5 s in all.
BUSY_RETRIES = 40


class Batchable(ABC):
    """A write job that can also run together with the other jobs of its class in a batch."""

    __slots__ = ()

    @abstractmethod
    async def __call__(self, conn: Conn) -> Any:
        """The job by itself (also how it runs when its batch is redone job by job)."""

    @classmethod
    @abstractmethod
    async def run_together(cls, conn: Conn, jobs: Sequence[Self]) -> list[tuple[bool, Any]]:
        """Every job of `jobs`, in order, inside the open transaction, in as few statements as
        possible: per job (True, its result) or (False, the exception of a job that wrote
        nothing). Raising means the batch is redone with each job alone in a savepoint."""


class WriteFailed(Exception):
    """The batch could not be committed (read-only or full disk, locked database, lost server)."""


def reported(exc: BaseException) -> BaseException:
    """What a writer's caller is told: a batch that could not be written (WriteFailed) or a
    broken database file (sqlite3.OperationalError) as StorageUnavailable, anything else (a
    job's own refusal) as raised."""
    if isinstance(exc, WriteFailed | sqlite3.OperationalError):
        unavailable = StorageUnavailable(str(exc))
        unavailable.__cause__ = exc
        return unavailable
    return exc


class Busy(Exception):
    """Another process holds the write lock right now (retried with growing pauses)."""


class Writer(ABC):
    """The engine-independent group-commit loop; `run(job)` returns after the job committed."""

    waits_on_server = False
    """True where a batch's statements wait on a database server (PostgreSQL), so the event
    loop is free meanwhile and work done then overlaps the server's; False where the writer
    runs on the event loop itself (SQLite)."""

    def __init__(
        self,
        lock: asyncio.Lock,
        max_batch: int = 200,
        after_commit: Callable[[int], None] | None = None,
    ) -> None:
        self.max_batch = max_batch
        self._lock = lock
        self._after_commit = after_commit
        self._queue: list[tuple[Job, asyncio.Future[Any]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self.batches = 0
        self.refused: Callable[[BaseException], None] | None = None
        """Told of each job's own refusal before its caller is (the Database forgets the
        cached reads a `cached_reads.StaleRead` names)."""

    # ------------------------------------------------------------ per engine

    @property
    @abstractmethod
    def is_open(self) -> bool:
        """True while jobs may be submitted (between `open` and `close`)."""

    @abstractmethod
    def seam(self) -> Conn:
        """The connection jobs are given."""

    @abstractmethod
    async def open(self) -> None:
        """Open the writer's connection; nothing if already open."""

    @abstractmethod
    async def _close_connection(self) -> None: ...

    @abstractmethod
    async def _begin(self) -> None:
        """Start a write transaction; raise Busy to be retried, WriteFailed to give up."""

    @abstractmethod
    async def _commit_transaction(self) -> None:
        """COMMIT; raise WriteFailed if it didn't (the transaction is then rolled back)."""

    @abstractmethod
    async def _rollback(self) -> None:
        """Roll back whatever is open (no error if nothing is)."""

    @abstractmethod
    async def _statement(self, sql: str) -> None:
        """A transaction-control statement (SAVEPOINT, RELEASE, ROLLBACK TO)."""

    def _failure(self, exc: BaseException) -> Exception | None:
        """The WriteFailed a driver error means, or None when it is a job's own error."""
        return None

    # ------------------------------------------------------------ the loop

    async def close(self) -> None:
        """Wait for the queued batches to commit, then close the connection."""
        if self._flusher is not None and not self._flusher.done():
            await asyncio.gather(self._flusher, return_exceptions=True)
        await self._close_connection()

    async def run(self, job: Callable[[Conn], Awaitable[T]]) -> T:
        """Run `await job(conn)` in the next batch; its result once the batch committed (see
        `submit` for what it raises)."""
        return await self.submit(job)

    def submit(self, job: Callable[[Conn], Awaitable[T]]) -> asyncio.Future[T]:
        """Queue `job` for the next batch; a future answered once the batch committed, with
        the job's result, or its own exception (nothing of it was kept), or
        StorageUnavailable when nothing could be written (a failed commit, a lost server, a
        locked or broken database file).

        A future rather than a coroutine: the caller's task waits on it directly (one frame
        fewer to suspend and resume per write on the hottest path). Raises RuntimeError when
        the writer isn't open.
        """
        if not self.is_open:
            raise RuntimeError("writer is not open")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.append((job, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = loop.create_task(self._flush(), name="chorus-group-commit")
        return future

    @asynccontextmanager
    async def exclusive(self) -> AsyncIterator[Conn]:
        """One transaction of its own on the writer's connection, between batches.

        For a block of statements that can't be a job (a test's set-up, a copy); it commits
        when the block exits without error and rolls back otherwise. Raises RuntimeError when
        the writer isn't open, WriteFailed when the database stays busy for BUSY_RETRIES tries.
        """
        if not self.is_open:
            raise RuntimeError("writer is not open")
        for attempt in range(BUSY_RETRIES + 1):
            await self._lock.acquire()
            try:
                await self._begin()
                break
            except Busy as busy:
                self._lock.release()
                if attempt == BUSY_RETRIES:
                    raise WriteFailed(str(busy)) from busy
            except BaseException:
                self._lock.release()
                raise
            await asyncio.sleep(min(0.25, 0.005 * (attempt + 1)))
        try:
            yield self.seam()
            await self._commit_transaction()
        except BaseException:
            await self._rollback()
            raise
        finally:
            self._lock.release()

    async def _flush(self) -> None:
        # Let everyone who is acting in this same moment join the batch.
        await asyncio.sleep(0)
        while self._queue:
            batch = self._take()
            try:
                outcomes = await self._commit([job for job, _ in batch])
            except Exception as exc:  # the commit itself failed: nobody's write happened
                failed = reported(exc)
                for _, future in batch:
                    if not future.done():
                        future.set_exception(failed)
                continue
            for (_, future), (ok, value) in zip(batch, outcomes, strict=True):
                if not ok and self.refused is not None:
                    # What a refusal shows stale is forgotten even when its caller stopped waiting.
                    self.refused(value)
                if future.done():
                    continue
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(reported(value))
            if self._after_commit is not None:
                self._after_commit(len(batch))
            # Let the members just answered (and everything else) run before the next batch.
            await asyncio.sleep(0)

    def _take(self) -> list[tuple[Job, asyncio.Future[Any]]]:
        """The next batch off the queue: jobs up to `max_batch` in weight (a job's `weight`
        attribute, 1 without one: a job writing a burst's answers counts each answer), and at
        least one job."""
        taken, weight = 0, 0
        for job, _ in self._queue:
            weight += getattr(job, "weight", 1)
            if taken and weight > self.max_batch:
                break
            taken += 1
        batch, self._queue = self._queue[:taken], self._queue[taken:]
        return batch

    async def _commit(self, jobs: list[Job]) -> list[tuple[bool, Any]]:
        """One transaction for `jobs`, waiting (asynchronously) while another process writes."""
        for attempt in range(BUSY_RETRIES + 1):
            async with self._lock:
                try:
                    return await self._run_batch(jobs)
                except Busy as busy:
                    if attempt == BUSY_RETRIES:
                        raise WriteFailed(str(busy)) from busy
            await asyncio.sleep(min(0.25, 0.005 * (attempt + 1)))
        raise AssertionError("unreachable")

    async def _run_batch(self, jobs: list[Job]) -> list[tuple[bool, Any]]:
        """Every job in one transaction; a job that raises leaves nothing of itself behind.

        Jobs run back to back first, without a savepoint each (two statements saved per job).
        If one raises, the transaction is rolled back and the batch runs again, each job in its
        own SAVEPOINT. So a job may run twice: it must only touch the connection.
        """
        await self._begin()
        conn = self.seam()
        try:
            outcomes = await _together(conn, jobs)
        except Exception as exc:
            await self._rollback()
            failure = self._failure(exc)
            if failure is not None:
                raise failure from exc
            await self._begin()
            conn = self.seam()
            outcomes = await self._each_in_savepoint(conn, jobs)
        except BaseException:
            await self._rollback()
            raise
        await self._commit_transaction()
        self.batches += 1
        return outcomes

    async def _each_in_savepoint(self, conn: Conn, jobs: list[Job]) -> list[tuple[bool, Any]]:
        outcomes: list[tuple[bool, Any]] = []
        try:
            for job in jobs:
                await self._statement("SAVEPOINT job")
                try:
                    outcomes.append((True, await job(conn)))
                    await self._statement("RELEASE SAVEPOINT job")
                except Exception as exc:
                    failure = self._failure(exc)
                    if failure is not None:
                        raise failure from exc
                    await self._statement("ROLLBACK TO SAVEPOINT job")
                    await self._statement("RELEASE SAVEPOINT job")
                    outcomes.append((False, exc))
        except BaseException:
            await self._rollback()
            raise
        return outcomes


async def _together(conn: Conn, jobs: list[Job]) -> list[tuple[bool, Any]]:
    """Run `jobs` in order; each run of consecutive Batchable jobs of one class together."""
    outcomes: list[tuple[bool, Any]] = []
    start, count = 0, len(jobs)
    while start < count:
        job = jobs[start]
        if isinstance(job, Batchable):
            kind = type(job)
            end = start + 1
            while end < count and type(jobs[end]) is kind:
                end += 1
            if end - start > 1:
                together = await kind.run_together(conn, jobs[start:end])  # type: ignore[arg-type]
                assert len(together) == end - start, "one outcome per job"
                outcomes += together
                start = end
                continue
        outcomes.append((True, await job(conn)))
        start += 1
    return outcomes


class BatchWriter(Writer):
    """SQLite: one sqlite3 connection for group-committed jobs, used on the event loop."""

    def __init__(
        self,
        path: Path,
        lock: asyncio.Lock,
        max_batch: int = 500,
        after_commit: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(lock, max_batch, after_commit)
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._seam: SqliteConn | None = None

    @property
    def is_open(self) -> bool:
        """Writer.is_open: True while the sqlite3 connection is open."""
        return self._conn is not None

    @property
    def conn(self) -> sqlite3.Connection:
        """The raw sqlite3 connection (autocommit mode: transactions are explicit). Raises
        RuntimeError when the writer isn't open.
        """
        if self._conn is None:
            raise RuntimeError("writer is not open")
        return self._conn

    def seam(self) -> Conn:
        """Writer.seam: the SqliteConn on the writer's connection. Raises RuntimeError when the
        writer isn't open.
        """
        if self._seam is None:
            raise RuntimeError("writer is not open")
        return self._seam

    async def open(self) -> None:
        """Writer.open: connect to `path` (isolation_level=None, sqlite3.Row rows) and set PRAGMAS
        (WAL, synchronous=NORMAL, foreign keys, no busy wait, no autocheckpoint); nothing if
        already open. sqlite3 errors (e.g. sqlite3.OperationalError) propagate.
        """
        if self._conn is not None:
            return
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        for pragma in PRAGMAS:
            conn.execute(pragma).fetchall()
        self._conn = conn
        self._seam = SqliteConn(conn)

    async def _close_connection(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
            self._seam = None

    async def _begin(self) -> None:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise Busy(str(exc)) from exc
            raise WriteFailed(str(exc)) from exc

    async def _commit_transaction(self) -> None:
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            await self._rollback()
            raise WriteFailed(str(exc)) from exc

    async def _rollback(self) -> None:
        if self._conn is not None and self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    async def _statement(self, sql: str) -> None:
        try:
            self.conn.execute(sql)
        except sqlite3.Error as exc:
            raise WriteFailed(str(exc)) from exc

"""Group commit: write jobs queued at the same moment run in one transaction.

A member's action is acknowledged only after its transaction commits; batching the commits of
everyone who acted at the same time costs one commit instead of dozens. One failing job never
undoes the others: the batch is then redone with each job in its own SAVEPOINT.

Batches run on the event loop itself, under the database's write lock. A second thread would
spend most of its time waiting for the GIL (sqlite3 releases it around every statement, and the
busy event loop takes it back), which profiling showed costs about as much as the writes. With
WAL and synchronous=NORMAL a commit is a few page-cache writes and no fsync, a batch is capped
at `max_batch` jobs (about 10 ms of work), and checkpoints (the fsyncs) run on the reader
connection's thread instead (see Database), so the loop is never held for long.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
Job = Callable[[sqlite3.Connection], Any]

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


class WriteFailed(Exception):
    """The batch could not be committed (read-only or full disk, locked database)."""


class BatchWriter:
    """One connection for group-committed jobs; `run(job)` returns after the job committed."""

    def __init__(
        self,
        path: Path,
        lock: asyncio.Lock,
        max_batch: int = 200,
        after_commit: Callable[[int], None] | None = None,
    ) -> None:
        self.path = path
        self.max_batch = max_batch
        self._lock = lock
        self._after_commit = after_commit
        self._conn: sqlite3.Connection | None = None
        self._queue: list[tuple[Job, asyncio.Future[Any]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self.batches = 0

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("writer is not open")
        return self._conn

    async def open(self) -> None:
        if self._conn is not None:
            return
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        for pragma in PRAGMAS:
            conn.execute(pragma).fetchall()
        self._conn = conn

    async def close(self) -> None:
        if self._flusher is not None and not self._flusher.done():
            await asyncio.gather(self._flusher, return_exceptions=True)
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    async def run(self, job: Callable[[sqlite3.Connection], T]) -> T:
        """Run `job(connection)` in the next batch; return its result once the batch committed."""
        if self._conn is None:
            raise RuntimeError("writer is not open")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.append((job, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = loop.create_task(self._flush(), name="chorus-group-commit")
        return await future

    async def _flush(self) -> None:
        # Let everyone who is acting in this same moment join the batch.
        await asyncio.sleep(0)
        while self._queue:
            batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
            try:
                outcomes = await self._commit([job for job, _ in batch])
            except Exception as exc:  # the commit itself failed: nobody's write happened
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), (ok, value) in zip(batch, outcomes, strict=True):
                if future.done():
                    continue
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)
            if self._after_commit is not None:
                self._after_commit(len(batch))
            # Let the members just answered (and everything else) run before the next batch.
            await asyncio.sleep(0)

    async def _commit(self, jobs: list[Job]) -> list[tuple[bool, Any]]:
        """One transaction for `jobs`, waiting (asynchronously) while another process writes."""
        for attempt in range(BUSY_RETRIES + 1):
            async with self._lock:
                try:
                    return self._run_batch(jobs)
                except _Busy as busy:
                    if attempt == BUSY_RETRIES:
                        raise WriteFailed(str(busy)) from busy
            await asyncio.sleep(min(0.25, 0.005 * (attempt + 1)))
        raise AssertionError("unreachable")

    def _run_batch(self, jobs: list[Job]) -> list[tuple[bool, Any]]:
        """Every job in one transaction; a job that raises leaves nothing of itself behind.

        Jobs run back to back first, without a savepoint each (two statements saved per job).
        If one raises, the transaction is rolled back and the batch runs again, each job in its
        own SAVEPOINT. So a job may run twice: it must only touch the connection.
        """
        conn = self.conn
        self._begin(conn)
        try:
            outcomes: list[tuple[bool, Any]] = [(True, job(conn)) for job in jobs]
        except Exception:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            self._begin(conn)
            outcomes = self._each_in_savepoint(conn, jobs)
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise WriteFailed(str(exc)) from exc
        self.batches += 1
        return outcomes

    @staticmethod
    def _begin(conn: sqlite3.Connection) -> None:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise _Busy(str(exc)) from exc
            raise WriteFailed(str(exc)) from exc

    @staticmethod
    def _each_in_savepoint(conn: sqlite3.Connection, jobs: list[Job]) -> list[tuple[bool, Any]]:
        outcomes: list[tuple[bool, Any]] = []
        try:
            for job in jobs:
                conn.execute("SAVEPOINT job")
                try:
                    outcomes.append((True, job(conn)))
                    conn.execute("RELEASE job")
                except Exception as exc:
                    conn.execute("ROLLBACK TO job")
                    conn.execute("RELEASE job")
                    outcomes.append((False, exc))
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise WriteFailed(str(exc)) from exc
        return outcomes


class _Busy(Exception):
    """Another process holds the write lock right now."""

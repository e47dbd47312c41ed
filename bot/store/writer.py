"""Group commit: write jobs queued at the same moment run in one transaction on one thread.

A member's action is acknowledged only after its transaction commits; batching the commits of
everyone who acted at the same time costs one thread hop and one commit instead of dozens.
Each job runs inside its own SAVEPOINT, so one failing job never undoes the others.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
Job = Callable[[sqlite3.Connection], Any]

PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
)


class WriteFailed(Exception):
    """The batch could not be committed (read-only or full disk, locked database)."""


class BatchWriter:
    """One writer thread with its own connection; `run(job)` returns after the job committed."""

    def __init__(self, path: Path, max_batch: int = 5000) -> None:
        self.path = path
        self.max_batch = max_batch
        self._executor: ThreadPoolExecutor | None = None
        self._conn: sqlite3.Connection | None = None
        self._queue: list[tuple[Job, asyncio.Future[Any]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self.batches = 0

    async def open(self) -> None:
        if self._executor is not None:
            return
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chorus-writer")
        await asyncio.get_running_loop().run_in_executor(self._executor, self._connect)

    def _connect(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        for pragma in PRAGMAS:
            conn.execute(pragma).fetchall()
        self._conn = conn

    async def close(self) -> None:
        if self._flusher is not None and not self._flusher.done():
            await asyncio.gather(self._flusher, return_exceptions=True)
        executor = self._executor
        if executor is None:
            return
        conn = self._conn
        if conn is not None:
            await asyncio.get_running_loop().run_in_executor(executor, conn.close)
        executor.shutdown(wait=True)
        self._executor = None
        self._conn = None

    async def run(self, job: Callable[[sqlite3.Connection], T]) -> T:
        """Run `job(connection)` in the next batch; return its result once the batch committed."""
        if self._executor is None:
            raise RuntimeError("writer is not open")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.append((job, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = loop.create_task(self._flush(), name="chorus-group-commit")
        return await future

    async def _flush(self) -> None:
        loop = asyncio.get_running_loop()
        # Let everyone who is acting in this same moment join the batch.
        await asyncio.sleep(0)
        while self._queue:
            batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
            assert self._executor is not None
            try:
                outcomes = await loop.run_in_executor(
                    self._executor, self._run_batch, [job for job, _ in batch]
                )
            except BaseException as exc:  # the commit itself failed: nobody's write happened
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc if isinstance(exc, Exception) else WriteFailed())
                if not isinstance(exc, Exception):
                    raise
                continue
            for (_, future), (ok, value) in zip(batch, outcomes, strict=True):
                if future.done():
                    continue
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)

    def _run_batch(self, jobs: list[Job]) -> list[tuple[bool, Any]]:
        conn = self._conn
        assert conn is not None
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise WriteFailed(str(exc)) from exc
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
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise WriteFailed(str(exc)) from exc
        self.batches += 1
        return outcomes

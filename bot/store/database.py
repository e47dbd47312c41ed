"""The database: reads, the group-commit writer (the one write path) and the cache of hot reads.

`Database` is the SQLite engine (WAL, foreign keys, an owner-only file, checkpoints off the
event loop); `bot.store.postgres.PostgresDatabase` is the same API on PostgreSQL.
`bot.store.store.open_database(url)` picks one from `database_url`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Iterable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.records.errors import StorageUnavailable
from bot.store.cached_reads import Invalidates, StaleRead, WriteThrough
from bot.store.engine import Conn, EngineName, Row
from bot.store.migrator import Migration, bundled_migrations, current_version, migrate
from bot.store.writer import BatchWriter, WriteFailed, Writer

log = logging.getLogger(__name__)
T = TypeVar("T")
__all__ = ["Conn", "Database", "Row", "StorageUnavailable"]
# Group commits are checkpointed into the database file after this many batches or jobs, on the
# reader connection's thread (the writer commits on the event loop and never checkpoints). About
# SQLite's own default of 1,000 WAL pages.
CHECKPOINT_BATCHES = 100
CHECKPOINT_JOBS = 2000


def _checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    finally:
        conn.close()


class Database:
    """Reads on their own connection; every write is a job of the group-commit writer."""

    engine: EngineName = "sqlite"
    migrations_folder = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        self.writer: Writer = BatchWriter(
            path, self._write_lock, after_commit=self._schedule_checkpoint
        )
        self._checkpoint: asyncio.Task[None] | None = None
        self._since_checkpoint = (0, 0)
        self._init_cache()

    def _init_cache(self) -> None:
        self._cache: dict[Hashable, Any] = {}
        self._loading: dict[Hashable, asyncio.Future[Any]] = {}
        self._versions: dict[Hashable, int] = {}
        self._cache_generation = 0
        # A job's refusal naming stale cached reads forgets them (cached_reads.StaleRead).
        self.writer.refused = self._refused

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, StaleRead):
            self.forget(exc.stale)

    @property
    def conn(self) -> aiosqlite.Connection:
        """The reading connection; raises RuntimeError before `open`."""
        if self._conn is None:
            raise RuntimeError("Database is not open; call open() first")
        return self._conn

    async def open(self) -> None:
        """Create the folder, open the file owner-only, and set the pragmas."""
        if self._conn is not None:
            return
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():
                fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)
                os.close(fd)
            os.chmod(self.path, 0o600)
        self._conn = await aiosqlite.connect(self.path, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        for pragma in (
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = NORMAL",
            "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = 5000",
        ):
            async with self._conn.execute(pragma) as cursor:
                await cursor.fetchall()

    async def open_writer(self) -> None:
        """Start the group-commit writer (after migrations, so it sees the final schema)."""
        await self.writer.open()

    async def write(
        self,
        job: Callable[[Conn], Awaitable[T]],
        *,
        invalidate: Invalidates[T],
        keep: WriteThrough[T] | None = None,
    ) -> T:
        """Run a write job in the next group commit; returns once it has committed.

        `invalidate` is required, so every write says what it changes of the cached reads
        (`bot.store.cached_reads`): the keys it changes, `()` when it changes none, None for
        all of them, or a function of the job's result giving them (`cached_reads.Invalidates`).
        Keys given up front are forgotten afterwards, committed or not. `keep` declares a
        write-through instead (`cached_reads.WriteThrough`): its values are cached once
        committed (after `invalidate`'s keys are forgotten, so a kept key is not also named
        there). Raises StorageUnavailable when nothing could be written, or the job's own
        exception (nothing of that job was kept).
        """
        if keep is None and not callable(invalidate):
            try:
                return await self.writer.submit(job)
            finally:
                if invalidate is None or invalidate:
                    self.forget(invalidate)
        key = None if keep is None else keep.guarded  # known before the job runs
        version = None if key is None else self.version_of(key)
        guarded = key
        try:
            result = await self.writer.submit(job)
        except BaseException:
            if guarded is not None:
                self.invalidate(guarded)
            if not callable(invalidate):
                self.forget(invalidate)
            raise
        self.forget(invalidate(result) if callable(invalidate) else invalidate)
        if keep is not None:
            for key, value in keep.values(result):
                self.keep(key, value, unchanged_since=version if key == guarded else None)
        return result

    def submit(
        self, job: Callable[[Conn], Awaitable[T]], *, invalidate: tuple[()]
    ) -> asyncio.Future[T]:
        """`write` for a job that changes no cached read (`invalidate=()`, declared like every
        write's), as a future to await: the hot write path (a member's answer) suspends one
        frame, not three. Answered once committed; raises (through the future) as `write`
        does. A refusal that shows a cached read stale (`cached_reads.StaleRead`) forgets it,
        as for every job (`_refused`)."""
        return self.writer.submit(job)

    async def write_apart(self, job: Callable[[Conn], Awaitable[T]]) -> T:
        """A small write that must not wait behind the group commit's queue and changes no
        cached read (a shard lease heartbeat); on SQLite (one writer, one process) simply the
        next write."""
        return await self.write(job, invalidate=())

    def _schedule_checkpoint(self, jobs: int) -> None:
        batches, pending = self._since_checkpoint
        batches, pending = batches + 1, pending + jobs
        if batches < CHECKPOINT_BATCHES and pending < CHECKPOINT_JOBS:
            self._since_checkpoint = (batches, pending)
            return
        if self._checkpoint is not None and not self._checkpoint.done():
            self._since_checkpoint = (batches, pending)
            return  # one at a time; the next batch asks again
        self._since_checkpoint = (0, 0)
        self._checkpoint = asyncio.get_running_loop().create_task(
            self._run_checkpoint(), name="chorus-checkpoint"
        )

    async def _run_checkpoint(self) -> None:
        """Copy committed pages into the database file, on a thread with its own connection.

        PASSIVE never waits for (or blocks) a writer; whatever it can't copy now is copied
        next time. A failure only means the WAL stays longer, so it is logged, not raised.
        """
        try:
            await asyncio.to_thread(_checkpoint, self.path)
        except sqlite3.Error as exc:
            log.warning("WAL checkpoint failed (will try again later): %s", exc)

    async def cached(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        """A hot read kept in memory until a write that may change it (see `invalidate`).

        Its `key` is one of `bot.store.cached_reads`. A write names the keys it changes
        (`write(..., invalidate=...)`); `transaction()` forgets what it is told to (everything
        by default). Callers asking at the same moment share one load; a load that raced a
        write of its key is not kept.
        """
        if key in self._cache:
            found: T = self._cache[key]
            return found
        pending = self._loading.get(key)
        if pending is not None:
            shared: T = await asyncio.shield(pending)
            return shared
        epoch, version = self._cache_generation, self._versions.get(key, 0)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._loading[key] = future
        try:
            value = await load()
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: the caller raises it
            raise
        finally:
            if self._loading.get(key) is future:
                del self._loading[key]
        if epoch == self._cache_generation and version == self._versions.get(key, 0):
            self._cache[key] = value
        if not future.done():
            future.set_result(value)
        return value

    def peek(self, key: Hashable, default: Any = None) -> Any:
        """What `cached` holds for `key` now, without loading it: `default` when nothing is
        cached. For hot paths that would otherwise make a coroutine and a loader per look-up."""
        return self._cache.get(key, default)

    def version_of(self, key: Hashable) -> tuple[int, int]:
        """Moves on each time `key` (or the whole cache) is invalidated or kept (see `keep`)."""
        return self._cache_generation, self._versions.get(key, 0)

    def keep(
        self, key: Hashable, value: Any, *, unchanged_since: tuple[int, int] | None = None
    ) -> None:
        """Cache what a write just committed (write-through), so the next read needs no query.

        A load that began before the write is not kept over it (the key's version moves on).
        With `unchanged_since` (the key's version when the write was queued), a value that
        another write has kept or invalidated meanwhile is not overwritten: the key is only
        forgotten, and the next read loads what is committed.
        """
        fresh = unchanged_since is None or self.version_of(key) == unchanged_since
        self.invalidate(key)
        if fresh:
            self._cache[key] = value

    def invalidate(self, key: Hashable | None = None) -> None:
        """Forget one cached read, or all of them (key None)."""
        if key is None:
            self._cache_generation += 1
            self._cache.clear()
            self._loading.clear()
            self._versions.clear()
        else:
            self._versions[key] = self._versions.get(key, 0) + 1
            self._cache.pop(key, None)
            self._loading.pop(key, None)

    def forget(self, keys: Iterable[Hashable] | None) -> None:
        """Forget the cached reads `keys`, or all of them (None)."""
        if keys is None:
            self.invalidate()
            return
        for key in keys:
            self.invalidate(key)

    async def close(self) -> None:
        """Forget every cached read, finish the writer's queue, stop checkpoints, close."""
        self.invalidate()
        await self.writer.close()
        if self._checkpoint is not None and not self._checkpoint.done():
            self._checkpoint.cancel()
            await asyncio.gather(self._checkpoint, return_exceptions=True)
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def migrate(self, migrations: list[Migration] | None = None) -> list[Migration]:
        """Apply the bundled migrations (or `migrations`) above the recorded version; those
        applied. Raises MigrationError."""
        return await migrate(self.conn, bundled_migrations() if migrations is None else migrations)

    async def version(self) -> int:
        """The schema version the database is at (0: none applied)."""
        return await current_version(self.conn)

    async def tables(self) -> list[str]:
        """The application's tables, by name (no engine or migration bookkeeping)."""
        rows = await self.fetch_all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
        return [str(r[0]) for r in rows]

    async def columns(self, table: str) -> set[str]:
        """A table's column names (empty if there is no such table)."""
        return {str(r[1]) for r in await self.fetch_all(f"PRAGMA table_info({table})")}

    async def after_bulk_insert(self, conn: Conn, table: str) -> None:
        """After rows were inserted with their ids (a copy): nothing to do on SQLite."""

    @asynccontextmanager
    async def transaction(
        self, invalidate: Iterable[Hashable] | None = None
    ) -> AsyncIterator[Conn]:
        """A block of statements in one transaction of its own on the writer's connection.

        The store's own writes are jobs (`write`); this is for set-ups that need a block
        (tests, `chorus db copy`). It has committed when the block exits without error.
        Afterwards the cached reads named in `invalidate` are forgotten; None (the default)
        forgets every cached read, which is always safe. Raises StorageUnavailable when the
        database can't be written (busy past the writer's retries, locked, read-only, full,
        damaged); an IntegrityError and the block's own exceptions pass through.
        """
        try:
            async with self.writer.exclusive() as conn:
                try:
                    yield conn
                finally:
                    self.forget(invalidate)
        except (WriteFailed, sqlite3.OperationalError) as exc:
            raise StorageUnavailable(str(exc)) from exc
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.IntegrityError):
                raise
            raise StorageUnavailable(str(exc)) from exc

    # One hop to the connection's thread per query (execute, fetch and close together), so no
    # cursor stays open between hops: thousands of concurrent reads stay cheap.

    async def fetch_all(
        self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()
    ) -> list[Row]:
        """Rows of one query; `params` positional, or a mapping for :named parameters."""
        bound = dict(params) if isinstance(params, Mapping) else tuple(params)
        return list(await self.conn.execute_fetchall(sql, bound))

    async def fetch_one(
        self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()
    ) -> Row | None:
        """The first row of one query, or None."""
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def backup(self, target: Path) -> None:
        """A consistent copy made with SQLite's online backup while the bot runs."""
        target.parent.mkdir(parents=True, exist_ok=True)
        async with aiosqlite.connect(target) as dest:
            await self.conn.backup(dest)
        os.chmod(target, 0o600)

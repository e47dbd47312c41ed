"""The one SQLite connection: WAL, foreign keys, a busy timeout, and serialised write transactions."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.store.migrator import Migration, bundled_migrations, current_version, migrate
from bot.store.writer import BatchWriter, WriteFailed

Row = sqlite3.Row
T = TypeVar("T")


class StorageUnavailable(Exception):
    """The database cannot be written right now (read-only, full, locked)."""


class Database:
    """Owns the connection; every write goes through `transaction()` so writers never interleave."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        self.writer = BatchWriter(path)

    @property
    def conn(self) -> aiosqlite.Connection:
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

    async def write(self, job: Callable[[sqlite3.Connection], T]) -> T:
        """Run a write job in the next group commit; returns once it has committed."""
        try:
            return await self.writer.run(job)
        except WriteFailed as exc:
            raise StorageUnavailable(str(exc)) from exc
        except sqlite3.OperationalError as exc:
            raise StorageUnavailable(str(exc)) from exc

    async def close(self) -> None:
        await self.writer.close()
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def migrate(self, migrations: list[Migration] | None = None) -> list[Migration]:
        return await migrate(self.conn, bundled_migrations() if migrations is None else migrations)

    async def version(self) -> int:
        return await current_version(self.conn)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction; it has committed when the block exits without error."""
        async with self._write_lock:
            conn = self.conn
            try:
                await conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StorageUnavailable(str(exc)) from exc
            try:
                yield conn
                await conn.commit()
            except BaseException as exc:
                if conn.in_transaction:
                    await conn.rollback()
                if isinstance(
                    exc, sqlite3.OperationalError | sqlite3.DatabaseError
                ) and not isinstance(exc, sqlite3.IntegrityError):
                    raise StorageUnavailable(str(exc)) from exc
                raise

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        async with self.conn.execute(sql, tuple(params)) as cursor:
            return list(await cursor.fetchall())

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        async with self.conn.execute(sql, tuple(params)) as cursor:
            row: Row | None = await cursor.fetchone()
            return row

    async def backup(self, target: Path) -> None:
        """A consistent copy made with SQLite's online backup while the bot runs."""
        target.parent.mkdir(parents=True, exist_ok=True)
        async with aiosqlite.connect(target) as dest:
            await self.conn.backup(dest)
        os.chmod(target, 0o600)

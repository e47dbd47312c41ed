"""The PostgreSQL engine (asyncpg): the same Database API, writer contract and migrations.

- Reads go through a small connection pool; every write is a job of the group-commit writer,
  which owns one connection of its own: `BEGIN`, the batch's jobs, `COMMIT`, then the jobs'
  futures are answered (acknowledged only after COMMIT). A failing job makes the writer redo
  the batch with each job in a SAVEPOINT, so only that job is lost.
- Every connection runs with `plan_cache_mode = force_custom_plan`: after five executions
  PostgreSQL may switch a prepared statement to a generic plan, which made batches about ten
  times slower on skewed data (measured for the PostgreSQL issue).
- Migrations (SQLite's, written in PostgreSQL's types: `migration_dialect.py`) each run in one
  transaction that first takes `pg_advisory_xact_lock`, then reads the version from
  `schema_migrations`: N processes starting together apply each migration once, the others wait
  and then see it applied.

asyncpg comes from the optional `postgres` extra (`pip install 'chorus-bot[postgres]'`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

try:
    import asyncpg
except ImportError as exc:  # pragma: no cover - depends on the install
    raise ImportError(
        "database_url is postgresql://... but asyncpg is not installed;"
        " install Chorus with its PostgreSQL extra: pip install 'chorus-bot[postgres]'"
    ) from exc

from bot.records.errors import StorageUnavailable
from bot.store.database import Database
from bot.store.engine import (
    Conn,
    EngineName,
    IntegrityError,
    Params,
    Row,
    render_postgres,
)
from bot.store.migrator import Migration, MigrationError, MigrationNeedsOwner, bundled_migrations
from bot.store.writer import WriteFailed, Writer

T = TypeVar("T")

log = logging.getLogger(__name__)

SERVER_SETTINGS = {
    "plan_cache_mode": "force_custom_plan",
    "application_name": "chorus",
}
PLANNED_ONCE_FROM = 32
"""Rows from which a batch INSERT's key checks are planned once (each check planned again
costs ~5-10 us here; the two SET LOCALs, a round trip each, ~0.1-0.2 ms)."""
_SESSION_PLANS = f"SET LOCAL plan_cache_mode = {SERVER_SETTINGS['plan_cache_mode']}"
# pg_advisory_xact_lock key for migrations: "Chor" in ASCII.
MIGRATION_LOCK = 0x43686F72
VERSION_TABLE = "schema_migrations"
POOL_SIZE = 8
# Hot writes run a batch's worth at once (a handful of round trips whatever its size), and the
# batch doesn't hold the event loop here (SQLite's cap of 200 is about that): bigger batches
# mean fewer round trips per answer (measured +20-25 % durable check-ins/s over 200).
MAX_BATCH = 1000

# Errors that mean the database can't take writes now, not that a job was wrong.
_UNAVAILABLE: tuple[type[BaseException], ...] = (
    OSError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,  # e.g. a connection the server just terminated
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.ReadOnlySQLTransactionError,
    asyncpg.exceptions.InsufficientResourcesError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.exceptions.InsufficientPrivilegeError,
)


def _changed(status: str) -> int:
    """Rows changed, from a command status such as `UPDATE 3` or `INSERT 0 1`."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


class PostgresConn(Conn):
    """An asyncpg connection (or the read pool) behind the engine seam."""

    engine: EngineName = "postgresql"

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Conn.execute on asyncpg: placeholders rendered as `$n` (`render_postgres`, NUL as
        U+FFFD); rows changed, read from the command status (`UPDATE 3`; 0 when it has no count).
        asyncpg.IntegrityConstraintViolationError becomes IntegrityError; other asyncpg errors
        propagate.
        """
        text, args = render_postgres(sql, params)
        try:
            status = await self.raw.execute(text, *args)
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise IntegrityError(str(exc)) from exc
        return _changed(str(status))

    async def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Conn.execute_many with asyncpg's executemany: `sql` rendered once, each row's parameters
        rendered like `execute`'s. asyncpg.IntegrityConstraintViolationError becomes
        IntegrityError; other asyncpg errors propagate.
        """
        text, _ = render_postgres(sql)
        try:
            await self.raw.executemany(text, [render_postgres(sql, row)[1] for row in rows])
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise IntegrityError(str(exc)) from exc

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        """Conn.fetch_all on asyncpg: `sql` rendered like `execute`'s; every row as an
        asyncpg.Record. asyncpg.IntegrityConstraintViolationError becomes IntegrityError; other
        asyncpg errors propagate.
        """
        text, args = render_postgres(sql, params)
        try:
            rows: list[Row] = await self.raw.fetch(text, *args)
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise IntegrityError(str(exc)) from exc
        return rows

    @asynccontextmanager
    async def key_checks_planned_once(self, rows: int) -> AsyncIterator[None]:
        """Conn.key_checks_planned_once: `plan_cache_mode = force_generic_plan` for the block
        (SET LOCAL, in the open transaction), then the session's own again; nothing for fewer
        than PLANNED_ONCE_FROM rows (the two SETs' round trips would cost more).

        PostgreSQL checks a foreign key with a query of its own per inserted row; under the
        session's `force_custom_plan` that query is planned again for every row, which was
        half of the server's CPU time for a burst of check-ins (BENCHMARKS.md, "Foreign-key
        checks planned once"). Its generic plan is the primary-key look-up a custom one would
        be. Not restored when the block raises: the writer then rolls the transaction (or the
        job's savepoint) back, which undoes the SET LOCAL too.
        """
        if rows < PLANNED_ONCE_FROM:
            yield
            return
        await self.raw.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        yield
        await self.raw.execute(_SESSION_PLANS)

    async def columns(self, table: str) -> set[str]:
        """Conn.columns from information_schema.columns in the current schema (the table name is
        a parameter); empty for a table that doesn't exist.
        """
        rows = await self.raw.fetch(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = $1",
            table,
        )
        return {str(r[0]) for r in rows}


class PostgresWriter(Writer):
    """The group-commit writer on its own PostgreSQL connection (reconnects after a loss)."""

    waits_on_server = True

    def __init__(self, dsn: str, lock: asyncio.Lock, max_batch: int = 200) -> None:
        super().__init__(lock, max_batch)
        self.dsn = dsn
        self._conn: Any = None
        self._seam: PostgresConn | None = None
        self._opened = False

    @property
    def is_open(self) -> bool:
        """Writer.is_open: True between `open` and `close` (also while a lost connection waits to
        be made again by the next batch).
        """
        return self._opened

    def seam(self) -> Conn:
        """Writer.seam: the PostgresConn on the writer's own connection. Raises RuntimeError while
        there is no connection (not open, or dropped after a failure until the next batch).
        """
        if self._seam is None:
            raise RuntimeError("writer is not open")
        return self._seam

    async def open(self) -> None:
        """Writer.open: connect (with SERVER_SETTINGS); nothing if already open. Raises WriteFailed
        when PostgreSQL can't be reached (OSError, connection and resource errors).
        """
        if self._opened:
            return
        await self._connect()
        self._opened = True

    async def _connect(self) -> None:
        try:
            self._conn = await asyncpg.connect(self.dsn, server_settings=SERVER_SETTINGS)
        except _UNAVAILABLE as exc:
            raise WriteFailed(f"cannot connect to PostgreSQL: {exc}") from exc
        self._seam = PostgresConn(self._conn)

    async def _close_connection(self) -> None:
        self._opened = False
        if self._conn is not None:
            await self._conn.close()
            self._conn = None
            self._seam = None

    def _failure(self, exc: BaseException) -> Exception | None:
        if isinstance(exc, _UNAVAILABLE):
            self._discard()
            return WriteFailed(str(exc))
        return None

    def _discard(self) -> None:
        """Drop a connection that failed; the next batch connects again."""
        if self._conn is not None:
            self._conn.terminate()
        self._conn = None
        self._seam = None

    async def _begin(self) -> None:
        if self._conn is None or self._conn.is_closed():
            await self._connect()
        try:
            await self._conn.execute("BEGIN")
        except _UNAVAILABLE as exc:
            self._discard()
            raise WriteFailed(str(exc)) from exc

    async def _commit_transaction(self) -> None:
        try:
            await self._conn.execute("COMMIT")
        except _UNAVAILABLE as exc:
            self._discard()
            raise WriteFailed(f"COMMIT not confirmed: {exc}") from exc
        except Exception as exc:
            await self._rollback()
            raise WriteFailed(str(exc)) from exc

    async def _rollback(self) -> None:
        conn = self._conn
        if conn is None or conn.is_closed() or not conn.is_in_transaction():
            return
        try:
            await conn.execute("ROLLBACK")
        except _UNAVAILABLE:
            log.warning("PostgreSQL connection lost during ROLLBACK; it will reconnect")

    async def _statement(self, sql: str) -> None:
        try:
            await self._conn.execute(sql)
        except _UNAVAILABLE as exc:
            self._discard()
            raise WriteFailed(str(exc)) from exc


class PostgresDatabase(Database):
    """Database on PostgreSQL: a read pool, the writer's connection, migrations under a lock."""

    engine: EngineName = "postgresql"
    migrations_folder = "postgres"

    def __init__(self, dsn: str) -> None:
        # Not Database.__init__: that one sets up a SQLite file and its writer.
        self.dsn = dsn
        self._conn = None
        self._pool: Any = None
        self._reader: PostgresConn | None = None
        self._write_lock = asyncio.Lock()
        self.writer = PostgresWriter(dsn, self._write_lock, max_batch=MAX_BATCH)
        self._checkpoint = None
        self._since_checkpoint = (0, 0)
        self._init_cache()

    async def open(self) -> None:
        """Database.open: create the read pool (1 to POOL_SIZE connections, SERVER_SETTINGS);
        nothing if already open. The writer connects in `open_writer`. Raises
        StorageUnavailable when PostgreSQL can't be reached.
        """
        if self._pool is not None:
            return
        try:
            self._pool = await asyncpg.create_pool(
                self.dsn, min_size=1, max_size=POOL_SIZE, server_settings=SERVER_SETTINGS
            )
        except _UNAVAILABLE as exc:
            raise StorageUnavailable(f"cannot connect to PostgreSQL: {exc}") from exc
        self._reader = PostgresConn(self._pool)

    @property
    def reader(self) -> PostgresConn:
        """The read pool behind the engine seam (each call takes a pool connection). Raises
        RuntimeError before `open`.
        """
        if self._reader is None:
            raise RuntimeError("Database is not open; call open() first")
        return self._reader

    async def close(self) -> None:
        """Database.close: forget every cached read, let the writer commit its queue and close its
        connection, then close the read pool.
        """
        self.invalidate()
        await self.writer.close()
        if self._pool is not None:
            await self._pool.close()
            self._pool = None
            self._reader = None

    async def write_apart(self, job: Callable[[Conn], Awaitable[T]]) -> T:
        """A small write that must not wait behind the group commit's queue (a shard lease
        heartbeat: a burst of member writes must not let the leases lapse): one transaction
        of its own on a pool connection. Raises StorageUnavailable."""
        try:
            async with self._pool.acquire() as raw, raw.transaction():
                return await job(PostgresConn(raw))
        except _UNAVAILABLE as exc:
            raise StorageUnavailable(str(exc)) from exc

    async def migrate(self, migrations: list[Migration] | None = None) -> list[Migration]:
        """Database.migrate: the bundled PostgreSQL migrations (or `migrations`) above the recorded
        version, on one pool connection (see `migrate_postgres`); those applied. Raises
        MigrationNeedsOwner or MigrationError.
        """
        chosen = bundled_migrations("postgres") if migrations is None else migrations
        async with self._pool.acquire() as conn:
            return await migrate_postgres(conn, chosen)

    async def version(self) -> int:
        """Database.version: the schema version recorded in schema_migrations (0: none applied)."""
        async with self._pool.acquire() as conn:
            return await postgres_version(conn)

    async def fetch_all(
        self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()
    ) -> list[Row]:
        """Database.fetch_all on the read pool: every row (asyncpg.Record) of a query with `?` or
        `:name` placeholders. Raises StorageUnavailable when PostgreSQL can't be reached,
        IntegrityError for a refused constraint; other asyncpg errors propagate.
        """
        bound: Params = params if isinstance(params, Mapping) else tuple(params)
        try:
            return await self.reader.fetch_all(sql, bound)
        except _UNAVAILABLE as exc:
            raise StorageUnavailable(str(exc)) from exc

    async def fetch_one(
        self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()
    ) -> Row | None:
        """Database.fetch_one: the first row of `fetch_all`, or None without a row (same errors)."""
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def tables(self) -> list[str]:
        """Database.tables: the base tables of the current schema by name, without
        schema_migrations. Raises StorageUnavailable like `fetch_all`.
        """
        rows = await self.fetch_all(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            " AND table_type = 'BASE TABLE' AND table_name <> ? ORDER BY table_name",
            (VERSION_TABLE,),
        )
        return [str(r[0]) for r in rows]

    async def columns(self, table: str) -> set[str]:
        """Database.columns: a table's column names from information_schema (empty if there is no
        such table).
        """
        return await self.reader.columns(table)

    async def after_bulk_insert(self, conn: Conn, table: str) -> None:
        """Rows inserted with their own ids: move the table's identity past the largest id."""
        if "id" not in await conn.columns(table):
            return
        await conn.fetch_all(
            "SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE(MAX(id), 0) + 1, false)"
            f" FROM {table}",
            (table,),
        )

    async def backup(self, target: Path) -> None:
        """Database.backup is SQLite's online copy: on PostgreSQL it always raises
        StorageUnavailable, naming pg_dump and `chorus db copy` instead.
        """
        raise StorageUnavailable(
            "chorus db backup copies SQLite files; on PostgreSQL use pg_dump, or"
            " chorus db copy postgresql://... sqlite:///backup.db"
        )


async def postgres_version(conn: Any) -> int:
    """The schema version recorded in VERSION_TABLE on `conn` (an asyncpg connection;
    0 before the first migration)."""
    exists = await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", VERSION_TABLE)
    if not exists:
        return 0
    found = await conn.fetchval(f"SELECT COALESCE(MAX(version), 0) FROM {VERSION_TABLE}")
    return int(found)


async def migrate_postgres(conn: Any, migrations: list[Migration]) -> list[Migration]:
    """Apply every migration above the recorded version, each in one locked transaction.

    The version is read first and nothing else runs when none is due: the bot's own role (which
    may read and write rows but not create tables, README "Least privilege") starts on an
    up-to-date database. Raises MigrationNeedsOwner when one is due and this role may not
    change the schema, MigrationError when a migration fails.
    """
    version = await postgres_version(conn)
    applied: list[Migration] = []
    for migration in migrations:
        if migration.version <= version:
            continue
        try:
            async with conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
                await conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version BIGINT PRIMARY KEY,"
                    " name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
                )
                if migration.version <= await postgres_version(conn):
                    continue  # another process applied it while this one waited for the lock
                await conn.execute(migration.sql)
                await conn.execute(
                    f"INSERT INTO {VERSION_TABLE} (version, name) VALUES ($1, $2)",
                    migration.version,
                    migration.name,
                )
        except asyncpg.InsufficientPrivilegeError as exc:
            user = await conn.fetchval("SELECT current_user")
            raise MigrationNeedsOwner(
                f"the database needs migration {migration.name} but role {user!r} may not"
                f" change the schema ({exc}); run `chorus db migrate` as the owner role"
                " (README: Least privilege), then start the bot again"
            ) from exc
        except asyncpg.PostgresError as exc:
            raise MigrationError(f"{migration.name}: {exc}") from exc
        applied.append(migration)
    return applied

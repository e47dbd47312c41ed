"""Numbered SQL migrations, each applied in one transaction. `migrations/sqlite` is the one source:
PostgreSQL's are written from it (`migration_dialect.to_postgres`), except a version that has a
file of its own in `migrations/postgres` (none yet). SQLite keeps the version in PRAGMA
user_version; PostgreSQL in a table, under an advisory lock (see postgres.py). Both engines
reach the same schema at every version (tests/store/test_schema_parity.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

import aiosqlite

from bot.store.migration_dialect import to_postgres

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


class MigrationError(Exception):
    """A migration failed; the database is left at the version it had before it."""


class MigrationNeedsOwner(MigrationError):
    """A migration is due but the connected role may not change the schema (PostgreSQL's
    least-privilege set-up): `chorus db migrate` must run as the owner role first."""


def bundled_migrations(engine: str = "sqlite") -> list[Migration]:
    """The migrations shipped inside the package for `engine` (sqlite, postgres), in order;
    PostgreSQL's are SQLite's in its dialect unless `migrations/postgres` has its own file."""
    folder = resources.files("bot.store") / "migrations"
    sqlite = migrations_from(folder / "sqlite")
    if engine == "sqlite":
        return sqlite
    own = {m.version: m for m in migrations_from(folder / engine)}
    return [own.get(m.version) or Migration(m.version, m.name, to_postgres(m.sql)) for m in sqlite]


def migrations_from(folder: Traversable) -> list[Migration]:
    """The migrations in a folder (the package's, or one a test makes), in version order; none
    when there is no such folder."""
    if not folder.is_dir():
        return []
    found = [
        Migration(int(m.group(1)), entry.name, entry.read_text("utf-8"))
        for entry in folder.iterdir()
        if (m := _NAME.match(entry.name))
    ]
    return sorted(found, key=lambda m: m.version)


async def current_version(conn: aiosqlite.Connection) -> int:
    """The schema version a SQLite database is at (its `user_version`; 0 for a new file)."""
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(conn: aiosqlite.Connection, migrations: list[Migration]) -> list[Migration]:
    """Apply every migration above the current version; return those applied. Raises
    MigrationError (naming the migration) when one fails; it is rolled back, earlier ones stay."""
    applied: list[Migration] = []
    version = await current_version(conn)
    for migration in migrations:
        if migration.version <= version:
            continue
        statements = [s for s in _split_statements(migration.sql) if s.strip()]
        try:
            await conn.execute("BEGIN IMMEDIATE")
            for statement in statements:
                async with conn.execute(statement) as cursor:
                    await cursor.fetchall()
            await conn.execute(f"PRAGMA user_version = {migration.version:d}")
            await conn.commit()
        except Exception as exc:
            await conn.rollback()
            raise MigrationError(f"{migration.name}: {exc}") from exc
        applied.append(migration)
        version = migration.version
    return applied


def _split_statements(sql: str) -> list[str]:
    """Split a migration into statements (executescript would commit on its own)."""
    statements: list[str] = []
    buffer: list[str] = []
    for line in sql.splitlines():
        stripped = line.split("--", 1)[0]
        buffer.append(stripped)
        candidate = "\n".join(buffer)
        if stripped.rstrip().endswith(";") and _complete(candidate):
            statements.append(candidate)
            buffer = []
    if "".join(buffer).strip():
        statements.append("\n".join(buffer))
    return statements


def _complete(statement: str) -> bool:
    import sqlite3

    return sqlite3.complete_statement(statement)

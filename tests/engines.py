"""Store tests run on both engines: a real SQLite file and a real PostgreSQL server.

The `engine` fixture (tests/conftest.py) is parametrised over `sqlite` and `postgresql`. Each test
gets a fresh database: a new SQLite file under tmp_path, or a new PostgreSQL schema (dropped
afterwards) in the database named by ``CHORUS_TEST_POSTGRES_URL`` (for example
``postgresql://chorus@127.0.0.1:5432/chorus_test``; `make test-postgres` starts a throwaway
server and sets it). Without that variable the PostgreSQL cases are skipped with a reason that
says so; with ``CHORUS_REQUIRE_POSTGRES=1`` (CI) they fail instead, so CI never skips them.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest

URL_ENV = "CHORUS_TEST_POSTGRES_URL"
REQUIRE_ENV = "CHORUS_REQUIRE_POSTGRES"
ENGINES = ("sqlite", "postgresql")


@dataclass(frozen=True)
class TestDatabase:
    """Where one test's data lives: `url` is what `Store(...)` and `database_url` take."""

    __test__ = False  # not a test class

    name: str
    url: str
    path: Path | None = None
    """The SQLite file (None on PostgreSQL)."""

    @property
    def is_postgres(self) -> bool:
        return self.name == "postgresql"


def postgres_url_or_skip() -> str:
    """The server URL, or skip (fail under CHORUS_REQUIRE_POSTGRES=1) with the reason."""
    url = os.environ.get(URL_ENV, "")
    if url:
        return url
    reason = (
        f"needs PostgreSQL: set {URL_ENV}=postgresql://user@127.0.0.1:5432/dbname"
        " or run `make test-postgres` (starts a throwaway server)"
    )
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason}; {REQUIRE_ENV}=1 says this machine must have it", pytrace=False)
    pytest.skip(reason)


def with_search_path(url: str, schema: str) -> str:
    """The URL with `search_path` set (asyncpg passes unknown query options as settings)."""
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode({"search_path": schema})) if q)
    return urlunsplit(parts._replace(query=query))


async def fresh_postgres(prefix: str = "t") -> AsyncIterator[str]:
    """A new, empty schema for one test; dropped afterwards."""
    import asyncpg

    base = postgres_url_or_skip()
    schema = f"chorus_{prefix}_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(base)
    try:
        await conn.execute(f'CREATE SCHEMA "{schema}"')
    finally:
        await conn.close()
    try:
        yield with_search_path(base, schema)
    finally:
        conn = await asyncpg.connect(base)
        try:
            await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        finally:
            await conn.close()


async def test_database(name: str, tmp_path: Path) -> AsyncIterator[TestDatabase]:
    if name == "sqlite":
        path = tmp_path / "data" / "chorus.db"
        yield TestDatabase("sqlite", f"sqlite:///{path}", path)
        return
    async for url in fresh_postgres():
        yield TestDatabase("postgresql", url)


# Not a test despite its name (pytest reads the attribute; functions don't declare it).
test_database.__test__ = False  # type: ignore[attr-defined]


async def rows_outside(
    database: TestDatabase, sql: str, *params: object
) -> list[tuple[object, ...]]:
    """The rows a query finds on its own connection, outside the store (its cache bypassed).

    `sql` uses ``?`` placeholders; on PostgreSQL they become ``$1``, ``$2``, ... in order.
    """
    if database.path is not None:
        conn = sqlite3.connect(database.path)
        try:
            return [tuple(r) for r in conn.execute(sql, params)]
        finally:
            conn.close()
    import asyncpg

    parts = sql.split("?")
    numbered = parts[0] + "".join(f"${i}{part}" for i, part in enumerate(parts[1:], start=1))
    pg = await asyncpg.connect(database.url)
    try:
        return [tuple(r) for r in await pg.fetch(numbered, *params)]
    finally:
        await pg.close()

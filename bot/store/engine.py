"""The engine seam: everything that differs between SQLite and PostgreSQL, and nothing else.

Repositories write one SQL text per statement in the subset both engines run: `?` (or
`:name`) placeholders, `RETURNING`, `ON CONFLICT ... DO NOTHING | DO UPDATE`, `CAST(? AS ...)`
where a bare parameter's type can't be inferred. What differs is here:

- placeholders: `?` / `:name` stay for SQLite and become `$1, $2, ...` for PostgreSQL
  (`render`, cached per text);
- `group_concat(x, sep)` is `string_agg(x, sep)` on PostgreSQL;
- the session set-up (SQLite PRAGMAs; PostgreSQL `plan_cache_mode`), the schema catalogue
  (`columns`) and how migrations record their version live with each engine
  (`writer.py`/`database.py` for SQLite, `postgres.py` for PostgreSQL);
- driver errors become `IntegrityError` (a constraint said no) for the repositories;
- PostgreSQL text can't hold NUL: it is stored as U+FFFD there (`render_postgres`);
- a batch's rows as a table for one statement per table per batch (`batch_rows`): a `VALUES`
  list on SQLite, `unnest` of one array per column on PostgreSQL (each sent as text);
- plans kept for the foreign-key checks of a batch's INSERT (`Conn.key_checks_planned_once`):
  PostgreSQL plans each row's check again under the session's `force_custom_plan`; SQLite has
  nothing to do.

A write job is `async def job(conn: Conn) -> T`: the same job runs on both engines.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from bot.settings import masked_url

EngineName = Literal["sqlite", "postgresql"]
Params = Sequence[Any] | Mapping[str, Any]


class Row(Protocol):
    """A result row of either driver: by position, by column name, or iterated."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[Any]: ...

    def keys(self) -> Any:
        """The column names, in order (sqlite3.Row.keys, asyncpg.Record.keys)."""
        ...


class IntegrityError(Exception):
    """A constraint refused the write (unique, foreign key, check); nothing of it was kept."""


@dataclass(frozen=True)
class DatabaseUrl:
    """Where the data lives: `sqlite:///relative/path.db`, `sqlite:////abs/path.db` or
    `postgresql://user@host:port/dbname` (`postgres://` too)."""

    engine: EngineName
    path: Path | None = None
    dsn: str = ""

    @classmethod
    def parse(cls, target: str | Path) -> DatabaseUrl:
        """A URL or a plain file path (SQLite); raises ValueError for any other scheme."""
        if isinstance(target, Path):
            return cls("sqlite", path=target)
        if target.startswith(("postgresql://", "postgres://")):
            return cls("postgresql", dsn=target)
        if target.startswith("sqlite://"):
            rest = target[len("sqlite://") :]
            if not rest.startswith("/") or len(rest) < 2:
                raise ValueError(f"expected sqlite:///path/to/file.db, got {target!r}")
            return cls("sqlite", path=Path(rest[1:]))
        if "://" in target:
            scheme = target.split("://", 1)[0]
            raise ValueError(
                f"database_url: unknown engine {scheme!r}; use sqlite:///path or postgresql://..."
            )
        return cls("sqlite", path=Path(target))

    def __str__(self) -> str:
        if self.engine == "sqlite":
            return f"sqlite:///{self.path}"
        return masked_url(self.dsn)


# ---------------------------------------------------------------- SQL rendering

_TOKENS = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|::|\?|:[A-Za-z_][A-Za-z0-9_]*")


@functools.lru_cache(maxsize=4096)
def _render_postgres(sql: str) -> tuple[str, tuple[str, ...]]:
    """`?` -> `$n` in order; `:name` -> `$n` per distinct name (returned, in order)."""
    names: list[str] = []
    counter = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal counter
        token = match.group(0)
        if token == "?":
            counter += 1
            return f"${counter}"
        if token.startswith(":") and token != "::":
            name = token[1:]
            if name not in names:
                names.append(name)
            return f"${names.index(name) + 1}"
        return token

    rendered = _TOKENS.sub(replace, sql)
    if counter and names:
        raise ValueError("mix of ? and :name placeholders in one statement")
    rendered = re.sub(r"\bgroup_concat\(", "string_agg(", rendered, flags=re.IGNORECASE)
    return rendered, tuple(names)


def render_postgres(sql: str, params: Params = ()) -> tuple[str, Sequence[Any]]:
    """The statement and its positional arguments for asyncpg.

    PostgreSQL text can't hold NUL characters (SQLite's can): member text with one is stored
    with U+FFFD in its place instead of failing the write.
    """
    text, names = _render_postgres(sql)
    values = [params[name] for name in names] if isinstance(params, Mapping) else params
    if any(isinstance(v, str) and "\x00" in v for v in values):
        values = [v.replace("\x00", "\ufffd") if isinstance(v, str) else v for v in values]
    return text, values


# ---------------------------------------------------------------- batches as tables

ColumnType = Literal["BIGINT", "TEXT", "DOUBLE PRECISION"]


def batch_rows(
    engine: EngineName,
    name: str,
    columns: Sequence[tuple[str, ColumnType]],
    rows: Sequence[Sequence[Any]],
) -> tuple[str, list[Any]]:
    """A common table expression `name(n, <columns>)` holding `rows`, for a statement that
    handles a whole batch at once; `n` is each row's position, from 1. Returns the text to put
    after `WITH` and its parameters (in `?` style, rendered per engine like any statement).

    SQLite: `name(n, a, b) AS (VALUES (1, ?, ?), (2, ?, ?))`, one parameter per value.
    PostgreSQL: `unnest` of one typed array per column, so the text (and its prepared
    statement) is the same for any number of rows: one round trip for the batch. Each array
    is sent as one text parameter in PostgreSQL's array syntax (`array_literal`) and cast by
    the server: asyncpg's binary array encoder runs Python-level type checks per element,
    ~3 us of the bot's CPU per check-in on the writer's path (BENCHMARKS.md, "Arrays as
    text"). Raises TypeError for a value that isn't its column's type (as asyncpg would).
    """
    names = ", ".join(column for column, _ in columns)
    if engine == "sqlite":
        width = len(columns)
        marks = ", ".join("?" * width)
        values = ", ".join(f"({n}, {marks})" for n in range(1, len(rows) + 1))
        params = [value for row in rows for value in row]
        return f"{name}(n, {names}) AS (VALUES {values})", params
    arrays = ", ".join(f"CAST(CAST(? AS TEXT) AS {kind}[])" for _, kind in columns)
    by_column = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    params = [
        array_literal(kind, column) for (_, kind), column in zip(columns, by_column, strict=True)
    ]
    return (
        f"{name} AS (SELECT n, {names} FROM unnest({arrays}) WITH ORDINALITY AS t({names}, n))",
        params,
    )


def array_literal(kind: ColumnType, values: Sequence[Any]) -> str:
    """`values` in PostgreSQL's array syntax for a `kind[]` cast: `{1,2,NULL}`, text quoted
    and escaped (`{"a b","say \\"hi\\""}`, NUL as U+FFFD like `render_postgres`). Numbers
    are written by `repr`, which reads back as the same int or float (shortest round trip).
    Raises TypeError for a value that isn't `kind` (a str in a number column, a number in a
    text column; bools are written as 1 and 0)."""
    if kind == "TEXT":
        quoted = {None: "NULL"}
        for value in set(values):
            if value is not None:
                quoted[value] = _quoted(value)
        return "{" + ",".join(map(quoted.__getitem__, values)) + "}"
    written = int.__repr__ if kind == "BIGINT" else float.__repr__
    try:  # the common case, every value of the column's own type, at C speed
        return "{" + ",".join(map(written, values)) + "}"
    except TypeError:  # a NULL, an int in a float column, or a wrong type
        number = _int_text if kind == "BIGINT" else _float_text
        return "{" + ",".join("NULL" if v is None else number(v) for v in values) + "}"


def _quoted(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected str in a TEXT column, got {type(value).__name__}")
    text = value.replace("\\", "\\\\").replace('"', '\\"').replace("\x00", "\ufffd")
    return f'"{text}"'


def _int_text(value: Any) -> str:
    if not isinstance(value, int):
        raise TypeError(f"expected int in a BIGINT column, got {type(value).__name__}")
    return int.__repr__(value)


def _float_text(value: Any) -> str:
    if isinstance(value, int):
        value = float(value)
    if not isinstance(value, float):
        raise TypeError(f"expected float in a DOUBLE PRECISION column, got {type(value).__name__}")
    return float.__repr__(value)


# ---------------------------------------------------------------- connections


class Conn(ABC):
    """One connection inside a write transaction (or a read), the same API on both engines."""

    engine: EngineName

    @abstractmethod
    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; the number of rows it changed."""

    @abstractmethod
    async def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement once per parameter row."""

    @abstractmethod
    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        """Every row of a query (or of a statement's RETURNING)."""

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        """The first row of a query (or of a statement's RETURNING), or None without a row;
        raises IntegrityError like `fetch_all`.
        """
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_val(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or None without a row."""
        row = await self.fetch_one(sql, params)
        return row[0] if row is not None else None

    @abstractmethod
    async def columns(self, table: str) -> set[str]:
        """The column names of a table (empty if it doesn't exist)."""

    def key_checks_planned_once(self, rows: int) -> AbstractAsyncContextManager[None]:
        """Around a write transaction's batch INSERTs of `rows` rows into tables with foreign
        keys: the database's check of each inserted row's keys reuses one plan instead of
        being planned again for every row. Only for statements whose own plan can't depend on
        their parameters (a batch's rows inserted as they are). Nothing on SQLite (see
        PostgresConn's for why PostgreSQL needs it)."""
        return _nothing()


@asynccontextmanager
async def _nothing() -> AsyncIterator[None]:
    yield


class SqliteConn(Conn):
    """The writer's sqlite3 connection: calls run at once, on the event loop (see writer.py)."""

    engine: EngineName = "sqlite"

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Conn.execute on sqlite3: `sql` as written (`?` or `:name` placeholders); the cursor's
        rowcount. sqlite3.IntegrityError becomes IntegrityError; other sqlite3 errors propagate.
        """
        try:
            return self.raw.execute(sql, params).rowcount
        except sqlite3.IntegrityError as exc:
            raise IntegrityError(str(exc)) from exc

    async def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Conn.execute_many with sqlite3's executemany (one statement, each row's parameters in
        turn). sqlite3.IntegrityError becomes IntegrityError; other sqlite3 errors propagate.
        """
        try:
            self.raw.executemany(sql, rows)
        except sqlite3.IntegrityError as exc:
            raise IntegrityError(str(exc)) from exc

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        """Conn.fetch_all on sqlite3: every row (sqlite3.Row, as the writer sets `row_factory`).
        sqlite3.IntegrityError becomes IntegrityError; other sqlite3 errors propagate.
        """
        try:
            return self.raw.execute(sql, params).fetchall()
        except sqlite3.IntegrityError as exc:
            raise IntegrityError(str(exc)) from exc

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        """Conn.fetch_one with the cursor's fetchone (the other rows are not fetched): the first
        row or None. sqlite3.IntegrityError becomes IntegrityError; other sqlite3 errors propagate.
        """
        try:
            found: Row | None = self.raw.execute(sql, params).fetchone()
        except sqlite3.IntegrityError as exc:
            raise IntegrityError(str(exc)) from exc
        return found

    async def columns(self, table: str) -> set[str]:
        """Conn.columns from `PRAGMA table_info(<table>)` (the name is put in the text as given:
        trusted names only); empty for a table that doesn't exist.
        """
        return {str(r[1]) for r in self.raw.execute(f"PRAGMA table_info({table})").fetchall()}

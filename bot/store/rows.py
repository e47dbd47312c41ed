"""A row read from either engine as the record dataclass its columns are (bot/records)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import fields
from typing import Any, TypeVar

from bot.store.engine import Conn, Params, Row

R = TypeVar("R")

_CASTS: dict[str, Callable[[Any], Any]] = {"int": int, "float": float, "str": str, "bool": bool}


_BY_RECORD: dict[type[Any], tuple[Callable[[Any], Any] | None, ...]] = {}


def _casts(cls: type[Any]) -> tuple[Callable[[Any], Any] | None, ...]:
    # Records are written with `from __future__ import annotations`: a field's type is its
    # text, e.g. "float | None"; the first member names the cast (None: kept as read).
    found = _BY_RECORD.get(cls)
    if found is None:
        found = tuple(_CASTS.get(str(f.type).split(" | ")[0]) for f in fields(cls))
        _BY_RECORD[cls] = found
    return found


_COLUMNS: dict[tuple[type[Any], str], str] = {}


def columns(cls: type[Any], alias: str = "") -> str:
    """The column list that reads `cls` (a record dataclass whose fields are named as its
    table's columns), each qualified by `alias` when given: "id, guild_id, ..." or
    "g.id, g.guild_id, ...". Cached: a repository's reads build their SQL with it per call."""
    found = _COLUMNS.get((cls, alias))
    if found is None:
        prefix = f"{alias}." if alias else ""
        found = _COLUMNS[cls, alias] = ", ".join(prefix + f.name for f in fields(cls))
    return found


def record_of(cls: type[R], row: Row | Sequence[Any]) -> R:
    """`cls` (a record dataclass) from a row (or a slice of one) whose columns are its fields in order: each value
    cast to its field's type (SQLite's 0/1 to bool, a whole REAL to float), NULL kept as None.
    Raises ValueError when the row has another number of columns than `cls` has fields."""
    values = tuple(row)
    casts = _casts(cls)
    if len(values) != len(casts):
        raise ValueError(f"{cls.__name__} has {len(casts)} fields; the row has {len(values)}")
    return cls(
        *(
            v if v is None or cast is None else cast(v)
            for v, cast in zip(values, casts, strict=True)
        )
    )


def values_of(record: object, cls: type[Any] | None = None) -> tuple[Any, ...]:
    """The values of `record` (a record dataclass) in `columns` order, for an INSERT that names
    `columns(type(record))`; only those of `cls`'s fields when given (a record class it
    extends)."""
    shape: type[Any] = cls if cls is not None else type(record)
    return tuple(getattr(record, f.name) for f in fields(shape))


async def returned(conn: Conn, record: type[R], sql: str, params: Params) -> R:
    """The row a write gives back (`... RETURNING <columns(record)>`) as a `record`, inside a
    write job. Raises ValueError when the statement returned no row."""
    found = await returned_if_any(conn, record, sql, params)
    if found is None:
        raise ValueError(f"the write returned no {record.__name__}")
    return found


async def returned_if_any(conn: Conn, record: type[R], sql: str, params: Params) -> R | None:
    """The row a write that may write nothing gives back (`INSERT ... SELECT ... WHERE` or
    `ON CONFLICT DO NOTHING`, then `RETURNING <columns(record)>`) as a `record`, inside a write
    job; None when it wrote no row."""
    row = await conn.fetch_one(sql, params)
    return None if row is None else record_of(record, row)

"""The base of the store's repositories: one table family's reads and writes on one database."""

from __future__ import annotations

from typing import TypeVar

from bot.store.database import Database
from bot.store.engine import Params
from bot.store.rows import record_of

R = TypeVar("R")


class Repository:
    """Reads through `Database` (cached where a repository says so) and writes as jobs of its
    group-commit writer; the same on SQLite and PostgreSQL (`PostgresDatabase` is a Database)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def _select_all(self, record: type[R], sql: str, params: Params = ()) -> list[R]:
        """Every row `sql` reads, each as a `record` (its columns in the record's field order,
        see `rows.columns`)."""
        return [record_of(record, row) for row in await self._db.fetch_all(sql, params)]

    async def _select_one(self, record: type[R], sql: str, params: Params = ()) -> R | None:
        """The first row `sql` reads as a `record`, None when it reads none."""
        row = await self._db.fetch_one(sql, params)
        return None if row is None else record_of(record, row)

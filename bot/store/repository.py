"""The base of the store's repositories: one table family's reads and writes on one database."""

from __future__ import annotations

from typing import TypeVar

from bot.store.database import Database
from bot.store.engine import Params
from bot.store.one_statement import write_one
from bot.store.rows import columns, record_of

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

    async def _all_where(
        self, record: type[R], table: str, where: str, params: Params = ()
    ) -> list[R]:
        """Every row of `table` that `where` picks (a condition, then any ORDER BY and LIMIT),
        each as a `record` (its fields named as the table's columns: the column list is the
        record's, so the two can't disagree)."""
        return await self._select_all(
            record, f"SELECT {columns(record)} FROM {table} WHERE {where}", params
        )

    async def _one_where(
        self, record: type[R], table: str, where: str, params: Params = ()
    ) -> R | None:
        """The first row of `table` that `where` picks, as a `record` (as `_all_where`), None
        when it picks none."""
        return await self._select_one(
            record, f"SELECT {columns(record)} FROM {table} WHERE {where}", params
        )

    async def _delete_members_row(self, table: str, guild_id: int, user_id: int) -> bool:
        """Delete the member's row of `table` (one row per member and server: an opt-in, a
        schedule) in the writer's next commit; whether there was one. No cached read holds
        these tables. Raises StorageUnavailable when the write can't be committed."""
        deleted = await write_one(
            self._db,
            f"DELETE FROM {table} WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
            invalidate=(),
        )
        return deleted > 0

    async def _by_id(self, record: type[R], table: str, row_id: int) -> R | None:
        """The row of `table` whose `id` is `row_id`, as a `record` (its fields named as the
        table's columns), None when there is none."""
        return await self._one_where(record, table, "id = ?", (row_id,))

    async def _newest_in_guild(
        self, record: type[R], table: str, guild_id: int, limit: int
    ) -> list[R]:
        """The server's rows of `table`, newest first (`created_at`, then id), at most
        `limit`, each as a `record`."""
        return await self._all_where(
            record,
            table,
            "guild_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
            (guild_id, limit),
        )

"""The base of the store's repositories: one table family's reads and writes on one database."""

from __future__ import annotations

from bot.store.database import Database


class Repository:
    """Reads through `Database` (cached where a repository says so) and writes as jobs of its
    group-commit writer; the same on SQLite and PostgreSQL (`PostgresDatabase` is a Database)."""

    def __init__(self, db: Database) -> None:
        self._db = db

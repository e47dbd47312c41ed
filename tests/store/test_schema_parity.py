"""Both engines reach the same schema at every migration version, and PostgreSQL migrates once.

Compared per table: columns (name, type, nullability, default), primary key, unique
constraints, foreign keys (with their ON DELETE), every CHECK constraint's expression, and every
named index (columns, order, unique, partial).

Types are compared exactly through one mapping per engine to what a column can hold
(`SQLITE_TYPES`, `POSTGRES_TYPES`): SQLite's INTEGER holds 64 bits, so it matches BIGINT only (a
32-bit PostgreSQL `integer` id would not pass); REAL is an 8-byte float, DOUBLE PRECISION only.

CHECK expressions are normalised to what PostgreSQL stores (`pg_get_constraintdef`): SQLite's
`x BETWEEN a AND b` becomes `x >= a AND x <= b`, `x IN (...)` becomes `x = ANY (ARRAY[...])`;
PostgreSQL's casts (`'a'::text`) are dropped; then both are compared as token sequences without
parentheses, per table as sorted lists.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from bot.records.sessions import NewSession
from bot.store.database import Database
from bot.store.migrator import MigrationError, bundled_migrations
from bot.store.postgres import VERSION_TABLE, PostgresDatabase
from bot.store.store import Store
from tests.engines import TestDatabase, fresh_postgres

Schema = dict[str, dict[str, Any]]

# What a column can hold, per engine's declared type.
SQLITE_TYPES = {"integer": "int64", "real": "float64", "text": "text", "blob": "bytes"}
POSTGRES_TYPES = {
    "bigint": "int64",
    "integer": "int32",
    "smallint": "int16",
    "double precision": "float64",
    "real": "float32",
    "text": "text",
    "bytea": "bytes",
}
_ON_DELETE = {
    "a": "NO ACTION",
    "c": "CASCADE",
    "n": "SET NULL",
    "r": "RESTRICT",
    "d": "SET DEFAULT",
}


def _default(value: str | None) -> str | None:
    if value is None:
        return None
    value = re.sub(r"::[a-z ]+$", "", value.strip())
    return value.strip("()")


def _tokens(expression: str) -> tuple[str, ...]:
    found = re.findall(r"'(?:[^']|'')*'|\w+|[^\s\w()]+", expression)
    return tuple(t if t.startswith("'") else t.lower() for t in found)


def sqlite_check(expression: str) -> tuple[str, ...]:
    """A SQLite CHECK expression in PostgreSQL's stored form, as tokens (see the docstring)."""
    operand = r"(\w+(?:\(\w+\))?)"
    expression = re.sub(
        rf"{operand} BETWEEN (\S+) AND (\S+)", r"\1 >= \2 AND \1 <= \3", expression, flags=re.I
    )
    expression = re.sub(r"(\w+) IN \(([^)]*)\)", r"\1 = ANY (ARRAY[\2])", expression, flags=re.I)
    return _tokens(expression)


def postgres_check(definition: str) -> tuple[str, ...]:
    """`pg_get_constraintdef` of a CHECK constraint, without casts, as tokens."""
    expression = re.sub(r"^CHECK ", "", definition)
    expression = re.sub(r"::(?:double precision|character varying|[a-z]+)", "", expression)
    return _tokens(expression)


def sqlite_checks(sql: str) -> list[tuple[str, ...]]:
    """Every `CHECK (...)` expression of a CREATE TABLE statement."""
    found = []
    for match in re.finditer(r"\bCHECK\s*\(", sql, flags=re.I):
        depth, start = 1, match.end()
        for index in range(start, len(sql)):
            depth += {"(": 1, ")": -1}.get(sql[index], 0)
            if depth == 0:
                found.append(sqlite_check(sql[start:index]))
                break
    return sorted(found)


def sqlite_schema(path: Path) -> Schema:
    conn = sqlite3.connect(path)
    try:
        schema: Schema = {}
        tables = [
            (str(r[0]), str(r[1]))
            for r in conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        for table, sql in tables:
            info = conn.execute(f"PRAGMA table_info({table})").fetchall()
            columns = {
                str(c[1]): (
                    SQLITE_TYPES[str(c[2]).lower()],
                    not (c[3] or c[5]),
                    None if c[5] else _default(c[4]),
                )
                for c in info
            }
            primary = tuple(str(c[1]) for c in sorted(info, key=lambda c: c[5]) if c[5])
            uniques, indexes = set(), {}
            for _, name, unique, origin, partial in conn.execute(f"PRAGMA index_list({table})"):
                keys = tuple(
                    (str(x[2]), bool(x[3]))
                    for x in conn.execute(f"PRAGMA index_xinfo({name})")
                    if x[5]
                )
                if origin == "u":
                    uniques.add(tuple(k for k, _ in keys))
                elif origin == "c":
                    indexes[str(name)] = (keys, bool(unique), bool(partial))
            foreign = {
                (str(f[3]), str(f[2]), str(f[4]), str(f[6]))
                for f in conn.execute(f"PRAGMA foreign_key_list({table})")
            }
            schema[table] = {
                "columns": columns,
                "primary": primary,
                "unique": uniques,
                "foreign": foreign,
                "checks": sqlite_checks(sql),
                "indexes": indexes,
            }
        return schema
    finally:
        conn.close()


async def postgres_schema(url: str) -> Schema:
    conn = await asyncpg.connect(url)
    try:
        schema: Schema = {}
        tables = [
            str(r[0])
            for r in await conn.fetch(
                "SELECT table_name FROM information_schema.tables WHERE table_schema ="
                " current_schema() AND table_type = 'BASE TABLE' AND table_name <> $1"
                " ORDER BY table_name",
                VERSION_TABLE,
            )
        ]
        for table in tables:
            columns = {
                str(r["column_name"]): (
                    POSTGRES_TYPES[str(r["data_type"])],
                    r["is_nullable"] == "YES",
                    _default(r["column_default"]),
                )
                for r in await conn.fetch(
                    "SELECT column_name, data_type, is_nullable, column_default"
                    " FROM information_schema.columns WHERE table_schema = current_schema()"
                    " AND table_name = $1",
                    table,
                )
            }
            constraints = await conn.fetch(
                "SELECT c.contype::text AS contype, c.conname, c.confdeltype::text AS confdeltype, c.conindid,"
                " ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i)"
                "   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n"
                "   ORDER BY k.i) AS cols,"
                " ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, i)"
                "   JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n"
                "   ORDER BY k.i) AS fcols,"
                " c.confrelid::regclass::text AS ftable, pg_get_constraintdef(c.oid) AS def"
                " FROM pg_constraint c WHERE c.conrelid = $1::regclass",
                table,
            )
            primary: tuple[str, ...] = ()
            uniques, foreign, backing = set(), set(), set()
            checks: list[tuple[str, ...]] = []
            for c in constraints:
                kind = c["contype"]
                if kind == "p":
                    primary = tuple(c["cols"])
                    backing.add(c["conindid"])
                elif kind == "u":
                    uniques.add(tuple(c["cols"]))
                    backing.add(c["conindid"])
                elif kind == "f":
                    for col, ref in zip(c["cols"], c["fcols"], strict=True):
                        foreign.add(
                            (
                                col,
                                str(c["ftable"]).split(".")[-1],
                                ref,
                                _ON_DELETE[c["confdeltype"]],
                            )
                        )
                elif kind == "c":
                    checks.append(postgres_check(str(c["def"])))
            indexes = {}
            for r in await conn.fetch(
                "SELECT i.indexrelid, c.relname, i.indisunique, i.indpred IS NOT NULL AS partial,"
                " pg_get_indexdef(i.indexrelid) AS def FROM pg_index i"
                " JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = $1::regclass",
                table,
            ):
                if r["indexrelid"] in backing:
                    continue
                inside = re.search(r"\((.*?)\)(?: WHERE|$)", str(r["def"]))
                assert inside is not None
                keys = tuple(
                    (part.split()[0].strip('"'), part.strip().upper().endswith("DESC"))
                    for part in inside.group(1).split(", ")
                )
                indexes[str(r["relname"])] = (keys, bool(r["indisunique"]), bool(r["partial"]))
            schema[table] = {
                "columns": columns,
                "primary": primary,
                "unique": uniques,
                "foreign": foreign,
                "checks": sorted(checks),
                "indexes": indexes,
            }
        return schema
    finally:
        await conn.close()


def test_both_engines_ship_the_same_migration_versions() -> None:
    sqlite = [(m.version, m.name) for m in bundled_migrations("sqlite")]
    postgres = [(m.version, m.name) for m in bundled_migrations("postgres")]
    assert sqlite == postgres
    assert [v for v, _ in sqlite] == list(range(1, len(sqlite) + 1))


async def test_both_engines_reach_the_same_schema_at_every_version(
    tmp_path: Path, postgres: TestDatabase
) -> None:
    sqlite_migrations = bundled_migrations("sqlite")
    postgres_migrations = bundled_migrations("postgres")
    lite = Database(tmp_path / "parity.db")
    await lite.open()
    pg = PostgresDatabase(postgres.url)
    await pg.open()
    compared = 0
    try:
        for count, migration in enumerate(sqlite_migrations, 1):
            version = migration.version
            await lite.migrate(sqlite_migrations[:count])
            await pg.migrate(postgres_migrations[:count])
            assert await lite.version() == await pg.version() == version
            expected = sqlite_schema(tmp_path / "parity.db")
            found = await postgres_schema(postgres.url)
            assert sorted(found) == sorted(expected), f"tables differ at version {version}"
            for table in expected:
                for part in expected[table]:
                    assert found[table][part] == expected[table][part], (
                        f"version {version}: {table}.{part}"
                    )
                    compared += 1
    finally:
        await lite.close()
        await pg.close()
    assert compared >= 6 * 18  # every part of every table at the last version, and more


async def test_processes_starting_together_migrate_once(postgres: TestDatabase) -> None:
    stores = [Store(postgres.url) for _ in range(6)]
    await asyncio.gather(*(s.open() for s in stores))
    try:
        versions = await stores[0].db.fetch_all(f"SELECT version FROM {VERSION_TABLE}")
        latest = [m.version for m in bundled_migrations("postgres")]
        assert sorted(int(r[0]) for r in versions) == latest
        # Each store works on the one schema: a write by one is read by the others.
        await stores[1].sessions.create(
            NewSession(
                guild_id=1, channel_id=2, voice_channel_id=None, title="t", facilitator_id=3
            ),
            1.0,
        )
        for store in stores:
            assert len(await store.sessions.all_open()) == 1
    finally:
        await asyncio.gather(*(s.close() for s in stores))


async def test_a_failing_postgres_migration_rolls_back_and_keeps_the_old_version(
    tmp_path: Path,
) -> None:
    async for url in fresh_postgres():
        good = bundled_migrations("postgres")[:1]
        broken = type(good[0])(
            2, "0002_broken.sql", "CREATE TABLE b (id BIGINT);\nINSERT INTO missing VALUES (1);"
        )
        db = PostgresDatabase(url)
        await db.open()
        try:
            with pytest.raises(MigrationError, match=r"0002_broken\.sql"):
                await db.migrate([*good, broken])
            assert await db.version() == 1
            assert "b" not in await db.tables() and "sessions" in await db.tables()
        finally:
            await db.close()


async def test_the_comparison_catches_a_32_bit_column_and_a_changed_check(
    tmp_path: Path, postgres: TestDatabase
) -> None:
    """The comparator itself: same table on both engines matches; an INTEGER (32-bit) column
    or a different CHECK bound on PostgreSQL does not."""
    lite = sqlite3.connect(tmp_path / "t.db")
    lite.execute(
        "CREATE TABLE t (id INTEGER NOT NULL, v INTEGER CHECK (v BETWEEN 1 AND 5),"
        " s TEXT CHECK (s IN ('x', 'y')), n TEXT CHECK (length(n) BETWEEN 1 AND 32),"
        " f INTEGER CHECK (f IN (0, 1)), m INTEGER CHECK (m IS NULL OR m BETWEEN 0 AND 9))"
    )
    lite.commit()
    lite.close()
    expected = sqlite_schema(tmp_path / "t.db")["t"]
    assert len(expected["checks"]) == 5
    pg_table = (
        "CREATE TABLE t (id {id} NOT NULL, v BIGINT CHECK (v BETWEEN 1 AND {top}),"
        " s TEXT CHECK (s IN ('x', 'y')), n TEXT CHECK (length(n) BETWEEN 1 AND 32),"
        " f BIGINT CHECK (f IN (0, 1)), m BIGINT CHECK (m IS NULL OR m BETWEEN 0 AND 9))"
    )
    conn = await asyncpg.connect(postgres.url)
    try:
        found = {}
        for name, kind, top in (
            ("same", "BIGINT", 5),
            ("narrow", "INTEGER", 5),
            ("check", "BIGINT", 6),
        ):
            await conn.execute(f"CREATE SCHEMA {name}_s")
            await conn.execute(f"SET search_path TO {name}_s")
            await conn.execute(pg_table.format(id=kind, top=top))
            found[name] = (
                await postgres_schema(f"{postgres.url.split('?')[0]}?search_path={name}_s")
            )["t"]
    finally:
        for name in ("same", "narrow", "check"):
            await conn.execute(f"DROP SCHEMA IF EXISTS {name}_s CASCADE")
        await conn.close()
    assert found["same"]["columns"] == expected["columns"]
    assert found["same"]["checks"] == expected["checks"]
    assert found["narrow"]["columns"]["id"] != expected["columns"]["id"]
    assert found["check"]["checks"] != expected["checks"]

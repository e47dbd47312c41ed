"""The engine seam: one setting picks the engine, one SQL text renders for each engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError, load_settings
from bot.store.database import Database
from bot.store.engine import ColumnType, DatabaseUrl, array_literal, batch_rows, render_postgres
from bot.store.postgres import PostgresDatabase
from bot.store.store import Store, open_database


def test_urls_pick_the_engine_and_a_plain_path_is_sqlite() -> None:
    assert DatabaseUrl.parse("sqlite:///data/chorus.db") == DatabaseUrl(
        "sqlite", path=Path("data/chorus.db")
    )
    assert DatabaseUrl.parse("sqlite:////srv/chorus.db").path == Path("/srv/chorus.db")
    assert DatabaseUrl.parse(Path("x.db")).engine == "sqlite"
    pg = DatabaseUrl.parse("postgresql://chorus:secret@db:5432/chorus")
    assert pg.engine == "postgresql" and pg.dsn.endswith("/chorus")
    assert "secret" not in str(pg) and str(pg) == "postgresql://chorus:***@db:5432/chorus"
    with pytest.raises(ValueError, match="unknown engine 'mysql'"):
        DatabaseUrl.parse("mysql://x/y")
    assert type(open_database("sqlite:///x.db")) is Database
    assert isinstance(open_database("postgres://u@h/d"), PostgresDatabase)


def test_database_url_setting_defaults_to_the_sqlite_file(tmp_path: Path) -> None:
    assert Settings().database == "sqlite:///data/chorus.db"
    assert Settings(database_path=tmp_path / "c.db").database == f"sqlite:///{tmp_path}/c.db"
    config = tmp_path / "chorus.yaml"
    config.write_text("database_url: postgresql://chorus@127.0.0.1:5432/chorus\n")
    loaded = load_settings(config, environ={})
    assert loaded.database == "postgresql://chorus@127.0.0.1:5432/chorus"
    from_env = load_settings(config, environ={"CHORUS_DATABASE_URL": "sqlite:///other.db"})
    assert from_env.database == "sqlite:///other.db"
    with pytest.raises(SettingsError, match="CHORUS_DATABASE_URL: database_url: expected"):
        load_settings(config, environ={"CHORUS_DATABASE_URL": "mysql://x"})


def test_one_sql_text_renders_for_postgres() -> None:
    assert render_postgres("SELECT a FROM t WHERE b = ? AND c IN (?, ?)", (1, 2, 3)) == (
        "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)",
        (1, 2, 3),
    )
    text, args = render_postgres(
        "SELECT x::text FROM t WHERE g = :guild AND (u = :user OR v = :guild) AND s = '?:x'",
        {"user": 5, "guild": 7},
    )
    assert text == "SELECT x::text FROM t WHERE g = $1 AND (u = $2 OR v = $1) AND s = '?:x'"
    assert list(args) == [7, 5]
    assert render_postgres("SELECT group_concat(a, ',') FROM t")[0] == (
        "SELECT string_agg(a, ',') FROM t"
    )


def test_nul_in_text_is_stored_as_a_replacement_character_on_postgres() -> None:
    assert render_postgres("INSERT INTO t VALUES (?, ?)", ("a\x00b", 3))[1] == ["a\ufffdb", 3]
    assert render_postgres("SELECT :x", {"x": "\x00"})[1] == ["\ufffd"]


_TRICKY_COLUMNS: tuple[tuple[str, ColumnType], ...] = (
    ("label", "TEXT"),
    ("amount", "BIGINT"),
    ("at", "DOUBLE PRECISION"),
)
_TRICKY_ROWS = [
    ('say "hi"', 2**63 - 1, 1764550000.123456),
    ("back\\slash, {braces}", -(2**63), 0.1),
    ("NULL", 0, 1e-300),
    (None, None, None),
    ("", True, 5),  # a bool as 1, an int in a float column
    ("  spaced  ü😀\n\t", -1, 1 / 3),
    ("a\x00b", 7, float("inf")),
]


async def test_a_batchs_rows_read_back_exactly_as_written_on_both_engines(store: Store) -> None:
    cte, params = batch_rows(store.db.engine, "u", _TRICKY_COLUMNS, _TRICKY_ROWS)
    rows = await store.db.fetch_all(
        f"WITH {cte} SELECT n, label, amount, at FROM u ORDER BY n", params
    )
    nul = "a\ufffdb" if store.db.engine == "postgresql" else "a\x00b"
    expected = [(n, *row) for n, row in enumerate(_TRICKY_ROWS, start=1)]
    expected[4] = (5, "", 1, 5.0)
    expected[6] = (7, nul, 7, float("inf"))
    assert [tuple(r) for r in rows] == expected


def test_an_array_refuses_a_value_of_another_type() -> None:
    assert array_literal("BIGINT", [1, None, True]) == "{1,NULL,1}"
    assert array_literal("DOUBLE PRECISION", []) == "{}"
    assert array_literal("TEXT", ['a "b"', None, 'a "b"']) == '{"a \\"b\\"",NULL,"a \\"b\\""}'
    for kind, value in (("BIGINT", "1"), ("BIGINT", 1.5), ("TEXT", 1), ("DOUBLE PRECISION", "1")):
        with pytest.raises(TypeError, match="expected"):
            array_literal(kind, [value])  # type: ignore[arg-type]  # a wrong type: the point


def test_the_test_tooling_variables_are_not_settings(tmp_path: Path) -> None:
    environ = {
        "CHORUS_TEST_POSTGRES_URL": "postgresql://chorus@127.0.0.1:5432/chorus_test",
        "CHORUS_REQUIRE_POSTGRES": "1",
        "CHORUS_PG_THROWAWAY_DIR": "/tmp/x",
    }
    assert load_settings(tmp_path / "none.yaml", environ=environ).database_url is None
    with pytest.raises(SettingsError, match="CHORUS_TEST_POSTGRES: unknown setting"):
        load_settings(tmp_path / "none.yaml", environ={"CHORUS_TEST_POSTGRES": "x"})

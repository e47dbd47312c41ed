"""`chorus db copy` never reports a false success nor leaves a half-done destination: a
mistyped source is refused (not created), verification happens before COMMIT (a difference
rolls everything back and a retry works), NUL characters are handled as the store's engine seam
handles them, and a running bot's database is read in one snapshot."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from bot.store.copy import TABLE_ORDER, CopyError, copy_database
from bot.store.store import Store
from tests.engines import TestDatabase
from tests.store.test_copy import filled_sqlite, summaries
from tests.test_cli import run_cli


async def test_a_missing_sqlite_source_is_refused_not_created(
    tmp_path: Path, engine: TestDatabase
) -> None:
    typo = tmp_path / "data" / "chorsu.db"
    with pytest.raises(CopyError, match=f"no database at {typo}"):
        await copy_database(f"sqlite:///{typo}", engine.url, report=lambda _: None)
    assert not typo.exists() and not typo.parent.exists()
    result = run_cli("db", "copy", f"sqlite:///{typo}", engine.url, cwd=tmp_path)
    assert result.returncode == 1
    assert f"no database at {typo}" in result.stderr and "Traceback" not in result.stderr
    assert not typo.exists()


async def _spoil_member_names(engine: TestDatabase, spoil: bool) -> None:
    """A destination trigger that changes a copied value, so the copy can't verify."""
    store = Store(engine.url)
    await store.open()
    try:
        async with store.db.transaction() as conn:
            if engine.is_postgres:
                if spoil:
                    await conn.execute(
                        "CREATE FUNCTION spoil() RETURNS trigger AS $$ BEGIN"
                        " NEW.display_name := 'changed'; RETURN NEW; END $$ LANGUAGE plpgsql"
                    )
                    await conn.execute(
                        "CREATE TRIGGER spoil BEFORE INSERT ON members"
                        " FOR EACH ROW EXECUTE FUNCTION spoil()"
                    )
                else:
                    await conn.execute("DROP TRIGGER spoil ON members")
            elif spoil:
                await conn.execute(
                    "CREATE TRIGGER spoil AFTER INSERT ON members BEGIN UPDATE members SET"
                    " display_name = 'changed' WHERE guild_id = NEW.guild_id"
                    " AND user_id = NEW.user_id; END"
                )
            else:
                await conn.execute("DROP TRIGGER spoil")
    finally:
        await store.close()


async def test_a_copy_that_does_not_verify_leaves_nothing_and_a_retry_works(
    tmp_path: Path, engine: TestDatabase
) -> None:
    source = await filled_sqlite(tmp_path / "home.db")
    await _spoil_member_names(engine, spoil=True)
    with pytest.raises(CopyError, match=r"members: verification failed.*nothing was committed"):
        await copy_database(source, engine.url, report=lambda _: None)
    empty = await summaries(engine.url)
    assert {table: rows for table, (rows, _) in empty.items()} == dict.fromkeys(TABLE_ORDER, 0)

    await _spoil_member_names(engine, spoil=False)
    await copy_database(source, engine.url, report=lambda _: None)
    assert await summaries(engine.url) == await summaries(source)


async def test_nul_in_text_is_stored_as_on_the_seam_and_verifies(
    tmp_path: Path, postgres: TestDatabase
) -> None:
    source = await filled_sqlite(tmp_path / "home.db")
    raw = sqlite3.connect(tmp_path / "home.db")
    with raw:
        raw.execute("UPDATE checkins SET note = ? WHERE id = 81", ("tired\x00really",))
    raw.close()
    lines: list[str] = []
    await copy_database(source, postgres.url, report=lines.append)
    assert "checkins: 1 rows (1 text values held NUL, stored with U+FFFD in its place)" in lines
    store = Store(postgres.url)
    await store.open()
    try:
        note = await store.db.fetch_one("SELECT note FROM checkins WHERE id = 81")
        assert note is not None and note[0] == "tired\ufffdreally"  # as render_postgres stores it
    finally:
        await store.close()
    back = f"sqlite:///{tmp_path / 'back.db'}"
    await copy_database(postgres.url, back, report=lambda _: None)
    assert await summaries(back) == await summaries(postgres.url)


def _write_while_copying(url: str, path: Path | None) -> None:
    """The running bot writes meanwhile: a new goal and a changed name, on its own connection."""
    goal = (
        "INSERT INTO goals (id, guild_id, user_id, text, status, created_at, closed_at)"
        " VALUES (999, 900000000000000001, 800000000000000003, 'new', 'active', 50.0, NULL)"
    )
    rename = "UPDATE members SET display_name = 'Renamed' WHERE user_id = 800000000000000003"
    if path is not None:
        raw = sqlite3.connect(path, timeout=10)
        with raw:
            raw.execute(goal)
            raw.execute(rename)
        raw.close()
        return

    async def write() -> None:
        import asyncpg

        conn = await asyncpg.connect(url)
        try:
            async with conn.transaction():
                await conn.execute(goal)
                await conn.execute(rename)
        finally:
            await conn.close()

    # The copy's event loop is busy in its report callback: write from a loop of its own.
    thread = threading.Thread(target=asyncio.run, args=(write(),))
    thread.start()
    thread.join()


async def test_a_running_source_is_read_in_one_snapshot(
    tmp_path: Path, engine: TestDatabase
) -> None:
    home = await filled_sqlite(tmp_path / "home.db")
    await copy_database(home, engine.url, report=lambda _: None)  # the running bot's database
    before = await summaries(engine.url)
    written: list[str] = []

    def report(line: str) -> None:
        if not written:  # after the first table, before members and goals are read
            _write_while_copying(engine.url, engine.path)
        written.append(line)

    destination = f"sqlite:///{tmp_path / 'copy.db'}"
    await copy_database(engine.url, destination, report=report)
    assert len(written) == len(TABLE_ORDER)
    assert await summaries(destination) == before  # the moment the copy began
    after = await summaries(engine.url)
    assert after["goals"][0] == before["goals"][0] + 1 and after["members"] != before["members"]

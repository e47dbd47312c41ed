"""README's least-privilege PostgreSQL set-up, exactly as written there: the owner role migrates
(and copies a community in), the bot's own role starts, migrates (nothing to do), reports status,
writes and forgets, and is told in one line what to do when a migration or a copy needs the owner.

The roles and grants are the README's SQL block itself (names made unique per test run), so the
README can't drift from what is tested.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from bot.records.sessions import NewSession
from bot.store.copy import CopyError, copy_database
from bot.store.migrator import bundled_migrations
from bot.store.store import Store
from tests.conftest import ROOT
from tests.engines import postgres_url_or_skip
from tests.store.test_copy import filled_sqlite
from tests.test_cli import run_cli

LATEST = max(m.version for m in bundled_migrations("postgres"))


def readme_least_privilege_sql() -> list[str]:
    """The statements (and `\\c` lines) of the README's least-privilege SQL block."""
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("**Least privilege.**", 1)[1]
    block = re.search(r"```sql\n(.*?)```", section, re.S)
    assert block is not None, "README's least-privilege section has no ```sql block"
    statements: list[str] = []
    buffer: list[str] = []
    for line in block.group(1).splitlines():
        if line.startswith("\\c "):
            statements.append(line.strip())
            continue
        buffer.append(line)
        if line.rstrip().endswith(";"):
            statements.append("\n".join(buffer).strip().rstrip(";"))
            buffer = []
    assert not "".join(buffer).strip(), "a statement without its ; in the README"
    return statements


@dataclass(frozen=True)
class Roles:
    owner_url: str
    app_url: str
    app: str


def _url(base: str, user: str, database: str) -> str:
    parts = urlsplit(base)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{user}@{host}", path=f"/{database}", query=""))


@pytest.fixture
async def roles() -> AsyncIterator[Roles]:
    import asyncpg

    base = postgres_url_or_skip()
    tag = uuid.uuid4().hex[:8]
    names = {"chorus_owner": f"chorus_owner_{tag}", "chorus_app": f"chorus_app_{tag}"}
    database = f"chorus_{tag}"

    def named(sql: str) -> str:
        for readme_name, name in names.items():
            sql = re.sub(rf"\b{readme_name}\b", name, sql)
        return re.sub(r"\bchorus\b", database, sql)

    conn = await asyncpg.connect(base)
    try:
        for statement in map(named, readme_least_privilege_sql()):
            if statement.startswith("\\c "):
                await conn.close()
                conn = await asyncpg.connect(_url(base, urlsplit(base).username or "", database))
                continue
            await conn.execute(statement)
    finally:
        await conn.close()
    try:
        yield Roles(
            owner_url=_url(base, names["chorus_owner"], database),
            app_url=_url(base, names["chorus_app"], database),
            app=names["chorus_app"],
        )
    finally:
        conn = await asyncpg.connect(base)
        try:
            await conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            for name in names.values():
                await conn.execute(f"DROP ROLE IF EXISTS {name}")
        finally:
            await conn.close()


def chorus(url: str, *args: str) -> tuple[int, str, str]:
    result = run_cli(*args, env={"CHORUS_DATABASE_URL": url, "CHORUS_CONFIG": "/nonexistent"})
    return result.returncode, result.stdout, result.stderr


async def test_readme_roles_owner_migrates_and_the_bot_role_runs(
    roles: Roles, tmp_path: Path
) -> None:
    # A migration is due and the bot's role may not change the schema: one line saying who can.
    code, out, err = chorus(roles.app_url, "db", "migrate")
    assert code == 1, out + err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert "run `chorus db migrate` as the owner role" in err and roles.app in err

    code, out, err = chorus(roles.owner_url, "db", "migrate")
    assert code == 0, err
    assert f"now at version {LATEST}" in out

    # Up to date: the bot's role runs no DDL at all.
    code, out, err = chorus(roles.app_url, "db", "migrate")
    assert (code, err) == (0, ""), err
    assert f"nothing to apply; now at version {LATEST}" in out
    code, out, err = chorus(roles.app_url, "db", "status")
    assert (code, err) == (0, ""), err
    assert f"version {LATEST} of {LATEST}" in out

    # A copy into PostgreSQL moves the id sequences: the bot's role is refused before writing.
    source = await filled_sqlite(tmp_path / "home.db")
    with pytest.raises(CopyError, match=f"role '{roles.app}' may not move the id sequences"):
        await copy_database(source, roles.app_url, report=lambda _: None)
    code, out, err = chorus(roles.app_url, "db", "copy", source, roles.app_url)
    assert code == 1 and "Traceback" not in err and "owner role" in err, err
    await copy_database(source, roles.owner_url, report=lambda _: None)  # the owner may

    # The bot, as its own role: starts, writes (new ids past the copied ones), forgets.
    store = Store(roles.app_url)
    await store.open()
    try:
        session = await store.sessions.create(NewSession(guild_id=900000000000000001, channel_id=5, voice_channel_id=None, title="next", facilitator_id=800000000000000002), 40.0)  # fmt: skip
        assert session.id > 41
        assert await store.sessions.join(session.id, 800000000000000002, 41.0)
        await store.members.remember_name(900000000000000001, 800000000000000002, "Ana")
        report = await store.privacy.forget(900000000000000001, 800000000000000002, 42.0)
        assert report.deleted["checkins"] == 1 and report.deleted["members"] == 1
        assert await store.members.get(900000000000000001, 800000000000000002) is None
        left = await store.db.fetch_one(
            "SELECT COUNT(*) FROM checkins WHERE user_id = ?", (800000000000000002,)
        )
        assert left is not None and left[0] == 0
    finally:
        await store.close()

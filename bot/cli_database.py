"""The `chorus` commands' database work: `db migrate | status | backup | copy`, the check
`chorus run` makes before it logs in, and a database that can't be used said in one line."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.settings import Settings, masked_url

if TYPE_CHECKING:
    from bot.store.media_copy import MediaPlan


def database_problem(exc: Exception) -> str:
    """What `exc` says is wrong with the database, in one line that says how to fix it
    (bot/store/problems.py). Raises `exc` itself when it is no database problem: a bug keeps
    its traceback."""
    from bot.store.problems import describe

    problem = describe(exc)
    if problem is None:
        raise exc
    return problem


def database_ready(settings: Settings) -> str | None:
    """Before logging in to Discord: open the database and bring it up to date (what the bot
    does on start anyway). None when it is ready, else one line saying what is wrong."""
    from bot.store.store import open_database

    async def check() -> None:
        db = open_database(settings.database)
        try:
            await db.open()
            await db.migrate()
        finally:
            await db.close()

    try:
        asyncio.run(check())
    except Exception as exc:
        return f"database {masked_url(settings.database)}: {database_problem(exc)}"
    return None


def db_upkeep(command: str, settings: Settings, backup_path: str | None) -> int:
    """`chorus db migrate | status | backup` (`command`) on the settings' database: its
    migrations applied, its version shown, or a backup written to `backup_path`. Exit status 1
    for a database that can't be used (or doesn't exist, for status and backup), else 0."""
    from bot.store.engine import DatabaseUrl
    from bot.store.migrator import bundled_migrations
    from bot.store.store import Store

    url = DatabaseUrl.parse(settings.database)
    where = str(url)
    if command != "migrate" and url.path is not None and not url.path.is_file():
        # Opening would create an empty database: a backup of nothing that looks like success.
        print(f"chorus: db {command}: {no_database(url.path)}", file=sys.stderr)
        return 1

    async def go() -> int:
        store = Store(settings.database)
        await store.db.open()
        try:
            migrations = bundled_migrations(store.db.migrations_folder)
            if command == "migrate":
                applied = await store.db.migrate()
                names = ", ".join(m.name for m in applied) or "nothing to apply"
                print(f"{where}: {names}; now at version {await store.db.version()}")
            elif command == "status":
                version = await store.db.version()
                latest = max((m.version for m in migrations), default=0)
                pending = [m.name for m in migrations if m.version > version]
                print(f"{where}: version {version} of {latest}")
                for name in pending:
                    print(f"  pending: {name}")
            elif command == "backup":
                assert backup_path is not None  # the parser requires it
                await store.db.backup(Path(backup_path))
                print(f"backed up {where} to {backup_path}")
        finally:
            await store.close()
        return 0

    try:
        return asyncio.run(go())
    except Exception as exc:
        problem = database_problem(exc)
        print(f"chorus: db {command}: database {where}: {problem}", file=sys.stderr)
        return 1


def no_database(path: Path) -> str:
    """Why there is nothing to read at `path`, and the ways to point at the right file."""
    return (
        f"no database at {path.resolve()}. Run this from the Chorus folder, set "
        "CHORUS_DATABASE_PATH (or database_path in config/chorus.yaml) to the bot's database "
        "file, or create a new one with: chorus db migrate"
    )


def db_copy(source: str, destination: str, guild_id: int | None, media: list[str] | None) -> int:
    """`chorus db copy SRC_URL DST_URL [--guild ID] [--media SRC_DIR DST_DIR]`: every table
    (or one server's rows) with its ids, verified per table before it commits; then the media
    folder's files (or that server's uploads)."""
    from bot.store.copy import CopyError, copy_database
    from bot.store.engine import DatabaseUrl

    try:
        shown = f"{DatabaseUrl.parse(source)} -> {DatabaseUrl.parse(destination)}"
    except ValueError as exc:
        print(f"chorus: db copy: {exc}", file=sys.stderr)
        return 1
    try:
        plan = None if media is None else _plan_media(source, guild_id, media)
        copied = asyncio.run(copy_database(source, destination, guild_id=guild_id))
        files = None if plan is None else plan.copy()
    except CopyError as exc:
        print(f"chorus: db copy: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        print(f"chorus: db copy {shown}: {database_problem(exc)}", file=sys.stderr)
        return 1
    rows = sum(t.rows for t in copied)
    which = "every server" if guild_id is None else f"server {guild_id} only"
    print(
        f"copied {shown} ({which}): {len(copied)} tables, {rows} rows, counts and checksums"
        " verified."
    )
    if files is None or media is None:
        print(
            "Files are not rows: copy the media folder (media_dir, uploaded tracks) yourself,"
            " or add --media SRC_DIR DST_DIR, if the destination's bot needs them."
        )
        return 0
    print(
        f"copied {files.copied} media files ({files.size} bytes) {media[0]} -> {media[1]}"
        f"; {files.present} already there, the same."
    )
    if files.missing:
        print(
            f"chorus: db copy: {len(files.missing)} uploaded files the database names are not in"
            f" {media[0]}: {', '.join(files.missing[:10])}",
            file=sys.stderr,
        )
    return 0


def _plan_media(source: str, guild_id: int | None, media: list[str]) -> MediaPlan:
    """The media files to copy, checked before the rows are (with `guild_id`: the files the
    server's tracks name in the source). Raises CopyError (see `plan_media`)."""
    from bot.store.copy import CopyError
    from bot.store.engine import DatabaseUrl
    from bot.store.media_copy import plan_media, uploaded_files

    path = DatabaseUrl.parse(source).path
    if path is not None and not path.is_file():  # never created by reading it
        raise CopyError(f"no database at {path.resolve()} (check the source path)")
    if not Path(media[0]).is_dir():
        raise CopyError(f"no media folder at {Path(media[0]).resolve()} (check SRC_DIR)")
    names = None if guild_id is None else asyncio.run(uploaded_files(source, guild_id))
    return plan_media(Path(media[0]), Path(media[1]), names)

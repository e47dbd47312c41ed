"""`chorus run | health | validate | schema | db migrate | db status | db backup | db copy |
demo`."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bot.i18n import SHIPPED
from bot.settings import Settings, SettingsError, load_settings

TOKEN_HELP = (
    "DISCORD_TOKEN is not set. Create a bot at https://discord.com/developers/applications "
    "(Bot > Reset Token), then run: export DISCORD_TOKEN=your-token-here && make run"
)


def _settings_or_exit() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        print(f"chorus: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_run(_: argparse.Namespace) -> int:
    """`chorus run`: the bot started until it stops. Exit status 2 without a token, 1 when the
    database can't be used, else `run_bot`'s."""
    settings = _settings_or_exit()
    if settings.token is None or not settings.token.get_secret_value():
        print(f"chorus: {TOKEN_HELP}", file=sys.stderr)
        return 2
    from bot.cli_database import database_ready

    problem = database_ready(settings)
    if problem is not None:
        print(f"chorus: {problem}", file=sys.stderr)
        return 1
    from bot.run_bot import run_bot

    return run_bot(settings)


def cmd_health(args: argparse.Namespace) -> int:
    """Healthy: a fresh gateway heartbeat from the running bot and one database read. Prints
    one line; exit 0 when healthy, 1 when not (the Docker HEALTHCHECK)."""
    from bot.cli_database import database_problem, no_database
    from bot.health import Unhealthy, read_heartbeat
    from bot.records.errors import StorageUnavailable
    from bot.store.engine import DatabaseUrl
    from bot.store.problems import describe
    from bot.store.store import Store

    settings = _settings_or_exit()
    url = DatabaseUrl.parse(settings.database)

    async def read_database() -> int:
        if url.path is not None and not url.path.is_file():
            raise Unhealthy(f"database: {no_database(url.path)}")
        store = Store(settings.database)
        try:
            await store.db.open()
            return await store.db.version()
        finally:
            await store.close()

    try:
        beat = read_heartbeat(settings.health_file, max_age=args.max_age)
        started = time.perf_counter()
        version = asyncio.run(asyncio.wait_for(read_database(), args.timeout))
        took = time.perf_counter() - started
    except Unhealthy as exc:
        print(f"unhealthy: {exc}")
        return 1
    except (StorageUnavailable, OSError, TimeoutError, ValueError) as exc:
        print(f"unhealthy: database {url}: {describe(exc) or exc or exc.__class__.__name__}")
        return 1
    except Exception as exc:
        print(f"unhealthy: database {url}: {database_problem(exc)}")
        return 1
    age = max(0.0, time.time() - beat.at)
    print(
        f"healthy: gateway heartbeat {age:.0f} s ago (round trip {beat.latency * 1000:.0f} ms); "
        f"database {url} at version {version}, read in {took * 1000:.0f} ms"
    )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """`chorus validate [paths]`: every activity file checked, its located errors printed. Exit
    status 1 when any file has errors, else 0."""
    from bot.core.activities import validate_paths

    settings = _settings_or_exit()
    paths = [Path(p) for p in args.paths] or list(settings.activities_dirs)
    activities, errors = validate_paths(paths, settings.media_dir)
    for error in errors:
        print(error)
    bad_files = len({e.file for e in errors})
    print(
        f"{len(activities)} activities valid, {bad_files} file{'s' if bad_files != 1 else ''} "
        "with errors"
    )
    return 1 if errors else 0


def cmd_schema(args: argparse.Namespace) -> int:
    """`chorus schema [--write PATH]`: the activity format's JSON Schema printed or written. Exit
    status 0."""
    from bot.core.activities import render_schema

    text = render_schema()
    if args.write:
        Path(args.write).write_text(text, encoding="utf-8")
        print(f"wrote {args.write}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    """`chorus db migrate | status | backup | copy`: the database's migrations applied, its version
    shown, a backup written or one database copied into another. Exit status 1 for a database that
    can't be used (or doesn't exist, for status and backup), else 0."""
    from bot.cli_database import db_copy, db_upkeep

    if args.db_command == "copy":
        return db_copy(args.source, args.destination, args.guild, args.media)
    return db_upkeep(args.db_command, _settings_or_exit(), getattr(args, "path", None))


def cmd_demo(args: argparse.Namespace) -> int:
    """The bot in a simulated Discord with a local browser preview (needs the `demo` extra)."""
    try:
        from bot.demo import screenshots, serve
    except ModuleNotFoundError as exc:
        from bot.demo import DEMO_HINT, DEMO_MODULES

        if (exc.name or "").split(".")[0] not in DEMO_MODULES:
            raise
        print(f"chorus: {DEMO_HINT} ({exc})", file=sys.stderr)
        return 2
    settings = _settings_or_exit()
    if args.screenshots:
        report = asyncio.run(
            screenshots.screenshots(
                Path(args.screenshots), seed=args.seed, base=settings, language=args.language
            )
        )
        return 1 if report.missing else 0
    try:
        return asyncio.run(
            serve.serve(
                Path(args.db),
                seed=args.seed,
                fresh=args.fresh,
                port=args.port,
                base=settings,
                language=args.language,
            )
        )
    except KeyboardInterrupt:
        return 0


def build_parser() -> argparse.ArgumentParser:
    """The `chorus` argument parser: each subcommand's arguments and the function it runs
    (`func`)."""
    parser = argparse.ArgumentParser(prog="chorus", description="Chorus, the group-session bot.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="start the bot (needs DISCORD_TOKEN)").set_defaults(func=cmd_run)
    health = sub.add_parser(
        "health", help="is the running bot healthy? (gateway heartbeat and a database read)"
    )
    health.add_argument(
        "--max-age",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="oldest acceptable gateway heartbeat (default 120)",
    )
    health.add_argument(
        "--timeout", type=float, default=5.0, metavar="SECONDS", help="for the database read"
    )
    health.set_defaults(func=cmd_health)
    validate = sub.add_parser("validate", help="check activity files and report every problem")
    validate.add_argument("paths", nargs="*", help="files or folders (default: activities_dirs)")
    validate.set_defaults(func=cmd_validate)
    schema = sub.add_parser("schema", help="print the JSON Schema for activity files")
    schema.add_argument("--write", metavar="PATH", help="write it to PATH instead of stdout")
    schema.set_defaults(func=cmd_schema)
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("migrate", help="apply pending migrations")
    db_sub.add_parser("status", help="show the schema version and pending migrations")
    backup = db_sub.add_parser("backup", help="consistent copy while the bot runs")
    backup.add_argument("path")
    copy = db_sub.add_parser(
        "copy",
        help="copy every table (ids kept, verified) into an empty database, e.g."
        " sqlite:///data/chorus.db postgresql://chorus@host/chorus",
    )
    copy.add_argument(
        "source", help="database URL to copy from (sqlite:///... or postgresql://...)"
    )
    copy.add_argument("destination", help="an empty database URL to copy into")
    copy.add_argument(
        "--guild",
        type=int,
        metavar="ID",
        help="copy only this server's rows (a community leaving a hosted instance)",
    )
    copy.add_argument(
        "--media",
        nargs=2,
        metavar=("SRC_DIR", "DST_DIR"),
        help="also copy the media folder's files (with --guild: that server's uploads),"
        " never overwriting a different file",
    )
    db.set_defaults(func=cmd_db)
    demo = sub.add_parser(
        "demo", help="try Chorus in a browser, in a simulated Discord (needs the demo extra)"
    )
    demo.add_argument("--seed", type=int, default=7, help="the simulated members' choices")
    demo.add_argument("--fresh", action="store_true", help="start over with an empty database")
    demo.add_argument("--db", default="data/demo.db", help="the demo's own SQLite file")
    demo.add_argument("--port", type=int, default=None, help="preview port (default: any free)")
    demo.add_argument(
        "--screenshots", metavar="DIR", help="run the scripted session and save PNGs into DIR"
    )
    demo.add_argument(
        "--language",
        choices=SHIPPED,
        default="en",
        help="the server's and the members' language (de, es: the translated activities)",
    )
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """`chorus` with `argv` (default: the command line): the chosen subcommand's exit status."""
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())

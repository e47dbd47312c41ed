"""No import inside a function in bot/: a late import hides a cycle or a layer break from the
reader (and import-linter sees it all the same), so imports go at the top of the module. The
exceptions are named here, each with its reason: an optional or slow package loaded only when
the feature needs it, and the entry points that load only what their command needs."""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"

CLI = (
    "`chorus` loads only what its subcommand needs: `chorus health` (the Docker HEALTHCHECK, "
    "every 60 s), `validate` and `schema` start without the bot, discord.py or a database"
)
POSTGRES = "asyncpg is the optional PostgreSQL driver (the `postgres` extra): SQLite runs without"
WARM_UP = "warm_up's point: slow modules load in its worker thread while the gateway connects"

LATE_IMPORTS: dict[tuple[str, str], str] = {
    ("catalogue_tool.py", "bot.app"): (
        "`make messages` reads the code's texts without a bot; only the command tree needs one"
    ),
    ("catalogue_tool.py", "bot.chorus_bot"): "as bot.app: only for the command tree's texts",
    ("catalogue_tool.py", "bot.settings"): "as bot.app: only for the command tree's texts",
    ("cli.py", "bot.cli_database"): CLI,
    ("cli.py", "bot.run_bot"): CLI,
    ("cli.py", "bot.health"): CLI,
    ("cli.py", "bot.records.errors"): CLI,
    ("cli.py", "bot.store.engine"): CLI,
    ("cli.py", "bot.store.problems"): CLI,
    ("cli.py", "bot.store.store"): CLI,
    ("cli.py", "bot.core.activities"): CLI,
    ("cli.py", "bot.demo"): CLI,
    ("cli_database.py", "bot.store.problems"): CLI,
    ("cli_database.py", "bot.store.store"): CLI,
    ("cli_database.py", "bot.store.engine"): CLI,
    ("cli_database.py", "bot.store.migrator"): CLI,
    ("cli_database.py", "bot.store.copy"): CLI,
    ("cli_database.py", "bot.store.media_copy"): CLI,
    ("core/calendar.py", "icalendar"): (
        "0.1-0.3 s to import: loaded only when a member asks for the calendar file"
    ),
    ("demo/screenshots.py", "PIL"): (
        "Pillow isn't a dependency of its own (it comes with matplotlib): only the screenshot "
        "tool crops"
    ),
    ("store/copy.py", "asyncpg"): POSTGRES,
    ("store/copy.py", "bot.store.postgres"): POSTGRES,
    ("store/identify.py", "asyncpg"): POSTGRES,
    ("store/notify.py", "asyncpg"): POSTGRES,
    ("store/problems.py", "asyncpg"): POSTGRES,
    ("store/store.py", "bot.store.postgres"): POSTGRES,
    ("warm_up.py", "bot.core.syllables"): WARM_UP,
    ("warm_up.py", "bot.i18n"): WARM_UP,
    ("warm_up.py", "bot.ui.chart_worker"): WARM_UP,
}
"""(module file under bot/, imported module) -> why it is imported inside a function."""


def late_imports(root: Path = BOT) -> set[tuple[str, str]]:
    """(module file under `root`, imported module) for every import inside a function body."""
    found: set[tuple[str, str]] = set()
    for path in sorted(root.rglob("*.py")):
        module = path.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import):
                    found |= {(module, alias.name) for alias in inner.names}
                elif isinstance(inner, ast.ImportFrom) and inner.module and not inner.level:
                    found.add((module, inner.module))
                elif isinstance(inner, ast.ImportFrom):
                    found.add((module, "." * inner.level + (inner.module or "")))
    return found


def test_no_module_of_bot_imports_inside_a_function_unless_named_with_its_reason() -> None:
    unexplained = sorted(late_imports() - set(LATE_IMPORTS))
    assert not unexplained, (
        f"imports inside a function: {unexplained}; move them to the top of the module, or "
        "name them in LATE_IMPORTS with the reason (an optional or slow package, an entry point)"
    )


def test_every_named_late_import_is_still_there_and_has_a_reason() -> None:
    stale = sorted(set(LATE_IMPORTS) - late_imports())
    assert not stale, f"LATE_IMPORTS entries no module has any more: {stale}"
    assert all(reason.strip() for reason in LATE_IMPORTS.values())
    assert ("cogs/activities.py", "bot.core.activities") not in LATE_IMPORTS


def test_the_scan_finds_an_import_inside_a_function(tmp_path: Path) -> None:
    """The scan sees imports in methods and nested functions, not those at the top."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text(
        "import json\n"
        "class A:\n"
        "    async def m(self):\n"
        "        def inner():\n"
        "            from bot.core import errors\n"
        "        import os.path\n"
        "        from . import sibling\n",
        encoding="utf-8",
    )
    assert late_imports(tmp_path) == {
        ("pkg/mod.py", "bot.core"),
        ("pkg/mod.py", "os.path"),
        ("pkg/mod.py", "."),
    }

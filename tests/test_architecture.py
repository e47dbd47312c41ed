"""House rules that keep the code simple, checked mechanically."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import sys
import tomllib
from pathlib import Path

import pytest

import bot.cogs
from bot.chorus_bot import COGS
from bot.core.steps import step_kinds, step_type_names, summary_counts

ROOT = Path(__file__).resolve().parent.parent
HELPER_MODULES = {
    "bot.cogs.access",
    "bot.cogs.attendance",  # joining and leaving, for commands and board buttons alike
    "bot.cogs.controls",
    "bot.cogs.listen_voice",  # the listening cog's voice playback
    "bot.cogs.lyric_sheet",  # the lyrics cog's live sheet and turn pings
    "bot.cogs.mydata_exports",
    "bot.cogs.schedule_commands",  # the schedule cog's command group
    "bot.cogs.subcommands",  # commands a cog adds to another cog's group
    "bot.cogs.extension",  # every cog module's setup (`cog_setup`)
    "bot.cogs.options",  # what option declarations share (autocomplete)
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_never_imports_discord() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "bot" / "core").rglob("*.py")
        if any(name == "discord" or name.startswith("discord.") for name in imported_modules(path))
    ]
    assert offenders == []


def test_sql_lives_only_in_the_store() -> None:
    keywords = ("SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", "CREATE TABLE")
    offenders = []
    for path in (ROOT / "bot").rglob("*.py"):
        if "store" in path.parts:
            continue
        text = path.read_text()
        if any(f'"{k}' in text or f"'{k}" in text for k in keywords) or "aiosqlite" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_every_cog_module_is_in_the_explicit_tuple() -> None:
    found = {
        f"bot.cogs.{info.name}"
        for info in pkgutil.iter_modules(bot.cogs.__path__)
        if f"bot.cogs.{info.name}" not in HELPER_MODULES
    }
    assert found == set(COGS)
    for name in COGS:
        assert hasattr(importlib.import_module(name), "setup"), f"{name} has no setup()"


def test_dockerfile_properties() -> None:
    text = (ROOT / "Dockerfile").read_text()
    lines = [
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "FROM python:3.11-slim"
    users = [line for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("USER root", "USER 0")
    assert any(line.startswith("VOLUME") and "/data" in line for line in lines)
    assert any(line.startswith("HEALTHCHECK") for line in lines)
    assert lines[-1] == 'CMD ["chorus", "run"]'
    assert "CHORUS_DATABASE_PATH=/data/" in text
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".git" in ignored and ".venv" in ignored and "data" in ignored


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "set -euo pipefail" in ci and "make test" in ci
    readme = (ROOT / "README.md").read_text()
    first_screen = "\n".join(readme.splitlines()[:40])
    assert "make run" in first_screen and "make test" in first_screen


def test_records_import_nothing_but_the_standard_library() -> None:
    """bot/records is the bottom of the house: every layer may import it, so it imports no layer
    and no installed package (the import-linter contract names packages; this checks them all)."""
    offenders = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / "bot" / "records").rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] not in sys.stdlib_module_names and name != "__future__"
    }
    assert offenders == set()
    assert len(list((ROOT / "bot" / "records").glob("*.py"))) >= 10


def test_cogs_and_ui_import_records_not_the_store() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for layer in ("cogs", "ui")
        for path in (ROOT / "bot" / layer).rglob("*.py")
        if any(name.startswith("bot.store") for name in imported_modules(path))
    ]
    assert offenders == []


def test_the_import_contracts_ignore_no_import() -> None:
    """Every layer rule holds without exceptions (issue 17 took the last 26 out)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    assert [c["name"] for c in contracts if c.get("ignore_imports")] == []
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    assert layers[-1] == "bot.records" and "bot.chorus_bot" in layers
    assert (
        layers.index("bot.cogs")
        < layers.index("bot.chorus_bot")
        < layers.index("bot.ui | bot.voice")
    )


def store_reaches(folder: str) -> list[str]:
    """Where modules under bot/`folder` reach the store anyway: an attribute named `store`
    (`bot.store`, `self.bot.store`), a `getattr(..., "store")`, or a call of a store
    repository's write by name (the board's and a step card's message ids)."""
    writes = {"set_board", "claim_board", "release_board", "set_step_message"}
    found: list[tuple[str, int]] = []
    for path in sorted((ROOT / "bot" / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            reached = (
                isinstance(node, ast.Attribute) and (node.attr == "store" or node.attr in writes)
            ) or (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "getattr"
                and any(isinstance(a, ast.Constant) and a.value == "store" for a in node.args)
            )
            if reached:
                found.append((str(path.relative_to(ROOT)), getattr(node, "lineno", 0)))
    return [f"{name}:{line}" for name, line in sorted(set(found))]


def test_ui_never_reaches_the_store() -> None:
    """ui reads and writes through core's services (the live messages: `BoardService`)."""
    assert store_reaches("ui") == []


def test_no_cog_reads_bot_store() -> None:
    """Cogs use the services `ChorusBot` built, never `bot.store`."""
    assert store_reaches("cogs") == []


def test_the_scan_finds_a_store_reach(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = tmp_path / "bot" / "ui" / "sneaky.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "async def f(bot):\n"
        "    await bot.store.sessions.get(1)\n"
        "    await getattr(bot, 'store').runs.get(2)\n"
        "    await bot.boards_repo.set_board(1, 2)\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert store_reaches("ui") == [
        "bot/ui/sneaky.py:2",
        "bot/ui/sneaky.py:3",
        "bot/ui/sneaky.py:4",
    ]


def test_a_kinds_rules_live_in_its_own_module_not_beside_it() -> None:
    # One name per idea: `core/<kind>.py` beside `core/steps/<kind>.py` would be a second home
    # for the kind's rules (the breathe and vote steps had one).
    beside = [
        kind.name for kind in step_kinds() if (ROOT / "bot" / "core" / f"{kind.name}.py").exists()
    ]
    assert not beside, f"move these kinds' rules into bot/core/steps/<kind>.py: {beside}"
    assert len(step_kinds()) >= 9


def presenters_fetched_by_name(folder: Path, root: Path = ROOT) -> set[str]:
    """Modules under `folder` (paths from `root`) that fetch a step presenter by a string: `live.presenters["x"]`,
    `live.presenters.get("x")` or `live.presenter("x")`."""
    found: set[str] = set()
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            key: ast.AST | None = None
            if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute):
                key = node.slice if node.value.attr == "presenters" else None
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
                by_name = node.func.attr == "presenter" or (
                    node.func.attr == "get"
                    and isinstance(node.func.value, ast.Attribute)
                    and node.func.value.attr == "presenters"
                )
                key = node.args[0] if by_name else None
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                found.add(str(path.relative_to(root)))
    return found


def test_cogs_fetch_a_kinds_presenter_by_its_class_not_by_its_name() -> None:
    """`bot.live.presenter_of(ListenPresenter)` is typed as the class it names, so renaming a
    kind or its presenter is a mypy error; `presenters["listen"]` was a KeyError at run time
    behind an `assert isinstance`."""
    found = presenters_fetched_by_name(ROOT / "bot" / "cogs")
    assert found == set(), (
        f"fetch the presenter with `bot.live.presenter_of(<Kind>Presenter)`: {sorted(found)}"
    )


def test_the_presenter_scan_sees_each_way_of_fetching_by_name(tmp_path: Path) -> None:
    lines = {
        "subscript.py": 'a = bot.live.presenters["listen"]\n',
        "call.py": 'b = self.bot.live.presenter("round")\n',
        "get.py": 'c = live.presenters.get("vote")\n',
        "by_scene.py": "d = live.presenter(scene.step.type)\n",
        "typed.py": "e = live.presenter_of(ListenPresenter)\n",
    }
    for name, line in lines.items():
        (tmp_path / name).write_text(line)
    assert presenters_fetched_by_name(tmp_path, tmp_path) == {"subscript.py", "call.py", "get.py"}


SHARED_UI = (
    "bot/ui/activities.py",
    "bot/ui/board.py",
    "bot/ui/board_state.py",
    "bot/ui/sessions.py",
)
"""ui modules every kind passes through (the activity's list of steps, the board, the session
summary): what they need of a kind is declared by the kind (`StepKind`: `icon`,
`private_counts`, `answered`, `summary_counts`) and read from the registry."""


SHARED_CORE = (
    "bot/core/activities.py",
    "bot/core/activity_builder.py",
    "bot/core/activity_fields.py",
    "bot/core/activity_loader.py",
    "bot/core/activity_models.py",
    "bot/core/activity_schema.py",
    "bot/core/catalog.py",
    "bot/core/contributing.py",
    "bot/core/run_memory.py",
    "bot/core/run_service.py",
    "bot/core/run_updates.py",
    "bot/core/runner.py",
    "bot/core/step_forms.py",
    "bot/core/step_moves.py",
    "bot/core/step_service.py",
    "bot/core/step_state.py",
    "bot/core/step_timers.py",
    "bot/core/steps/__init__.py",
    "bot/core/steps/base.py",
)
"""core modules every kind passes through (the activity format and its loader, the registry and
the kinds' interface, the runner and its parts): a kind's rules are its own, reached through the
interface (`StepHandler`, `StepKind`, and `StepBase`'s hooks `problems_among` and `media_files`
for what spans steps and the media files a step plays)."""


def kinds_named(path: Path, words: set[str]) -> list[str]:
    """Where `path` names a step kind: a string that is one of `words` (kind names, the
    contribution kinds the kinds count), an import of a kind's module (`bot.core.steps.base`,
    the interface, is none), or a kind's model (`...Step`)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        named: str | None = None
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in words:
            named = repr(node.value)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bot.core.steps."):
            named = None if node.module == "bot.core.steps.base" else str(node.module)
        elif isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name.endswith("Step") and name[:1].isupper() and name not in ("Step", "StepBase"):
                named = name
        if named is not None:
            found.append(f"{path.name}:{getattr(node, 'lineno', 0)}: {named}")
    return found


def test_shared_ui_code_names_no_step_kind() -> None:
    """A new kind changes nothing here: /activity info's icons and the summary's counts were
    tables keyed by kind in ui/activities.py and ui/sessions.py; the board's private counts
    and answered flag already came from the kind."""
    words = set(step_type_names()) | set(summary_counts())
    assert {"checkin", "round", "reflection", "spoke", "pass"} <= words
    named = [hit for module in SHARED_UI for hit in kinds_named(ROOT / module, words)]
    assert named == [], "declare it on the kind's StepKind and read it from the registry"


def test_shared_core_code_names_no_step_kind() -> None:
    """A new kind changes nothing here either: the activity's cross-step rules (a vote fed
    `from: previous`, `track: from_vote`, paired check-ins) and the loader's media files were
    written against the kinds' models in activity_models.py and activity_loader.py."""
    words = set(step_type_names()) | set(summary_counts())
    named = [hit for module in SHARED_CORE for hit in kinds_named(ROOT / module, words)]
    assert named == [], "give the kind's model or handler the rule (bot/core/steps/<kind>.py)"


def test_the_kind_scan_finds_each_way_of_naming_a_kind(tmp_path: Path) -> None:
    shared = tmp_path / "shared.py"
    shared.write_text(
        "from bot.core.steps.round import upcoming\n"
        'ICONS = {"round": "🎤"}\n'
        "isinstance(step, RoundStep)\n"
        'fine = {"pass_allowed": True, "kind": step.type}\n'
        "from bot.core.steps.base import StepKind\n"
    )
    assert kinds_named(shared, {"round", "pass"}) == [
        "shared.py:1: bot.core.steps.round",
        "shared.py:2: 'round'",
        "shared.py:3: RoundStep",
    ]

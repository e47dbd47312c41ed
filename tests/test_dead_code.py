"""No dead code: every function, method, property and module constant defined in bot/ is
referred to somewhere in bot/.

A name only tests call is dead code to the bot (tests read the store's tables themselves where
they need to look). Found by names, like vulture's default confidence: a definition counts as
used when its name appears in bot/ as a name, an attribute, an import or inside a string that
code reads (e.g. a `getattr`); a docstring, a comment or an `__all__` entry naming it does not
count (`__all__` only says what a module offers, not that anything takes it). Hooks that discord.py, pydantic or Python call by name and functions registered by a
decorator (commands, validators, handlers) are not counted; properties, static and class
methods are.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOOKS = re.compile(
    r"^(__\w+__|on_\w+|cog_\w+|setup|setup_hook|interaction_check|callback|close"
    r"|from_custom_id"  # discord.py's DynamicItem builds a component from its id by this name
    r"|transform)$"  # an app_commands.Transformer's option value passes through this
)
# Decorators that only change how a method is reached: what they decorate must still be used.
PLAIN = {"property", "cached_property", "staticmethod", "classmethod", "override", "cache"}
CONSTANT = re.compile(r"^_?[A-Z][A-Z0-9_]*$")
KEPT = {
    # The catalogue's number and date formatting in a member's language (tested in tests/i18n),
    # kept for the texts being moved into the catalogue (issue 24).
    "format_number",
    "format_day",
    # matplotlib's Formatter API: the axis calls them (bot/ui/chart_dates.py's DayFormatter).
    "format_ticks",
    "get_offset",
    # Catalogue markers: Babel extracts the measure names, `_(measure)` looks them up.
    "KNOWN_MEASURES",
    # What a leak test and the benchmarks read to see memory and timers let go.
    "armed_for",
    "sessions_held",
    "definitions_held",
    "locks_held",
    # Test hooks only (the example kind in tests/steps_example, kinds and presenters of other
    # packages in tests/ui): dead to the bot. Left for the lead: moving them out of
    # bot/core/steps and bot/ui/steps needs a public way to register another package.
    "add_package",
    "remove_package",
}
# The test plugin enforces Discord's limits on every request the suite makes from the same
# constants (bot/ui/limits.py is the one place they are written): its reads count as use.
ENFORCERS = (ROOT / "tests" / "discord_limits.py",)


def _decorator_name(node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Attribute):
        return target.attr
    return target.id if isinstance(target, ast.Name) else ""


def _counted(item: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return all(_decorator_name(d) in PLAIN for d in item.decorator_list)


def _constants(node: ast.stmt) -> list[tuple[str, int]]:
    targets = node.targets if isinstance(node, ast.Assign) else []
    if isinstance(node, ast.AnnAssign) and node.value is not None:
        targets = [node.target]
    return [
        (t.id, node.lineno)
        for t in targets
        if isinstance(t, ast.Name) and CONSTANT.match(t.id) and t.id != "__all__"
    ]


def _definitions(tree: ast.Module) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for node in tree.body:
        found.extend(_constants(node))
        members = [node]
        if isinstance(node, ast.ClassDef):
            if any(isinstance(b, ast.Name) and b.id == "Protocol" for b in node.bases):
                continue  # an interface: its methods are implemented and called elsewhere
            members = list(node.body)
        for item in members:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and _counted(item):
                found.append((item.name, item.lineno))
    return found


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the string constants that are docstrings (modules, classes, functions)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for index, statement in enumerate(body):
            # A docstring opens a body; a string statement after an assignment documents it.
            if (
                isinstance(statement, ast.Expr)
                and isinstance(statement.value, ast.Constant)
                and isinstance(statement.value.value, str)
                and (index == 0 or isinstance(body[index - 1], ast.Assign | ast.AnnAssign))
            ):
                found.add(id(statement.value))
    return found


def _exports(tree: ast.Module) -> set[int]:
    """ids of the string constants listed in `__all__` (assigned or extended)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        value: ast.expr | None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets, value = [node.target], node.value
        else:
            continue
        if value is not None and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in targets
        ):
            found.update(id(n) for n in ast.walk(value) if isinstance(n, ast.Constant))
    return found


def _used_names(tree: ast.Module) -> set[str]:
    used: set[str] = set()
    docstrings = _docstrings(tree) | _exports(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store):
            used.add(node.id)
        elif isinstance(node, ast.Attribute):
            used.add(node.attr)
        elif isinstance(node, ast.alias) and node.asname not in (None, node.name):
            # An import under another name is a use; a plain import is one only where the
            # module then uses the name (a re-export through `__all__` is none).
            used.add(node.name.split(".")[-1])
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            used.update(re.findall(r"[A-Za-z_]\w*", node.value))
    return used


def dead_code(root: Path, enforcers: tuple[Path, ...] = ()) -> list[str]:
    """`path:line name` of every definition in `root` (bot/) whose name nothing in it (or in
    `enforcers`) uses."""
    trees = {path: ast.parse(path.read_text()) for path in sorted(root.rglob("*.py"))}
    readers = [*trees.values(), *(ast.parse(path.read_text()) for path in enforcers)]
    used = set().union(*(_used_names(tree) for tree in readers))
    return [
        f"{path.relative_to(root.parent)}:{line} {name}"
        for path, tree in trees.items()
        for name, line in _definitions(tree)
        if name not in used and name not in KEPT and not HOOKS.match(name)
    ]


def test_nothing_in_the_bot_is_never_used() -> None:
    assert dead_code(ROOT / "bot", ENFORCERS) == []


def test_the_check_finds_dead_code(tmp_path: Path) -> None:
    package = tmp_path / "bot"
    package.mkdir()
    (package / "a.py").write_text(
        '"""Mentions unused, only_named and LIMIT in a docstring."""\n\n'
        "LIMIT = 3\nUSED = 4\n\n\n"
        "def used() -> int:\n    return USED\n\n\n"
        "def unused() -> int:\n    return used()\n\n\n"
        "class Thing:\n    def method(self) -> None: ...\n\n    def __repr__(self) -> str: ...\n\n"
        "    @property\n    def only_named(self) -> int:\n"
        '        """Not only_named: a docstring is no use."""\n        return 1\n'
    )
    (package / "b.py").write_text(
        "from bot.a import Thing\n\n__all__ = ['unused']\n\nThing().method()\n"
    )
    assert dead_code(package) == [
        "bot/a.py:3 LIMIT",
        "bot/a.py:11 unused",
        "bot/a.py:21 only_named",
    ]

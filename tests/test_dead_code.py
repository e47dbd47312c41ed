"""No dead functions: every function and method defined in bot/ is referred to somewhere in bot/.

A name only tests call is dead code to the bot (tests read the store's tables themselves where
they need to look). Found by names, like vulture's default confidence: a function counts as used
when its name appears in bot/ as a name, an attribute, an import or inside a string (e.g. a
`getattr` or a `__all__` entry). Hooks that discord.py, pydantic or Python call by name and
decorated functions (commands, validators, registered handlers) are not counted.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOOKS = re.compile(r"^(__\w+__|on_\w+|cog_\w+|setup|setup_hook|interaction_check|callback|close)$")
KEPT = {
    # The catalogue's number and date formatting in a member's language (tested in tests/i18n),
    # kept for the texts being moved into the catalogue (issue 24).
    "format_number",
    "format_day",
    # matplotlib's Formatter API: the axis calls it (bot/ui/chart_dates.py's DayFormatter).
    "format_ticks",
}


def _definitions(tree: ast.Module) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for node in tree.body:
        members = [node]
        if isinstance(node, ast.ClassDef):
            if any(isinstance(b, ast.Name) and b.id == "Protocol" for b in node.bases):
                continue  # an interface: its methods are implemented and called elsewhere
            members = list(node.body)
        for item in members:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and not item.decorator_list:
                found.append((item.name, item.lineno))
    return found


def _used_names(tree: ast.Module) -> set[str]:
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.Attribute):
            used.add(node.attr)
        elif isinstance(node, ast.alias):
            used.add(node.name.split(".")[-1])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            used.update(re.findall(r"[A-Za-z_]\w*", node.value))
    return used


def dead_functions(root: Path) -> list[str]:
    """`path:line name` of every function in `root` (bot/) whose name nothing in it uses."""
    trees = {path: ast.parse(path.read_text()) for path in sorted(root.rglob("*.py"))}
    used = set().union(*(_used_names(tree) for tree in trees.values()))
    return [
        f"{path.relative_to(root.parent)}:{line} {name}"
        for path, tree in trees.items()
        for name, line in _definitions(tree)
        if name not in used and name not in KEPT and not HOOKS.match(name)
    ]


def test_no_function_in_the_bot_is_never_used() -> None:
    assert dead_functions(ROOT / "bot") == []


def test_the_check_finds_a_dead_function(tmp_path: Path) -> None:
    package = tmp_path / "bot"
    package.mkdir()
    (package / "a.py").write_text(
        "def used() -> int:\n    return 1\n\n\ndef unused() -> int:\n    return used()\n\n\n"
        "class Thing:\n    def method(self) -> None: ...\n\n    def __repr__(self) -> str: ...\n"
    )
    (package / "b.py").write_text("from bot.a import Thing\n\nThing().method()\n")
    assert dead_functions(package) == ["bot/a.py:5 unused"]

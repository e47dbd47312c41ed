"""The figures issue #17 ("one house") asks for, measured on the current tree.

Run from anywhere: ``.venv/bin/python scripts/house_figures.py`` (the `duplicates` command is used
if it is on PATH). Prints, in this order: the files an added step kind takes (the example `hum`
kind of tests/steps_example, run through the bot by tests/cogs/test_example_kind.py), the 10
largest Python files in bot/ by line count, import cycles among bot modules (grimp's graph, the
one `lint-imports` checks; the same graph tests/test_import_cycles.py holds at none), imports of
`bot.store` and calls on a `.store.` attribute chain from bot/cogs and bot/ui, and the pairs
`duplicates` lists in bot/. tests/test_house_figures.py runs it so it keeps working.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_KIND = ROOT / "tests" / "steps_example"
SCHEMA = "activities/activity.schema.json"
DUPLICATES_ARGS = ["--repo", "bot", "--most", "200", "--seconds", "120"]


def kind_files() -> list[str]:
    """The example kind's own files (its core and ui module), relative to the repository."""
    return sorted(
        path.relative_to(ROOT).as_posix()
        for layer in ("core", "ui")
        for path in (EXAMPLE_KIND / layer).glob("*.py")
        if path.name != "__init__.py"
    )


def largest_files(count: int = 10) -> list[tuple[int, str]]:
    """The `count` largest .py files under bot/ as (lines, path), largest first."""
    sizes = [
        (len(path.read_text(encoding="utf-8").splitlines()), path.relative_to(ROOT).as_posix())
        for path in (ROOT / "bot").rglob("*.py")
    ]
    return sorted(sizes, key=lambda size: (-size[0], size[1]))[:count]


def import_cycles() -> list[list[str]]:
    """Groups of bot modules that import each other at run time (empty: no cycle)."""
    import grimp

    from bot.core.steps import step_kinds
    from tests.import_graph import cycles

    graph = grimp.build_graph("bot", exclude_type_checking_imports=True, cache_dir=None)
    # The registries import each kind by name (importlib), an edge grimp can't see.
    for kind in step_kinds():
        graph.add_import(importer="bot.core.steps", imported=f"bot.core.steps.{kind.name}")
        graph.add_import(importer="bot.ui.steps", imported=f"bot.ui.steps.{kind.name}")
    return cycles(graph)


def _attribute_chain(node: ast.expr) -> list[str]:
    names: list[str] = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        names.append(node.id)
    return names[::-1]


def store_use(layer: str) -> tuple[int, Counter[str]]:
    """Imports of bot.store in bot/<layer>, and its calls through a `.store.` attribute chain
    per file (path relative to bot/).

    A call counts when `store` stands inside the called chain (`self.bot.store.runs.get(...)`);
    handing `bot.store` to a core service's constructor is wiring and does not count.
    """
    imports = 0
    calls: Counter[str] = Counter()
    for path in (ROOT / "bot" / layer).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bot.store"):
                imports += 1
            elif isinstance(node, ast.Import):
                imports += sum(alias.name.startswith("bot.store") for alias in node.names)
            elif isinstance(node, ast.Call) and "store" in _attribute_chain(node.func)[1:-1]:
                calls[path.relative_to(ROOT / "bot").as_posix()] += 1
    return imports, calls


def duplicate_pairs() -> tuple[str, Counter[str], Counter[str]] | None:
    """`duplicates`' summary line for bot/, its pairs by kind (same lines, shape, boilerplate)
    and by the folders of their two sides; None when the command is not on PATH."""
    command = shutil.which("duplicates")
    if command is None:
        return None
    output = subprocess.run(
        [command, *DUPLICATES_ARGS], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout
    lines = output.splitlines()
    kinds: Counter[str] = Counter()
    folders: Counter[str] = Counter()
    for line in lines[1:]:
        row = re.match(r"D\d+ (\S+):\S+ ~ (\S+):\S+(.*)", line)
        if row is None:
            continue
        left, right, rest = row.groups()
        kind = "boilerplate" if "boilerplate" in rest else "shape" if "shape" in rest else "same"
        kinds[kind] += 1
        sides = sorted({side.split("/")[0] if "/" in side else "bot" for side in (left, right)})
        folders["+".join(sides)] += 1
    return (lines[0] if lines else "no output"), kinds, folders


def main() -> None:
    """Print the figures (plain text, one section per figure)."""
    sys.path.insert(0, str(ROOT))
    files = kind_files()
    print(f"files to add a step kind: {len(files)} + the regenerated schema")
    for name in [*files, SCHEMA]:
        print(f"  {name}")
    print("largest files in bot/ (lines):")
    for lines, name in largest_files():
        print(f"  {lines:5d} {name}")
    found = import_cycles()
    print(f"import cycles among bot modules: {len(found)}")
    for group in found:
        print(f"  {' -> '.join(group)}")
    for layer in ("cogs", "ui"):
        imports, calls = store_use(layer)
        where = ", ".join(f"{name} {n}" for name, n in sorted(calls.items()))
        print(
            f"bot/{layer}: {imports} imports of bot.store, {calls.total()} calls on a .store. chain"
            + (f" ({where})" if where else "")
        )
    pairs = duplicate_pairs()
    if pairs is None:
        print("duplicates pairs in bot/: not available (no `duplicates` on PATH)")
        return
    summary, kinds, folders = pairs
    print(f"duplicates pairs in bot/ (duplicates {' '.join(DUPLICATES_ARGS)}): {summary}")
    print("  by kind: " + ", ".join(f"{kind} {kinds[kind]}" for kind in sorted(kinds)))
    print("  by folder: " + ", ".join(f"{name} {n}" for name, n in folders.most_common()))


if __name__ == "__main__":
    main()

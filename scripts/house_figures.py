"""The figures issue #17 ("one house") asks for, measured on the current tree.

Run from anywhere: ``.venv/bin/python scripts/house_figures.py`` (the `duplicates` command is used
if it is on PATH). Prints, in this order: the files adding a step kind to bot/ changes, measured
by a trial (`kind_trial`: the trial kind `pause` of tests/steps_trial added to a copy of the tree
as an author would, and the guard tests run there), the 10 largest Python files in bot/ by line
count, import cycles among bot modules (grimp's graph, the
one `lint-imports` checks; the same graph tests/test_import_cycles.py holds at none), imports of
`bot.store` and calls on a `.store.` attribute chain from bot/cogs and bot/ui, and the pairs
`duplicates` lists in bot/. tests/test_house_figures.py runs it so it keeps working.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRIAL_KIND = ROOT / "tests" / "steps_trial"
TRIAL_NAME = "pause"
SCHEMA = "activities/activity.schema.json"
GUARD_TESTS = (
    "tests/core/test_step_registry.py",
    "tests/core/steps/test_kinds.py",
    "tests/core/test_activity_loader.py",
    "tests/ui/test_templates.py",
    "tests/ui/test_templates_languages.py",
    "tests/test_tree_mirror.py",
    "tests/test_readme.py",
    "tests/i18n",
    "tests/test_cli.py::test_schema_matches_checked_in_file",
    "tests/test_dead_code.py",
    "tests/test_docstrings.py",
    "tests/test_import_cycles.py",
)
"""The tests that hold what a new kind could leave out of step: the registry, every kind's
model, handler and presenter, the format's errors naming the kinds, the cards' wording in every
language, the tests' mirror, the
README, the catalogue, the schema, dead code, docstrings and import cycles."""
DUPLICATES_ARGS = ["--repo", "bot", "--most", "200", "--seconds", "120"]


@dataclass(frozen=True)
class KindTrial:
    """What adding the trial kind to bot/ took."""

    changed: list[str]
    """The files that differ from the tree afterwards (`git status`), relative to it."""
    guard: str
    """pytest's summary line for `GUARD_TESTS` run on the changed copy."""
    linted: bool
    """The kind's two files pass ruff (check and format) and the copy `lint-imports`."""
    passed: bool


def _run(command: list[str], where: Path) -> subprocess.CompletedProcess[str]:
    # The copy's own `bot` first: the editable install would otherwise import this tree's.
    env = {**os.environ, "PYTHONPATH": str(where), "GIT_CONFIG_GLOBAL": os.devnull}
    return subprocess.run(command, cwd=where, env=env, capture_output=True, text=True, check=False)


def _copy_tree(to: Path) -> None:
    """The repository's files as they are now (committed or not, untracked too, ignored not),
    committed in a fresh git repository at `to`."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (to / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, to / name)
    for step in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "before the kind"]):
        done = _run(["git", "-c", "user.name=trial", "-c", "user.email=trial@invalid", *step], to)
        if done.returncode != 0:
            raise RuntimeError(f"git {step[0]} in the trial copy: {done.stderr}")


def _translate(copy: Path) -> None:
    """The translator's step: the trial kind's texts (tests/steps_trial/<kind>.<language>.po)
    filled into each language's catalogue, where `make messages` left them untranslated."""
    from babel.messages.pofile import read_po, write_po

    for fragment in sorted(TRIAL_KIND.glob(f"{TRIAL_NAME}.*.po")):
        language = fragment.suffixes[0].lstrip(".")
        target = copy / "bot" / "locales" / language / "LC_MESSAGES" / "chorus.po"
        with fragment.open("rb") as handle:
            words = {m.id: m.string for m in read_po(handle) if m.id}
        with target.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in catalog:
            if message.id in words and not message.string:
                message.string = words[message.id]
        with target.open("wb") as handle:
            write_po(handle, catalog, width=100)


_SEEN = (
    "import sys; from bot.core.steps import step_kinds; "
    "print(*[sys.modules[k.model.__module__].__file__ for k in step_kinds() if k.name == sys.argv[1]])"
)
"""Prints the file the copy's registry found the kind named by its argument in."""


def kind_trial() -> KindTrial:
    """Add the trial kind to a copy of the tree as its author would, and count what changed.

    The author's steps: the kind's two files into bot/core/steps/ and bot/ui/steps/, then
    `python -m bot schema --write activities/activity.schema.json`, `make messages` (python -m
    bot.catalogue_tool) and the translations (`_translate`); then `GUARD_TESTS` run on the copy,
    ruff on the two files and `lint-imports` on the copy.
    Raises RuntimeError when one of the author's steps fails."""
    with tempfile.TemporaryDirectory(prefix="chorus-kind-trial-") as scratch:
        copy = Path(scratch)
        _copy_tree(copy)
        for layer in ("core", "ui"):
            shutil.copy2(
                TRIAL_KIND / layer / f"{TRIAL_NAME}.py",
                copy / "bot" / layer / "steps" / f"{TRIAL_NAME}.py",
            )
        for step in (["-m", "bot", "schema", "--write", SCHEMA], ["-m", "bot.catalogue_tool"]):
            done = _run([sys.executable, *step], copy)
            if done.returncode != 0:
                raise RuntimeError(f"{' '.join(step)} in the trial copy: {done.stderr[-2000:]}")
        _translate(copy)
        seen = _run([sys.executable, "-c", _SEEN, TRIAL_NAME], copy).stdout.split()
        if seen[:1] != [str(copy / "bot" / "core" / "steps" / f"{TRIAL_NAME}.py")]:
            raise RuntimeError(f"the trial copy does not run its own kind: {seen}")
        tested = _run([sys.executable, "-m", "pytest", "-q", *GUARD_TESTS], copy)
        summary = (tested.stdout.strip().splitlines() or ["no output"])[-1]
        tools = Path(sys.executable).parent
        files = [f"bot/{layer}/steps/{TRIAL_NAME}.py" for layer in ("core", "ui")]
        linted = all(
            _run(command, copy).returncode == 0
            for command in (
                [str(tools / "ruff"), "check", *files],
                [str(tools / "ruff"), "format", "--check", *files],
                [str(tools / "lint-imports")],
            )
        )
        status = _run(["git", "status", "--porcelain", "--untracked-files=all"], copy).stdout
        changed = sorted(line[3:] for line in status.splitlines() if line.strip())
        return KindTrial(changed, summary, linted, tested.returncode == 0)


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
    trial = kind_trial()
    print(f"files to add a step kind to bot/ (trial kind `{TRIAL_NAME}`): {len(trial.changed)}")
    for name in trial.changed:
        print(f"  {name}")
    verdict = "pass" if trial.passed else "FAIL"
    print(f"  guard tests on the trial copy: {verdict} ({trial.guard})")
    print(f"  ruff and lint-imports on the trial copy: {'pass' if trial.linted else 'FAIL'}")
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

"""Shared fixtures live once, in tests/conftest.py (issue 17, item 7): no test module defines a
fixture under the name of a shared one unless it is listed here with the reason.

Nor does a module import a fixture from a test module: fixtures several modules use live in a
conftest.py (tests/core/conftest.py's `runner` and `service`).

Found by reading the source (AST), not by importing it: every function decorated with
`pytest.fixture` (under its own name or the `name=` it is given) in every module under tests/.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SHARED = TESTS / "conftest.py"

OVERRIDDEN_ON_PURPOSE = {
    "settings": "a module's own activity files, limits, token or database (pytest's override)",
    "bot": "a bot built from those settings with a module's own voice player or commands",
    "world": "a world of another shape (the demo's, a scheduling world without Discord)",
    "catalog": "a catalogue of another set of activity files",
    "env": "a simcord environment set up differently",
}
"""Shared fixtures a module may replace with its own variant: each is a customisation point."""

KEPT_COPIES: dict[tuple[str, str], str] = {
    ("store/test_run_cache.py", "store"): (
        "SQLite only: the tests change and read the file with plain sqlite3 connections"
    ),
    ("test_gc_tuning.py", "store"): (
        "SQLite only: the collector policy is under test, not the engine; tests wait real seconds"
    ),
}
"""(module under tests/, fixture name) -> why that module keeps its own copy of a shared one."""


def fixture_names(path: Path) -> dict[str, int]:
    """The fixtures a module defines at its top level: name -> line."""
    names: dict[str, int] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if ast.unparse(target) not in ("pytest.fixture", "fixture"):
                continue
            name = node.name
            if isinstance(decorator, ast.Call):
                for keyword in decorator.keywords:
                    if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                        name = str(keyword.value.value)
            names[name] = node.lineno
    return names


def shared_names() -> set[str]:
    return set(fixture_names(SHARED))


def test_the_shared_conftest_defines_the_fixtures_named_here() -> None:
    shared = shared_names()
    assert {"store", "engine", "two", "postgres", "clock"} <= shared, shared
    assert set(OVERRIDDEN_ON_PURPOSE) <= shared, set(OVERRIDDEN_ON_PURPOSE) - shared
    assert {name for _, name in KEPT_COPIES} <= shared


def test_no_module_copies_a_shared_fixture() -> None:
    guarded = shared_names() - set(OVERRIDDEN_ON_PURPOSE)
    copies = []
    kept = set()
    for path in sorted(TESTS.rglob("*.py")):
        if path == SHARED:
            continue
        module = path.relative_to(TESTS).as_posix()
        for name, line in fixture_names(path).items():
            if name not in guarded:
                continue
            if (module, name) in KEPT_COPIES:
                kept.add((module, name))
                continue
            copies.append(f"tests/{module}:{line} defines `{name}`")
    assert not copies, (
        "use the shared fixture of tests/conftest.py instead of a copy (or list the module in"
        " KEPT_COPIES with the reason it needs its own): " + "; ".join(copies)
    )
    assert kept == set(KEPT_COPIES), f"listed but no longer a copy: {set(KEPT_COPIES) - kept}"


OWN_CLOCKS = {
    "reliability/kill9_child.py": "a child process killed mid-write: it keeps real wall time",
}
"""Modules under tests/ -> why they define a top-level `clock` function of their own."""


def test_no_module_writes_its_own_clock() -> None:
    """A fixed clock is `stopped_at(when)` and a moving one the shared `clock` fixture
    (tests/core/runner_setup.py), not a `def clock()` per module."""
    own = []
    for path in sorted(TESTS.rglob("*.py")):
        module = path.relative_to(TESTS).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            fixture = path == SHARED  # the shared `clock` fixture itself
            if node.name == "clock" and module not in OWN_CLOCKS and not fixture:
                own.append(f"tests/{module}:{node.lineno}")
    assert not own, "use stopped_at(when) or the shared `clock` fixture: " + "; ".join(own)


def test_the_scan_finds_a_copy(tmp_path: Path) -> None:
    """The control: a module defining `store` and a renamed `clock` is caught."""
    module = tmp_path / "test_example.py"
    module.write_text(
        "import pytest\n\n"
        "@pytest.fixture\nasync def store(): ...\n\n"
        '@pytest.fixture(name="clock")\ndef my_clock(): ...\n\n'
        "def clock(): ...\n",
        encoding="utf-8",
    )
    assert fixture_names(module) == {"store": 4, "clock": 7}


def fixtures_imported_from_test_modules(path: Path) -> list[str]:
    """`from tests.<...>.test_x import name` of a fixture that module defines: pytest finds a
    fixture so imported only by accident (and the import looks unused); shared fixtures belong
    in a conftest.py."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        parts = node.module.split(".")
        if parts[0] != "tests" or not parts[-1].startswith("test_"):
            continue
        source = TESTS.joinpath(*parts[1:]).with_suffix(".py")
        fixtures = fixture_names(source) if source.exists() else {}
        found.extend(
            f"{alias.name} from {node.module} (line {node.lineno})"
            for alias in node.names
            if alias.name in fixtures
        )
    return found


def test_no_module_imports_a_fixture_from_a_test_module() -> None:
    imported: list[str] = []
    for path in sorted(TESTS.rglob("*.py")):
        imported.extend(
            f"tests/{path.relative_to(TESTS).as_posix()} imports {found}"
            for found in fixtures_imported_from_test_modules(path)
        )
    assert not imported, "move shared fixtures to a conftest.py: " + "; ".join(imported)


def test_the_scan_finds_a_fixture_imported_from_a_test_module(tmp_path: Path) -> None:
    """The control: importing tests/core/test_runner.py's `runner` fixture is caught; a
    helper imported from a set-up module is not."""
    module = tmp_path / "test_example.py"
    module.write_text(
        "from tests.core.test_runner import runner\nfrom tests.core.runner_setup import activity\n",
        encoding="utf-8",
    )
    assert fixtures_imported_from_test_modules(module) == [
        "runner from tests.core.test_runner (line 1)"
    ]

"""scripts/propagated_raises.py keeps working: on a small tree of its own it follows calls the
way its docstring says (through `self`, an attribute `__init__` types, an imported function, a
store's write job) and stops at a handler or a docstring naming the exception; on this tree it
prints its three lines, with no public function's own raise unnamed."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "propagated_raises.py"

FILES = {
    "bot/__init__.py": "",
    "bot/core/__init__.py": "",
    "bot/store/__init__.py": "",
    "bot/core/errors.py": (
        "class UserFacingError(Exception):\n    '''A refusal.'''\n"
        "class NotFound(UserFacingError):\n    '''Gone.'''\n"
        "class Conflict(UserFacingError):\n    '''Clash.'''\n"
    ),
    "bot/store/repo.py": (
        "class Full(Exception):\n    '''No room.'''\n"
        "class Database:\n"
        "    async def write(self, job):\n        '''Raises StorageUnavailable.'''\n"
        "class Repo:\n"
        "    def __init__(self, db: Database) -> None:\n        self._db = db\n"
        "    async def add(self):\n"
        "        '''Raises Full, StorageUnavailable.'''\n"
        "        async def job(conn):\n            raise Full()\n"
        "        return await self._db.write(job)\n"
        "class Store:\n"
        "    def __init__(self) -> None:\n        self.repo = Repo(Database())\n"
    ),
    "bot/core/rules.py": (
        "from bot.core.errors import Conflict\n"
        "def check(value: int) -> None:\n"
        "    '''Raises Conflict for a negative value.'''\n"
        "    if value < 0:\n        raise Conflict('no')\n"
    ),
    "bot/core/service.py": (
        "from bot.core.errors import NotFound\n"
        "from bot.core.rules import check\n"
        "from bot.store.repo import Store\n"
        "class Service:\n"
        "    '''A feature's rules.'''\n"
        "    def __init__(self, store: Store) -> None:\n        self._store = store\n"
        "    async def get(self, value: int) -> None:\n"
        "        '''Raises NotFound when it is gone.'''\n"
        "        raise NotFound('gone')\n"
        "    async def silent(self, value: int) -> None:\n"
        "        '''Says nothing.'''\n"
        "        check(value)\n"
        "        await self.get(value)\n"
        "        await self._store.repo.add()\n"
        "    async def told(self, value: int) -> None:\n"
        "        '''Raises Conflict, NotFound, Full; StorageUnavailable.'''\n"
        "        check(value)\n        await self.get(value)\n        await self._store.repo.add()\n"
        "    async def handled(self, value: int) -> None:\n"
        "        '''Says nothing.'''\n"
        "        try:\n            await self.get(value)\n        except Exception:\n"
        "            pass\n"
        "class Plain:\n"
        "    '''Holds no store: not a service.'''\n"
        "    def quiet(self) -> None:\n        '''Says nothing.'''\n        check(-1)\n"
    ),
}


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("propagated_raises", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_it_follows_calls_and_stops_at_a_handler_or_a_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert _script().main(["--root", str(tmp_path), "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "own raises unnamed in the docstring: 0 {}",
        "  in 0 public functions",
        "core services' methods letting an unnamed exception through: 1 "
        "(4 exceptions: {'other': 1, 'refusal': 2, 'storage': 1})",
        "  refusal bot/core/service.py: Service.silent lets Conflict through",
        "  other bot/core/service.py: Service.silent lets Full through",
        "  refusal bot/core/service.py: Service.silent lets NotFound through",
        "  storage bot/core/service.py: Service.silent lets StorageUnavailable through",
    ]


def test_layers_are_the_folders_under_bot() -> None:
    layer = _script().layer
    assert [layer(m) for m in ("bot", "bot.cli", "bot.core", "bot.core.steps.round")] == [
        "bot",
        "bot",
        "core",
        "core",
    ]


def test_it_runs_on_this_tree() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT)],
        cwd=ROOT / "tests",  # any folder: the script finds the repository itself
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    lines = done.stdout.splitlines()
    assert lines[:2] == ["own raises unnamed in the docstring: 0 {}", "  in 0 public functions"]
    assert lines[2].startswith("core services' methods letting an unnamed exception through: ")
    assert len(lines) == 3

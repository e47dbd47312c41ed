"""No public function of the store takes more than six parameters (issue 17 item 5).

A save function with many values takes a small frozen dataclass from `bot/records` instead
(`NewSession`, `NewRun`, `NewContribution`, `NewSeries`, `NewDraft`, `NewCheckinSchedule`,
`NewTrack`, `NewNomination`, `NewPlay`, `SongSpec`): a call then names each value once, in one
place, and a new column is one field, not another parameter threaded through every caller.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STORE = ROOT / "bot" / "store"
MOST_PARAMETERS = 6
"""Not counting `self`/`cls`; `*args` and `**kwargs` count as one each."""


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    args = function.args
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    if names and names[0] in ("self", "cls"):
        names = names[1:]
    names += [f"*{a.arg}" for a in (args.vararg, args.kwarg) if a is not None]
    return names


def public_functions(path: Path) -> list[tuple[str, list[str]]]:
    """(qualified name, parameters) of the module's public functions and public classes'
    public methods."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, list[str]]] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if not node.name.startswith("_"):
                found.append((node.name, _parameters(node)))
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for item in node.body:
                if not isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                if not item.name.startswith("_"):
                    found.append((f"{node.name}.{item.name}", _parameters(item)))
    return found


def test_no_public_store_function_takes_more_than_six_parameters() -> None:
    modules = sorted(STORE.rglob("*.py"))
    over = [
        f"{path.relative_to(ROOT)}: {name} ({len(params)}: {', '.join(params)})"
        for path in modules
        for name, params in public_functions(path)
        if len(params) > MOST_PARAMETERS
    ]
    assert over == []
    # The scan sees the repositories (it would find nothing in a moved or empty folder).
    assert len(modules) > 30
    assert ("ScheduleRepository.create_series", ["new", "now", "limits"]) in public_functions(
        STORE / "schedule.py"
    )


def test_the_scan_finds_a_long_signature(tmp_path: Path) -> None:
    module = tmp_path / "wide.py"
    module.write_text(
        "class Repo:\n"
        "    async def save(self, a, b, c, d, e, f, *, g): ...\n"
        "    def _private(self, a, b, c, d, e, f, g): ...\n"
        "def put(a, b, c, d, e, *rest, **more): ...\n",
        encoding="utf-8",
    )
    counted = {name: len(params) for name, params in public_functions(module)}
    assert counted == {"Repo.save": 7, "put": 7}

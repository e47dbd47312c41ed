"""Presenters are pure functions of the scene they are given (issue #17): a presenter keeps
no state, and no module writes into one. What a card shows beyond its run and step is
gathered by the kind's scene source (`LiveSessions.add_scene_source`) into
`StepScene.prepared`; a cog keeps its own memory, never a presenter's."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.core.steps import step_kinds
from bot.ui.steps import presenters
from bot.ui.steps.base import StepScene
from tests.kind_examples import activity_of, example_step
from tests.ui.test_templates import NAMES, run, session

ROOT = Path(__file__).resolve().parent.parent
KINDS = [kind.name for kind in step_kinds()]

MUTATORS = {
    "add",
    "append",
    "clear",
    "discard",
    "extend",
    "insert",
    "pop",
    "popitem",
    "remove",
    "setdefault",
    "update",
}
"""Methods that change a dict, list or set in place."""

FETCHES = {"presenter", "presenter_of"}
"""`LiveSessions` methods that return a presenter."""


def _is_presenter(node: ast.expr, holders: set[str]) -> bool:
    """`node` evaluates to a presenter: fetched from the live side (`presenter_of(...)`,
    `presenter(...)`, `presenters[...]`, `presenters.get(...)`), built (`XPresenter(...)`),
    or read through a name or attribute in `holders` (one the module binds to a presenter)."""
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in FETCHES or name.endswith("Presenter"):
            return True
        return (
            name == "get"
            and isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Attribute)
            and func.value.attr == "presenters"
        )
    if isinstance(node, ast.Subscript):
        return isinstance(node.value, ast.Attribute) and node.value.attr == "presenters"
    if isinstance(node, ast.Attribute):
        return node.attr in holders
    if isinstance(node, ast.Name):
        return node.id in holders
    return False


def _holders(tree: ast.Module) -> set[str]:
    """Names a module binds to a presenter: functions (properties) that return one, and
    names or attributes assigned one."""
    holders: set[str] = set()
    for _round in range(2):  # a holder may be defined through another
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                returns = [r.value for r in ast.walk(node) if isinstance(r, ast.Return)]
                if any(v is not None and _is_presenter(v, holders) for v in returns):
                    holders.add(node.name)
            elif (
                isinstance(node, ast.Assign | ast.AnnAssign)
                and node.value is not None
                and _is_presenter(node.value, holders)
            ):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Attribute):
                        holders.add(target.attr)
                    elif isinstance(target, ast.Name):
                        holders.add(target.id)
    return holders


def _written_into(target: ast.expr, holders: set[str]) -> bool:
    """`target` (what is assigned, deleted or changed in place) is a presenter's attribute,
    or an item of one."""
    while isinstance(target, ast.Subscript):
        target = target.value
    return isinstance(target, ast.Attribute) and _is_presenter(target.value, holders)


def presenter_writes(folder: Path, root: Path = ROOT) -> list[str]:
    """``path:line`` of every statement under `folder` (paths from `root`) that assigns,
    deletes or changes in place an attribute of a presenter (or an item of one)."""
    found: list[str] = []
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text())
        holders = _holders(tree)
        lines: set[int] = set()
        for node in ast.walk(tree):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign | ast.Delete):
                targets = list(node.targets)
            elif isinstance(node, ast.AugAssign | ast.AnnAssign):
                targets = [node.target]
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in MUTATORS
            ):
                targets = [node.func.value]
            if isinstance(node, ast.stmt | ast.expr) and any(
                _written_into(t, holders) for t in targets
            ):
                lines.add(node.lineno)
        found += [f"{path.relative_to(root)}:{line}" for line in sorted(lines)]
    return found


def presenter_fields(folder: Path, root: Path = ROOT) -> list[str]:
    """``path:Class.field`` for every field a presenter class under `folder` keeps: an
    attribute of `self` assigned in any of its methods (a presenter is a class whose name
    ends in "Presenter")."""
    found: list[str] = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ClassDef) or not node.name.endswith("Presenter"):
                continue
            for inner in ast.walk(node):
                targets: list[ast.expr] = []
                if isinstance(inner, ast.Assign):
                    targets = list(inner.targets)
                elif isinstance(inner, ast.AugAssign | ast.AnnAssign):
                    targets = [inner.target]
                for target in targets:
                    while isinstance(target, ast.Subscript):
                        target = target.value
                    if (
                        isinstance(target, ast.Attribute)
                        and isinstance(target.value, ast.Name)
                        and target.value.id == "self"
                    ):
                        found.append(f"{path.relative_to(root)}:{node.name}.{target.attr}")
    return found


def test_no_module_writes_into_a_presenter() -> None:
    """A cog gathers what a card shows in its kind's scene source, never by filling a
    presenter's fields (the listen presenter's tracks and notes, the vote's choices were)."""
    found = presenter_writes(ROOT / "bot")
    assert found == [], f"put what the card shows in the scene (StepScene.prepared): {found}"


def test_presenters_keep_no_fields() -> None:
    found = presenter_fields(ROOT / "bot" / "ui")
    assert found == [], f"a presenter reads its scene and keeps nothing: {found}"


def test_the_scans_see_each_way_of_writing_into_a_presenter(tmp_path: Path) -> None:
    (tmp_path / "cog.py").write_text(
        "class Cog:\n"
        "    @property\n"
        "    def cards(self):\n"
        "        return self.bot.live.presenter_of(ListenPresenter)\n"
        "    def prepare(self, key, track):\n"
        "        self.cards.tracks[key] = track\n"  # 6: an item, through a property
        "        self.cards.notes.pop(key, None)\n"  # 7: changed in place
        "        live.presenter('vote').choices = {}\n"  # 8: fetched by kind
        "        live.presenters['round'].names |= {}\n"  # 9: augmented
        "        del self.cards.tracks[key]\n"  # 10: deleted
        "        self.sheet = WritePresenter()\n"
        "        self.sheet.info = {}\n"  # 12: a presenter it built
        "        self.cards.render(scene)\n"  # reading: fine
        "        self.tracks[key] = track\n"  # the cog's own memory: fine
    )
    assert presenter_writes(tmp_path, tmp_path) == [f"cog.py:{n}" for n in (6, 7, 8, 9, 10, 12)]
    (tmp_path / "hum.py").write_text(
        "class HumPresenter(BasePresenter):\n"
        "    kind = 'hum'\n"
        "    def __init__(self):\n"
        "        self.notes: dict = {}\n"
        "    def render(self, scene):\n"
        "        self._shown = scene.names\n"
        "        return self.notes\n"
        "class HumForm:\n"
        "    def __init__(self):\n"
        "        self.title = 'x'\n"
    )
    assert presenter_fields(tmp_path, tmp_path) == [
        "hum.py:HumPresenter.notes",
        "hum.py:HumPresenter._shown",
    ]


@pytest.mark.parametrize("name", KINDS)
def test_a_presenter_is_unchanged_by_showing_a_step(name: str) -> None:
    """Every registered presenter holds nothing, before and after it shows its kind's
    example step (open, closed, after, on the board): what it shows comes from the scene."""
    presenter = presenters()[name]
    (kind,) = [kind for kind in step_kinds() if kind.name == name]
    activity = activity_of([example_step(kind)])
    scene = StepScene(session(), run(0), activity, activity.steps[0], 0, "en", names=NAMES)
    assert vars(presenter) == {}
    presenter.render(scene)
    presenter.render_closed(scene)
    presenter.after_exit(scene)
    presenter.board_fields(scene.run, scene.step, NAMES, "en")
    assert vars(presenter) == {}
    mutable = [
        f"{cls.__name__}.{field}"
        for cls in type(presenter).__mro__
        for field, value in vars(cls).items()
        if not field.startswith("__") and isinstance(value, dict | list | set)
    ]
    assert mutable == [], f"a presenter's class keeps no per-run data: {mutable}"

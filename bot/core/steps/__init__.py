"""The registry of step kinds: every module of this package is one kind.

`bot/core/steps/<kind>.py` holds the kind's pydantic model (its ``type`` literal is `<kind>`), its
handler (the rules) and ``KIND = StepKind(...)``; `base.py` is the interface they implement.
Everything that lists kinds derives from `step_kinds()`: the activity model's `Step` union and
the JSON Schema (`bot/core/activity_models.py`), `step_type_names()`, the runner's handlers
(`step_handlers()`) and the presenters (`bot/ui/steps/__init__.py`). Adding a kind is adding its
module here, its presenter module in `bot/ui/steps/`, running `.venv/bin/chorus schema --write
activities/activity.schema.json` and `make messages` (then translating its new texts).

`add_package` registers kinds from another package the same way (the example kind in the tests).
A kind's handler is typed by its model (``BaseStepHandler[RoundStep]``, so mypy checks what it
reads of its step), and `StepKind` takes the model from there: the pair can't disagree.
Kinds are discovered on first use, not at import: a kind module imports `base` from this package.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

from bot.core.steps.base import (
    BaseStepHandler,
    Press,
    Pressed,
    StepContext,
    StepHandler,
    StepKind,
    SummaryCount,
    Wake,
    everyone_answered,
)

__all__ = [
    "BaseStepHandler",
    "Press",
    "Pressed",
    "StepContext",
    "StepHandler",
    "StepKind",
    "SummaryCount",
    "Wake",
    "add_package",
    "everyone_answered",
    "kind_named",
    "on_change",
    "remove_package",
    "step_handlers",
    "step_kinds",
    "step_type_names",
    "summary_counts",
]

_NOT_KINDS = frozenset({"base"})
_packages: list[str] = [__name__]
_kinds: tuple[StepKind[Any], ...] | None = None
_listeners: list[Callable[[], None]] = []


def _discover(package: str) -> list[StepKind[Any]]:
    found: list[StepKind[Any]] = []
    module = importlib.import_module(package)
    for info in pkgutil.iter_modules(module.__path__):
        if info.name in _NOT_KINDS or info.name.startswith("_"):
            continue
        kind_module = importlib.import_module(f"{package}.{info.name}")
        kind = getattr(kind_module, "KIND", None)
        if not isinstance(kind, StepKind):
            raise RuntimeError(f"{package}.{info.name} is a step kind module without KIND")
        if kind.name != info.name:
            raise RuntimeError(
                f"{package}.{info.name}: the model's type is {kind.name!r}; "
                "a kind's module is named by its type"
            )
        found.append(kind)
    return found


def step_kinds() -> tuple[StepKind[Any], ...]:
    """Every kind this build can run, in the order authors see them listed.

    Raises RuntimeError when a kind module has no `KIND`, is not named by its type, or two
    packages define the same kind."""
    global _kinds
    if _kinds is None:
        kinds = [kind for package in _packages for kind in _discover(package)]
        names = [kind.name for kind in kinds]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise RuntimeError(f"step kinds defined twice: {', '.join(twice)}")
        _kinds = tuple(sorted(kinds, key=lambda kind: (kind.order, kind.name)))
    return _kinds


def kind_named(name: str) -> StepKind[Any]:
    """The registered kind whose name is `name` (a step's ``type``). Raises KeyError when no
    registered kind has that name."""
    for kind in step_kinds():
        if kind.name == name:
            return kind
    raise KeyError(name)


def step_type_names() -> list[str]:
    """The words allowed after ``type:`` in a step, in documentation order."""
    return [kind.name for kind in step_kinds()]


def summary_counts() -> dict[str, SummaryCount]:
    """How the session summary counts each contribution kind, by contribution kind: what the
    registered kinds declare (`StepKind.summary_counts`). Raises RuntimeError when two kinds
    count one contribution kind with different texts."""
    counts: dict[str, SummaryCount] = {}
    for kind in step_kinds():
        for contribution_kind, count in kind.summary_counts.items():
            if counts.setdefault(contribution_kind, count) != count:
                raise RuntimeError(
                    f"the step kind {kind.name!r} counts {contribution_kind!r} contributions "
                    "with other words than another kind does; share one SummaryCount"
                )
    return counts


def step_handlers() -> dict[str, StepHandler[Any]]:
    """A fresh handler for every kind (what the runner is given), by kind name."""
    return {kind.name: kind.handler() for kind in step_kinds()}


def on_change(listener: Callable[[], None]) -> None:
    """Call `listener` after kinds are added or removed (the activity model rebuilds its union)."""
    _listeners.append(listener)


def _changed() -> None:
    global _kinds
    _kinds = None
    for listener in _listeners:
        listener()


def add_package(package: str) -> None:
    """Register every kind module of `package` (importable, e.g. ``"tests.steps_example.core"``)
    next to the shipped kinds. Raises RuntimeError as `step_kinds` does, leaving it unchanged."""
    if package in _packages:
        return
    _packages.append(package)
    try:
        _changed()
    except Exception:
        _packages.remove(package)
        _changed()
        raise


def remove_package(package: str) -> None:
    """Forget the kinds of a package added with `add_package` (the shipped kinds stay)."""
    if package != __name__ and package in _packages:
        _packages.remove(package)
        _changed()

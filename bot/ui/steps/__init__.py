"""Step presenters, found by kind: `bot/ui/steps/<kind>.py` ends with ``PRESENTER = <class>``.

The kinds come from the core registry (`bot.core.steps.step_kinds`), so a kind without a
presenter, a presenter whose `kind` isn't its module's name, or one not typed by its kind's model
(``SimplePresenter[<the kind's model>]``), is an error at start-up rather than a step that can't
be shown. `add_package` looks for presenters in another package too (the
example kind in the tests), as `bot.core.steps.add_package` does for kinds.
"""

from __future__ import annotations

import importlib
import importlib.util
import typing
from collections.abc import Callable
from typing import Any

from bot.core.steps import step_kinds
from bot.core.steps.base import type_argument
from bot.ui.steps.base import BasePresenter, StepPresenter

_packages: list[str] = [__name__]


def add_package(package: str) -> None:
    """Look for presenter modules (`<package>.<kind>`) in `package` too."""
    if package not in _packages:
        _packages.append(package)


def remove_package(package: str) -> None:
    """Stop looking in a package added with `add_package`."""
    if package != __name__ and package in _packages:
        _packages.remove(package)


def _presenter_class(kind: str) -> Callable[[], StepPresenter[Any]]:
    for package in _packages:
        name = f"{package}.{kind}"
        if importlib.util.find_spec(name) is None:
            continue
        found = getattr(importlib.import_module(name), "PRESENTER", None)
        if found is None:
            raise RuntimeError(f"{name} has no PRESENTER")
        presenter: Callable[[], StepPresenter[Any]] = found
        return presenter
    raise RuntimeError(f"the step kind {kind!r} has no presenter module in {', '.join(_packages)}")


def presented_model(presenter: object) -> type | None:
    """The step model a presenter is typed by (``class P(SimplePresenter[ReflectStep])`` ->
    `ReflectStep`), or None when its class names none."""
    return type_argument(type(presenter), BasePresenter)


def _kind_of(model: type) -> str | None:
    """The `type` literal of a step model (its kind's name), None for a class that isn't one."""
    fields = getattr(model, "model_fields", {})
    found = typing.get_args(fields["type"].annotation) if "type" in fields else ()
    return str(found[0]) if found else None


def presenters() -> dict[str, StepPresenter[Any]]:
    """A fresh presenter for every step kind of the registry, by kind name.

    Raises RuntimeError when a kind has no presenter module, or its presenter's `kind` differs,
    or the presenter isn't typed by a model of the kind (one whose `type` is the kind's name)."""
    found: dict[str, StepPresenter[Any]] = {}
    for kind in step_kinds():
        presenter = _presenter_class(kind.name)()
        if presenter.kind != kind.name:
            raise RuntimeError(
                f"the presenter for {kind.name!r} says its kind is {presenter.kind!r}"
            )
        model = presented_model(presenter)
        # By the kind's name rather than the class: a kind's files tried out of `bot/` (the
        # trial kind in a copy of the tree) define the same model in a second module.
        if model is None or _kind_of(model) != kind.name:
            raise RuntimeError(
                f"the presenter for {kind.name!r} reads {getattr(model, '__name__', None)}, "
                f"not a model of the kind (e.g. {kind.model.__name__})"
            )
        found[kind.name] = presenter
    return found

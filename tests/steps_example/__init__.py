"""An example step kind added in two files (`core/hum.py`, `ui/hum.py`), registered the same way
the shipped kinds are found; `kind_added` registers it for one test and removes it after."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from bot.core import steps as core_steps
from bot.ui import steps as ui_steps

HERE = Path(__file__).parent


@contextmanager
def kinds_registered(package: str) -> Iterator[None]:
    """The kinds of `package`'s `core` and `ui` subpackages registered (activity model, schema,
    handlers, presenters), then removed: how a test adds a kind that isn't shipped."""
    core_steps.add_package(f"{package}.core")
    ui_steps.add_package(f"{package}.ui")
    try:
        yield
    finally:
        ui_steps.remove_package(f"{package}.ui")
        core_steps.remove_package(f"{package}.core")


def kind_added() -> AbstractContextManager[None]:
    """The `hum` kind registered for one test, then removed."""
    return kinds_registered(__name__)

"""An example step kind added in two files (`core/hum.py`, `ui/hum.py`), registered the same way
the shipped kinds are found; `kind_added` registers it for one test and removes it after."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.core import steps as core_steps
from bot.ui import steps as ui_steps

HERE = Path(__file__).parent
CORE_PACKAGE = "tests.steps_example.core"
UI_PACKAGE = "tests.steps_example.ui"


@contextmanager
def kind_added() -> Iterator[None]:
    """The `hum` kind registered (activity model, schema, handlers, presenters), then removed."""
    core_steps.add_package(CORE_PACKAGE)
    ui_steps.add_package(UI_PACKAGE)
    try:
        yield
    finally:
        ui_steps.remove_package(UI_PACKAGE)
        core_steps.remove_package(CORE_PACKAGE)

"""The trial kind, `pause`: a kind written for `bot/` (texts in the catalogue, a facilitator-only
button) but not shipped. `scripts/house_figures.py` drops its two files into a copy of the tree
to count the files adding a kind changes (tests/test_house_figures.py runs that trial);
`kind_added` registers it here for one test (tests/cogs/test_steps.py runs it through the bot).

`pause.de.po` and `pause.es.po` are the translations of its texts: the trial's translator."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.core import steps as core_steps
from bot.ui import steps as ui_steps

HERE = Path(__file__).parent
KIND = "pause"
CORE_PACKAGE = "tests.steps_trial.core"
UI_PACKAGE = "tests.steps_trial.ui"


@contextmanager
def kind_added() -> Iterator[None]:
    """The `pause` kind registered (activity model, schema, handlers, presenters), then removed."""
    core_steps.add_package(CORE_PACKAGE)
    ui_steps.add_package(UI_PACKAGE)
    try:
        yield
    finally:
        ui_steps.remove_package(UI_PACKAGE)
        core_steps.remove_package(CORE_PACKAGE)

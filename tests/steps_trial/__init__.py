"""The trial kind, `pause`: a kind written for `bot/` (texts in the catalogue, a facilitator-only
button) but not shipped. `scripts/house_figures.py` drops its two files into a copy of the tree
to count the files adding a kind changes (tests/test_house_figures.py runs that trial);
`kind_added` registers it here for one test (tests/cogs/test_steps.py runs it through the bot).

`pause.de.po` and `pause.es.po` are the translations of its texts: the trial's translator."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

from tests.steps_example import kinds_registered

HERE = Path(__file__).parent


def kind_added() -> AbstractContextManager[None]:
    """The `pause` kind registered for one test, then removed."""
    return kinds_registered(__name__)

"""The reminder-time buttons: their ids give the offered times; any other id is refused."""

from __future__ import annotations

import pytest

from bot.core.errors import InvalidInput
from bot.core.reminders import check_series_choice
from bot.ui.series_reminders import choice_minutes


def test_a_button_id_not_built_here_is_refused_politely() -> None:
    assert [choice_minutes(c) for c in ("1440", "120", "0", "none")] == [1440, 120, 0, None]
    for forged in ("abc", "45", "-5"):
        with pytest.raises(InvalidInput):
            check_series_choice(choice_minutes(forged))

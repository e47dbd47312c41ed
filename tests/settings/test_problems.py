"""Settings problems in our own words, one line naming the key and where it came from."""

from __future__ import annotations

import pytest

from bot.settings.loading import load_settings
from bot.settings.problems import SettingsError


def test_bad_values_are_described_in_our_words_not_pydantics() -> None:
    cases = {
        "CHORUS_BOARD_EDIT_INTERVAL": ("abc", "board_edit_interval: expected a number; got 'abc'"),
        "CHORUS_LOG_LEVEL": ("LOUD", "log_level: expected one of DEBUG, INFO, WARNING, ERROR"),
        "CHORUS_CHECKINS_LOW_SCORE_MAX": ("20", "checkins.low_score_max: must be at most 10"),
    }
    for key, (value, expected) in cases.items():
        with pytest.raises(SettingsError) as caught:
            load_settings(environ={key: value})
        assert f"environment {key}: {expected}" in str(caught.value)
        assert "Input should be" not in str(caught.value)

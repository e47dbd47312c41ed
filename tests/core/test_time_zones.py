"""Zones by name and the suggestions offered while typing one."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.errors import InvalidInput
from bot.core.time_zones import timezone_choices, zone

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
# Thursday 1 January 2026, 10:00 UTC (11:00 in Berlin, 05:00 in New York).
NOW = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)


# ------------------------------------------------------------------ zones


def test_zone_and_choices() -> None:
    assert zone("Europe/Berlin").key == "Europe/Berlin"
    with pytest.raises(InvalidInput):
        zone("Mars/Olympus")
    assert timezone_choices("berl") == ["Europe/Berlin"]
    assert "America/New_York" in timezone_choices("new york")
    assert len(timezone_choices("")) == 25 and timezone_choices("")[0] == "UTC"

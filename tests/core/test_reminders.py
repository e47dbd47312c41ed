"""Who gets a session reminder: opted in for one of the due lead times, interested, not reminded yet."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.core.reminders import recipients

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
# Thursday 1 January 2026, 10:00 UTC (11:00 in Berlin, 05:00 in New York).
NOW = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)


def test_reminder_recipients() -> None:
    optins = {1: 15, 2: 60, 3: 15, 4: 15}
    interested = [1, 2, 3, 5]
    assert recipients(optins, [15], interested, already=[3]) == [1]
    assert recipients(optins, [15, 60], interested, already=[]) == [1, 2, 3]
    assert recipients(optins, [30], interested, already=[]) == []

"""The values the schedule service takes and gives."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.schedule_values import Draft


def test_a_drafts_end_is_its_start_plus_its_duration_on_the_wall_clock() -> None:
    start = datetime(2026, 3, 28, 23, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    draft = Draft(
        guild_id=1,
        title="Night circle",
        plan=None,
        repeat="none",
        timezone="Europe/Berlin",
        start=start,
        duration_minutes=90,
    )
    assert draft.end == datetime(2026, 3, 29, 1, 0, tzinfo=ZoneInfo("Europe/Berlin"))

"""The repeat rules as RRULEs: the same sessions the bot's own recurrence opens."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar
from dateutil.rrule import rrulestr

from bot.core.calendar import CalendarEntry, build_calendar, rrule
from bot.core.recurrence import Recurrence, Repeat


def expanded(repeat: Repeat, anchor: datetime, zone: str, count: int) -> list[float]:
    start = anchor.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    entry = CalendarEntry(1, "Circle", repeat, zone, start.timestamp(), 60, None, "")
    [event] = icalendar.Calendar.from_ical(build_calendar(9, "S", zone, [entry], 0.0, "en")).walk(
        "VEVENT"
    )
    rule = event.get("rrule")
    dtstart = event.decoded("dtstart")
    starts = list(rrulestr(rule.to_ical().decode(), dtstart=dtstart))[:count] if rule else [dtstart]
    return [s.timestamp() for s in starts]


def test_every_repeat_expands_to_the_bots_own_sessions() -> None:
    cases: list[tuple[Repeat, datetime, str]] = [
        ("weekly", datetime(2026, 3, 20, 18), "Europe/Berlin"),
        ("fortnightly", datetime(2026, 10, 14, 9, 30), "America/New_York"),
        ("monthly", datetime(2026, 1, 13, 19), "Europe/London"),  # 2nd Tuesday
        ("monthly", datetime(2026, 1, 29, 19), "Australia/Sydney"),  # 5th Thursday: the last
    ]
    for repeat, anchor, zone in cases:
        rule = Recurrence(repeat=repeat, timezone=zone, anchor_local=anchor)
        bots = [rule.start(seq).timestamp() for seq in range(12)]
        assert expanded(repeat, anchor, zone, 12) == bots, (repeat, zone)
    assert rrule("monthly", datetime(2026, 1, 29, 19)) == {"FREQ": "MONTHLY", "BYDAY": "-1TH"}
    assert rrule("none", datetime(2026, 1, 29, 19)) is None
    assert expanded("none", datetime(2026, 1, 29, 19), "UTC", 3) == [
        datetime(2026, 1, 29, 19, tzinfo=UTC).timestamp()
    ]

"""Reading the times a facilitator types, in the server's zone and across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.errors import InvalidInput
from bot.core.recurrence import Recurrence, Repeat
from bot.core.time_zones import exists_locally
from bot.core.typed_times import parse_when, require_future

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
# Thursday 1 January 2026, 10:00 UTC (11:00 in Berlin, 05:00 in New York).
NOW = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)


def local(text: str, tz: ZoneInfo = BERLIN, now: datetime = NOW) -> str:
    return parse_when(text, now, tz).strftime("%Y-%m-%d %H:%M %Z")


# ---------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("friday 18:00", "2026-01-02 18:00 CET"),
        ("Fri 6pm", "2026-01-02 18:00 CET"),
        ("thursday 18:00", "2026-01-01 18:00 CET"),  # today, still ahead
        ("thursday 9:00", "2026-01-08 09:00 CET"),  # today, already passed: next week
        ("next thursday 18:00", "2026-01-08 18:00 CET"),
        ("tomorrow 7pm", "2026-01-02 19:00 CET"),
        ("tomorrow at 7:30 pm", "2026-01-02 19:30 CET"),
        ("today 18:30", "2026-01-01 18:30 CET"),
        ("tonight 8pm", "2026-01-01 20:00 CET"),
        ("18:00", "2026-01-01 18:00 CET"),
        ("9am", "2026-01-02 09:00 CET"),  # already passed today: tomorrow
        ("noon", "2026-01-01 12:00 CET"),
        ("in 2 hours", "2026-01-01 13:00 CET"),
        ("in 1h 30m", "2026-01-01 12:30 CET"),
        ("in an hour", "2026-01-01 12:00 CET"),
        ("in 3 days", "2026-01-04 11:00 CET"),
        ("27 march 18:00", "2026-03-27 18:00 CET"),
        ("march 27th 6pm", "2026-03-27 18:00 CET"),
        ("friday 27 march 18:00", "2026-03-27 18:00 CET"),
        ("2026-03-27 18:00", "2026-03-27 18:00 CET"),
        ("2026-03-27T18:00", "2026-03-27 18:00 CET"),
        ("2026-03-27T17:00Z", "2026-03-27 18:00 CET"),
        ("2026-07-03 18:00", "2026-07-03 18:00 CEST"),
    ],
)
def test_parse_in_berlin(text: str, expected: str) -> None:
    assert local(text) == expected


def test_same_words_mean_the_servers_own_clock() -> None:
    berlin = parse_when("friday 18:00", NOW, BERLIN)
    new_york = parse_when("friday 18:00", NOW, NEW_YORK)
    assert berlin.astimezone(UTC).hour == 17
    assert new_york.astimezone(UTC).hour == 23
    assert new_york - berlin == timedelta(hours=6)


def test_dates_in_the_past_roll_to_next_year() -> None:
    assert local("1 january 9am", now=datetime(2026, 6, 1, tzinfo=UTC)) == "2027-01-01 09:00 CET"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Say when"),
        ("friday", "Add a time"),
        ("2026-03-27", "Add a time"),
        ("someday 18:00", "couldn't read"),
        ("in 2 fortnights", "don't know the unit"),
        ("in soon", "couldn't read"),
        ("25:00", "isn't a time"),
        ("13pm", "isn't a time"),
        ("18:00 19:00", "more than one time"),
        ("thursday 27 march 18:00", "is a Friday, not a Thursday"),
        ("31 february 18:00", "isn't a date"),
        ("2026-13-01 18:00", "couldn't read"),
    ],
)
def test_parse_refusals_say_what_to_type(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_when(text, NOW, BERLIN)
    assert message in caught.value.message


# --------------------------------------------------- daylight-saving changes

# Berlin: clocks go forward on Sunday 29 March 2026 (02:00 -> 03:00) and back on
# Sunday 25 October 2026 (03:00 -> 02:00).
BEFORE_SPRING = datetime(2026, 3, 28, 11, 0, tzinfo=UTC)  # Saturday 12:00 CET
BEFORE_AUTUMN = datetime(2026, 10, 24, 10, 0, tzinfo=UTC)  # Saturday 12:00 CEST


def test_tomorrow_across_the_spring_change_keeps_the_wall_clock() -> None:
    start = parse_when("tomorrow 7pm", BEFORE_SPRING, BERLIN)
    assert start.strftime("%Y-%m-%d %H:%M %Z") == "2026-03-29 19:00 CEST"
    assert start.astimezone(UTC).hour == 17


def test_relative_time_is_real_elapsed_time_across_the_change() -> None:
    start = parse_when("in 24 hours", BEFORE_SPRING, BERLIN)
    assert start.astimezone(UTC) == BEFORE_SPRING + timedelta(hours=24)
    assert start.strftime("%H:%M %Z") == "13:00 CEST"  # the wall clock moved an hour


def test_a_time_skipped_by_the_spring_change_is_refused() -> None:
    assert not exists_locally(datetime(2026, 3, 29, 2, 30), BERLIN)
    with pytest.raises(InvalidInput) as caught:
        parse_when("tomorrow 2:30", BEFORE_SPRING, BERLIN)
    assert "doesn't exist" in caught.value.message and "Europe/Berlin" in caught.value.message


def test_an_ambiguous_autumn_time_is_its_first_occurrence() -> None:
    start = parse_when("tomorrow 2:30", BEFORE_AUTUMN, BERLIN)
    assert start.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # still CEST


@pytest.mark.parametrize("repeat", ["weekly", "fortnightly"])
def test_weekly_keeps_18_local_across_both_changes(repeat: Repeat) -> None:
    rule = Recurrence(repeat, "Europe/Berlin", datetime(2026, 3, 13, 18, 0))
    starts = [rule.start(seq) for seq in range(0, 40)]
    assert all(s.strftime("%A %H:%M") == "Friday 18:00" for s in starts)
    utc_hours = {s.astimezone(UTC).date(): s.astimezone(UTC).hour for s in starts}
    assert utc_hours[datetime(2026, 3, 27).date()] == 17  # last Friday before the change: CET
    assert utc_hours[datetime(2026, 4, 10).date()] == 16  # after it: CEST
    after_autumn = [
        h
        for d, h in utc_hours.items()
        if datetime(2026, 10, 25).date() < d < datetime(2027, 3, 1).date()
    ]
    assert after_autumn and set(after_autumn) == {17}


def test_weekly_across_the_change_is_not_seven_times_24_hours() -> None:
    rule = Recurrence("weekly", "Europe/Berlin", datetime(2026, 3, 27, 18, 0))
    assert rule.start(1) - rule.start(0) == timedelta(days=7)  # aware in the same zone
    assert rule.start(1).astimezone(UTC) - rule.start(0).astimezone(UTC) == timedelta(
        days=7, hours=-1
    )


def test_a_weekly_time_skipped_by_the_change_moves_forward_by_the_gap() -> None:
    rule = Recurrence("weekly", "Europe/Berlin", datetime(2026, 3, 22, 2, 30))  # a Sunday
    assert rule.start(1).strftime("%Y-%m-%d %H:%M %Z") == "2026-03-29 03:30 CEST"
    assert rule.start(2).strftime("%Y-%m-%d %H:%M %Z") == "2026-04-05 02:30 CEST"


def test_require_future() -> None:
    require_future(NOW + timedelta(hours=1), NOW)
    with pytest.raises(InvalidInput, match="already passed"):
        require_future(NOW - timedelta(hours=1), NOW)
    with pytest.raises(InvalidInput, match="year"):
        require_future(NOW + timedelta(days=400), NOW)

"""Time parsing in a server's zone, daylight-saving changes, recurrence and wake planning."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.errors import InvalidInput
from bot.core.reminders import recipients
from bot.core.schedule import (
    MISSED_AFTER,
    REMINDER_GRACE,
    Recurrence,
    describe_repeat,
    exists_locally,
    next_deadline,
    nth_weekday,
    parse_when,
    plan_wake,
    require_future,
    timezone_choices,
    zone,
)

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
def test_weekly_keeps_18_local_across_both_changes(repeat: str) -> None:
    rule = Recurrence(repeat, "Europe/Berlin", datetime(2026, 3, 13, 18, 0))  # type: ignore[arg-type]
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


# -------------------------------------------------------------- recurrence


def test_monthly_is_the_same_weekday_of_the_month() -> None:
    # 13 January 2026 is the 2nd Tuesday.
    rule = Recurrence("monthly", "Europe/Berlin", datetime(2026, 1, 13, 19, 0))
    days = [rule.local_start(seq).date().isoformat() for seq in range(0, 6)]
    assert days == [
        "2026-01-13",
        "2026-02-10",
        "2026-03-10",
        "2026-04-14",
        "2026-05-12",
        "2026-06-09",
    ]
    assert describe_repeat("monthly", rule.local_start(0), "en") == "Monthly on the 2nd Tuesday"


def test_monthly_fifth_weekday_means_the_last_one() -> None:
    rule = Recurrence("monthly", "UTC", datetime(2026, 1, 30, 18, 0))  # 5th Friday of January
    assert rule.local_start(1).date().isoformat() == "2026-02-27"  # February has four
    assert describe_repeat("monthly", rule.local_start(0), "en") == "Monthly on the last Friday"


def test_monthly_crosses_the_year() -> None:
    rule = Recurrence("monthly", "UTC", datetime(2026, 11, 3, 18, 0))  # 1st Tuesday
    assert rule.local_start(2).date().isoformat() == "2027-01-05"


@given(
    year=st.integers(2020, 2040),
    month=st.integers(1, 12),
    weekday=st.integers(0, 6),
    ordinal=st.integers(1, 5),
)
def test_nth_weekday_is_that_weekday_in_that_month(
    year: int, month: int, weekday: int, ordinal: int
) -> None:
    day = nth_weekday(year, month, weekday, ordinal)
    assert (day.year, day.month, day.weekday()) == (year, month, weekday)
    if ordinal < 5:
        assert (day.day - 1) // 7 + 1 == ordinal
    else:
        assert (day + timedelta(days=7)).month != month


def test_reanchored_series_counts_from_the_anchor_seq() -> None:
    rule = Recurrence("weekly", "UTC", datetime(2026, 2, 6, 18, 0), anchor_seq=4)
    assert rule.local_start(4) == datetime(2026, 2, 6, 18, 0)
    assert rule.local_start(5) == datetime(2026, 2, 13, 18, 0)


def test_next_seq_skips_occurrences_that_passed() -> None:
    rule = Recurrence("weekly", "UTC", datetime(2026, 1, 2, 18, 0))
    assert rule.next_seq(0, datetime(2026, 1, 3, tzinfo=UTC)) == 1
    assert rule.next_seq(0, datetime(2026, 1, 20, tzinfo=UTC)) == 3  # downtime skipped two
    assert Recurrence("none", "UTC", datetime(2026, 1, 2, 18, 0)).next_seq(0, NOW) is None


def test_describe_repeat() -> None:
    friday = datetime(2026, 1, 2, 18, 0)
    assert describe_repeat("weekly", friday, "en") == "Every Friday"
    assert describe_repeat("fortnightly", friday, "en") == "Every other Friday"
    assert describe_repeat("none", friday, "en") == "Once"


# ------------------------------------------------------------------ zones


def test_zone_and_choices() -> None:
    assert zone("Europe/Berlin").key == "Europe/Berlin"
    with pytest.raises(InvalidInput):
        zone("Mars/Olympus")
    assert timezone_choices("berl") == ["Europe/Berlin"]
    assert "America/New_York" in timezone_choices("new york")
    assert len(timezone_choices("")) == 25 and timezone_choices("")[0] == "UTC"


def test_require_future() -> None:
    require_future(NOW + timedelta(hours=1), NOW)
    with pytest.raises(InvalidInput, match="already passed"):
        require_future(NOW - timedelta(hours=1), NOW)
    with pytest.raises(InvalidInput, match="year"):
        require_future(NOW + timedelta(days=400), NOW)


# ---------------------------------------------------------- wake planning


@dataclass(frozen=True)
class Occ:
    status: str = "scheduled"
    starts_at: float = 10_000.0
    ends_at: float = 13_600.0
    opened_at: float | None = None
    reminders_until: float = 0.0
    ended_at: float | None = None


def test_next_deadline_walks_through_the_day() -> None:
    occ = Occ()
    assert next_deadline(occ, {15, 60}) == 10_000 - 3600
    assert next_deadline(replace(occ, reminders_until=10_000 - 3600), {15, 60}) == 10_000 - 900
    assert next_deadline(replace(occ, reminders_until=9_500), {15}) == 10_000
    opened = replace(occ, status="open", opened_at=10_000)
    assert next_deadline(opened, set()) == 10_000 + MISSED_AFTER
    assert next_deadline(replace(occ, status="started"), set()) == 13_600
    assert next_deadline(replace(occ, status="started", ended_at=13_600), set()) is None
    assert next_deadline(replace(occ, status="cancelled"), {15}) is None


def test_plan_sends_a_reminder_on_time_and_never_late() -> None:
    occ = Occ()
    on_time = plan_wake(occ, {15}, 10_000 - 900)
    assert on_time.remind == (15,) and not on_time.open
    late = plan_wake(occ, {15}, 10_000 - 900 + REMINDER_GRACE + 1)
    assert late.remind == () and late.skip_reminders and late.mark_reminders
    assert plan_wake(occ, {15}, 10_000 - 901).anything is False


def test_a_reminder_at_the_start_goes_with_the_opening() -> None:
    occ = Occ()
    assert next_deadline(occ, {0}) == 10_000
    at_start = plan_wake(occ, {0, 120}, 10_000)
    assert at_start.remind == (0,) and at_start.open and at_start.skip_reminders
    assert plan_wake(occ, {0}, 10_000 + REMINDER_GRACE + 1).remind == ()  # never late
    assert plan_wake(replace(occ, reminders_until=10_000), {0}, 10_000).remind == ()  # once


def test_plan_after_downtime() -> None:
    occ = Occ()
    within = plan_wake(occ, {15}, 11_000)  # start passed, still within the duration
    assert within.open and within.skip_reminders and not within.remind
    after = plan_wake(occ, {15}, 20_000)  # the whole session passed
    assert after.missed_unopened and after.end and not after.open


def test_plan_missed_check_and_end() -> None:
    opened = Occ(status="open", opened_at=10_000)
    assert not plan_wake(opened, set(), 10_000 + MISSED_AFTER - 1).check_missed
    assert plan_wake(opened, set(), 10_000 + MISSED_AFTER).check_missed
    started = Occ(status="started", opened_at=10_000)
    assert plan_wake(started, set(), 13_600).end


def test_reminder_recipients() -> None:
    optins = {1: 15, 2: 60, 3: 15, 4: 15}
    interested = [1, 2, 3, 5]
    assert recipients(optins, [15], interested, already=[3]) == [1]
    assert recipients(optins, [15, 60], interested, already=[]) == [1, 2, 3]
    assert recipients(optins, [30], interested, already=[]) == []

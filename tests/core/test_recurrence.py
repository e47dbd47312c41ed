"""Series repeats on the local wall clock: weekly, fortnightly, monthly, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.core.recurrence import Recurrence, describe_repeat, nth_weekday

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
# Thursday 1 January 2026, 10:00 UTC (11:00 in Berlin, 05:00 in New York).
NOW = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)


# --------------------------------------------------- daylight-saving changes

# Berlin: clocks go forward on Sunday 29 March 2026 (02:00 -> 03:00) and back on
# Sunday 25 October 2026 (03:00 -> 02:00).
BEFORE_SPRING = datetime(2026, 3, 28, 11, 0, tzinfo=UTC)  # Saturday 12:00 CET
BEFORE_AUTUMN = datetime(2026, 10, 24, 10, 0, tzinfo=UTC)  # Saturday 12:00 CEST


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

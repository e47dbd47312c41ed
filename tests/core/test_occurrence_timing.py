"""What is due for a scheduled occurrence at a wake-up: reminders on time and never late, opening, missed, end."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.core.occurrence_timing import MISSED_AFTER, REMINDER_GRACE, next_deadline, plan_wake

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
# Thursday 1 January 2026, 10:00 UTC (11:00 in Berlin, 05:00 in New York).
NOW = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)


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

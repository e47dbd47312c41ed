"""`own_lead`: a member's own reminder time for a series, and what stands in for it before a
session when it was chosen too late for that one."""

from __future__ import annotations

from bot.core.reminders import own_lead

START = 1_000_000.0
HOUR = 3600.0


def test_a_time_still_ahead_is_kept() -> None:
    assert own_lead(24 * 60, START - 48 * HOUR, 15, START) == 24 * 60
    assert own_lead(0, START - 60, None, START) == 0
    assert own_lead(None, START - 48 * HOUR, 15, START) is None


def test_a_time_already_past_falls_back_to_the_usual_else_the_longest_still_ahead() -> None:
    chosen_at = START - 3 * HOUR
    assert own_lead(24 * 60, chosen_at, 15, START) == 15
    assert own_lead(24 * 60, chosen_at, None, START) == 120
    assert own_lead(24 * 60, chosen_at, 4 * 60, START) == 120  # the usual is past too
    assert own_lead(120, START - 20 * 60, None, START) == 0
    assert own_lead(30, START + 60, 15, START) is None  # the session has started

"""Who is reminded when: a member's own time for the series wins over their /remind me time."""

from __future__ import annotations

import pytest

from bot.core.errors import InvalidInput
from bot.core.reminders import check_series_choice, lead_time, recipients

ANA, BEN, CAI, DAN = 1, 2, 3, 4


def test_the_series_choice_wins_over_the_usual_time() -> None:
    optins = {ANA: 15, BEN: 15, CAI: 15}
    chosen = {ANA: 120, BEN: None, DAN: 0}
    assert [lead_time(u, optins, chosen) for u in (ANA, BEN, CAI, DAN)] == [120, None, 15, 0]
    everyone = [ANA, BEN, CAI, DAN]
    assert recipients(optins, [15], everyone, [], chosen) == [CAI]
    assert recipients(optins, [120], everyone, [], chosen) == [ANA]
    assert recipients(optins, [0], everyone, [], chosen) == [DAN]
    assert recipients(optins, [0], [ANA, BEN, CAI], [], chosen) == []  # dan not interested
    assert recipients(optins, [120, 15], everyone, [ANA], chosen) == [CAI]  # ana reminded already


def test_only_the_offered_times_are_accepted() -> None:
    for minutes in (24 * 60, 120, 30, 0, None):
        assert check_series_choice(minutes) == minutes
    with pytest.raises(InvalidInput):
        check_series_choice(45)


def test_reminder_recipients() -> None:
    optins = {1: 15, 2: 60, 3: 15, 4: 15}
    interested = [1, 2, 3, 5]
    assert recipients(optins, [15], interested, already=[3]) == [1]
    assert recipients(optins, [15, 60], interested, already=[]) == [1, 2, 3]
    assert recipients(optins, [30], interested, already=[]) == []

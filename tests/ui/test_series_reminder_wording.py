"""A member's own-time reminder says truthfully why it comes when it does (their own time, or,
when that had passed for this session as they chose it, their usual /remind me time or the
longest time still ahead), in English, German and Spanish."""

from __future__ import annotations

import pytest

from bot.core.reminders import OwnTime, own_time
from bot.ui.series_reminders import own_reminder_dm

START = 1_800_000_000.0


def test_why_follows_the_lead_used() -> None:
    assert own_time(120, 120, 15) == OwnTime(120, "own")
    assert own_time(24 * 60, 15, 15) == OwnTime(24 * 60, "usual")
    assert own_time(24 * 60, 120, None) == OwnTime(24 * 60, "sooner")


@pytest.mark.parametrize(
    ("locale", "asked", "usual", "sooner"),
    [
        ("en", "You asked for this reminder", "your usual /remind me time", "longest time"),
        ("de", "Du hast dir diese Erinnerung", "üblichen /remind me-Zeit", "frühesten Zeitpunkt"),
        ("es", "Pediste este recordatorio", "hora habitual de /remind me", "mayor antelación"),
    ],
)
def test_each_case_is_worded_truthfully(locale: str, asked: str, usual: str, sooner: str) -> None:
    def dm(minutes: int, own: OwnTime) -> str:
        return own_reminder_dm("Friday circle", START, "#circle", minutes, own, locale)

    mine = dm(120, OwnTime(120, "own"))
    assert asked in mine and usual not in mine and sooner not in mine
    fallback = dm(15, OwnTime(24 * 60, "usual"))
    assert usual in fallback and asked not in fallback
    shorter = dm(120, OwnTime(24 * 60, "sooner"))
    assert sooner in shorter and asked not in shorter and usual not in shorter

"""What a scheduled session posts as it comes: reminders and the opening within Discord's
limits, the Start button's id, and nobody mentioned for a forgotten facilitator."""

from __future__ import annotations

from bot.ui import schedule_events
from bot.ui.limits import BUTTON_LABEL, EVENT_DESCRIPTION
from tests.ui.custom_ids import ids, parsed

STARTS = 1_796_048_400.0


def test_the_opening_mentions_the_facilitator_once_and_carries_start() -> None:
    text, view = schedule_events.opening_message(42, "Circle", "Opening", 9, "en")
    assert text.count("<@42>") == 1 and "**Start Opening**" in text
    assert ids(view) == ["chorus:schedule:start:9"]
    start = parsed("chorus:schedule:start:9")
    assert isinstance(start, schedule_events.StartButton) and start.occurrence_id == 9
    forgotten, _view = schedule_events.opening_message(0, "Circle", None, 9, "en")
    assert "<@" not in forgotten and "**Start session**" in forgotten


def test_long_titles_and_many_members_stay_within_limits() -> None:
    assert len(schedule_events.start_label("x" * 300, "en")) <= BUTTON_LABEL
    fallback = schedule_events.reminder_fallback(
        "T", STARTS, list(range(10**17, 10**17 + 200)), "en"
    )
    assert len(fallback) <= 2000
    assert len(schedule_events.event_description("c" * 100, "p" * 2000, "en")) <= EVENT_DESCRIPTION


def test_the_reminder_and_the_closed_opening_say_when_and_what_happened() -> None:
    dm = schedule_events.reminder_dm("Circle", STARTS, "#room", 15, "en")
    assert f"<t:{int(STARTS)}:R>" in dm and "15 min before" in dm
    assert "has begun" in schedule_events.opening_closed("Circle", "started", "en")
    assert "marked missed" in schedule_events.opening_closed("Circle", "missed", "en")


def test_a_reminders_place_names_the_channel_and_the_server_when_known() -> None:
    assert schedule_events.reminder_where("circle", 5, "Harbour", "en") == (
        "**#circle** on **Harbour**"
    )
    assert schedule_events.reminder_where(None, 5, None, "en") == "<#5>"
    assert "Harbour" in schedule_events.reminder_where("circle", 5, "Harbour", "de")

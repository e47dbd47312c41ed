"""The member's own schedule on their own wall clock: days, times, pauses and daylight saving;
setting one needs the member's agreement to saving their check-ins."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.checkin_reminders import (
    CheckinReminders,
    days_text,
    local_day,
    next_send,
    parse_days,
    parse_time,
)
from bot.core.errors import InvalidInput
from bot.records.checkin_schedules import ClaimedSend
from bot.store.store import Store

TUE_FRI = 2 | 16
GUILD, ANA, BEN = 1, 11, 12
BERLIN = "Europe/Berlin"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> float:
    return datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp()


def test_days_and_times_are_read_the_way_people_write_them() -> None:
    assert parse_days("tue, fri") == TUE_FRI
    assert parse_days("Tuesday and Friday") == TUE_FRI
    assert parse_days("weekdays") == 31 and parse_days("daily") == 127
    assert days_text(TUE_FRI, "en") == "Tue, Fri" and days_text(127, "en") == "every day"
    assert parse_time("19:00") == 19 * 60
    assert parse_time("7pm") == 19 * 60 and parse_time("7:30 am") == 7 * 60 + 30
    assert parse_time("12am") == 0
    for bad_days in ("someday", "t", ""):
        with pytest.raises(InvalidInput):
            parse_days(bad_days)
    for bad_time in ("25:00", "19:60", "13pm", "soon"):
        with pytest.raises(InvalidInput):
            parse_time(bad_time)


def test_tuesday_friday_19_00_berlin_across_the_spring_change() -> None:
    """Clocks go forward on Sunday 29 March 2026: 19:00 is 18:00 UTC before, 17:00 after."""
    sends = []
    at = utc(2026, 3, 23)
    for _ in range(4):
        at = next_send(TUE_FRI, 19 * 60, BERLIN, at, not_on=local_day(at, BERLIN))
        sends.append(at)
    assert sends == [
        utc(2026, 3, 24, 18),
        utc(2026, 3, 27, 18),
        utc(2026, 3, 31, 17),
        utc(2026, 4, 3, 17),
    ]


def test_autumn_change_and_a_skipped_time() -> None:
    # 25 October 2026 clocks go back: Tuesday 27 October 19:00 is 18:00 UTC again.
    assert next_send(TUE_FRI, 19 * 60, BERLIN, utc(2026, 10, 23, 18)) == utc(2026, 10, 27, 18)
    # 02:30 doesn't exist on 29 March in Berlin: it comes with the clock, at 03:30 CEST.
    sunday = 64
    assert next_send(sunday, 150, BERLIN, utc(2026, 3, 28)) == utc(2026, 3, 29, 1, 30)


def test_nothing_on_the_day_already_sent_nor_before_a_pause_ends() -> None:
    daily = 127
    morning = utc(2026, 3, 24, 8)  # 09:00 in Berlin
    # A new 21:00 schedule the evening a DM already came: tomorrow, not tonight.
    assert next_send(daily, 21 * 60, BERLIN, morning, not_on="2026-03-24") == utc(2026, 3, 25, 20)
    assert next_send(daily, 21 * 60, BERLIN, morning) == utc(2026, 3, 24, 20)
    assert next_send(TUE_FRI, 19 * 60, BERLIN, morning, paused_until="2026-04-01") == utc(
        2026, 4, 3, 17
    )


async def test_a_schedule_is_set_only_after_the_member_agreed_to_saving(store: Store) -> None:
    reminders = CheckinReminders(store, lambda: datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    plan = reminders.plan("weekdays", "19:00", "Europe/Berlin", "1-5", None)
    with pytest.raises(InvalidInput, match="need your agreement first"):
        await reminders.set(1, 11, plan, "de")
    await store.privacy.set_consent(1, 11, "declined", 0.0)
    with pytest.raises(InvalidInput, match="/checkin consent and press Agree"):
        await reminders.set(1, 11, plan, "de")
    await store.privacy.set_consent(1, 11, "agreed", 0.0)
    record = await reminders.set(1, 11, plan, "de")
    assert (record.guild_id, record.user_id, record.language) == (1, 11, "de")


async def test_due_dms_go_to_the_attached_sender_and_none_is_claimed_without_one(
    store: Store,
) -> None:
    now = [utc(2026, 3, 2, 9)]
    reminders = CheckinReminders(store, lambda: datetime.fromtimestamp(now[0], UTC))
    plan = reminders.plan("daily", "19:00", "UTC", "0-10", None)
    for user_id in (ANA, BEN):
        await store.privacy.set_consent(GUILD, user_id, "agreed", 0.0)  # a schedule needs it
        await reminders.set(GUILD, user_id, plan, "en")
    due = utc(2026, 3, 2, 19)
    now[0] = due + 60
    # Nobody sends (the cog isn't loaded): the timer sleeps and nothing is claimed.
    assert await reminders.next_due() is None
    await reminders.send_due()
    assert (await store.checkin_schedules.next_due(lambda _guild: True)) == due
    sent: list[int] = []

    async def send(claim: ClaimedSend) -> None:
        if claim.schedule.user_id == ANA:
            raise RuntimeError("Discord trouble")  # one member's failure costs the others nothing
        sent.append(claim.schedule.user_id)

    reminders.attach(send)
    assert await reminders.next_due() == due
    await reminders.send_due()
    assert sent == [BEN]
    assert await reminders.next_due() == utc(2026, 3, 3, 19)  # both claimed: tomorrow's next

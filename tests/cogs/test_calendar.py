"""/session calendar: the .ics parses with icalendar and its recurrence gives the sessions the
bot schedules and Discord shows, across a daylight-saving change."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import icalendar
from dateutil.rrule import rrulestr

from bot.core.schedule_wake import rule_of
from tests.cogs.test_schedule import events, now, schedule, set_zone
from tests.conftest import World
from tests.responses import reply_to


async def calendar_of(world: World) -> icalendar.Calendar:
    result = await world.members[0].slash(world.channel, "session calendar")
    assert result.ephemeral, reply_to(result).content
    [attachment] = reply_to(result).attachments
    assert attachment.filename == "chorus-sessions.ics"
    return icalendar.Calendar.from_ical(await attachment.read())


def occurrences(event: Any, count: int) -> list[datetime]:
    """The event's first `count` starts, expanded from its RRULE on its own wall clock."""
    start = event.decoded("dtstart")
    rule = event.get("rrule")
    if rule is None:
        return [start]
    return list(rrulestr(rule.to_ical().decode(), dtstart=start))[:count]


def discord_start(world: World, event_id: int | None) -> datetime:
    [event] = [e for e in events(world) if e.id == event_id]
    return datetime.fromisoformat(event.scheduled_start_time)


async def test_weekly_series_in_berlin_matches_the_bot_and_discord(world: World) -> None:
    await set_zone(world, "Europe/Berlin")
    first = await schedule(world, title="Friday circle", when="2026-03-13 18:00", repeat="weekly")
    cal = await calendar_of(world)
    assert cal.get("x-wr-timezone") == "Europe/Berlin"
    assert [tz.get("tzid") for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    [event] = cal.walk("VEVENT")
    assert str(event.get("summary")) == "Friday circle"
    assert event.get("dtstart").params["TZID"] == "Europe/Berlin"
    assert event.decoded("duration").total_seconds() == 3600
    starts = occurrences(event, 6)
    series = await world.bot().store.schedule.series(first.series_id)
    assert series is not None
    rule = rule_of(series)
    # What the bot will open, session by session (29 March: clocks go forward).
    assert [s.astimezone(UTC) for s in starts] == [
        rule.start(first.seq + i).astimezone(UTC) for i in range(6)
    ]
    assert {s.strftime("%A %H:%M") for s in starts} == {"Friday 18:00"}
    assert starts[2].astimezone(UTC).hour == 17 and starts[3].astimezone(UTC).hour == 16
    # What Discord shows now, and after the first session is over (the next event).
    assert starts[0] == discord_start(world, first.event_id)
    await world.env.advance_time(first.ends_at - now(world).timestamp() + 1)
    [following] = await world.bot().store.schedule.upcoming(world.guild.id, 10)
    assert starts[1] == discord_start(world, following.event_id)
    later = await calendar_of(world)
    [moved] = later.walk("VEVENT")
    assert str(moved.get("uid")) == str(event.get("uid"))  # the same event, updated
    assert occurrences(moved, 5) == starts[1:6]


async def test_monthly_fortnightly_and_once(world: World) -> None:
    await set_zone(world, "America/New_York")
    monthly = await schedule(world, title="Monthly", when="2026-01-27 19:00", repeat="monthly")
    fortnightly = await schedule(
        world, title="Fortnightly", when="2026-01-05 10:00", repeat="fortnightly"
    )
    once = await schedule(world, title="Once", when="2026-02-01 12:00")
    cal = await calendar_of(world)
    found = {str(e.get("summary")): e for e in cal.walk("VEVENT")}
    assert set(found) == {"Monthly", "Fortnightly", "Once"}
    assert "RRULE" not in found["Once"]
    store = world.bot().store.schedule
    for first, count in ((monthly, 8), (fortnightly, 8), (once, 1)):
        series = await store.series(first.series_id)
        assert series is not None
        rule = rule_of(series)
        starts = occurrences(found[series.title], count)
        assert starts[0] == discord_start(world, first.event_id)
        assert [s.astimezone(UTC) for s in starts] == [
            rule.start(first.seq + i).astimezone(UTC) for i in range(count)
        ], series.title


async def test_no_schedule_says_so_without_a_file(world: World) -> None:
    result = await world.members[0].slash(world.channel, "session calendar")
    assert result.ephemeral and not reply_to(result).attachments
    assert "no scheduled sessions" in (reply_to(result).content or "")

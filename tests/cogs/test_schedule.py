"""Scheduled sessions through simcord: events, reminders, self-opening sessions, restarts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.core.activities import Catalog
from bot.records.schedule import OccurrenceRecord
from bot.settings import Settings
from tests.conftest import World, find_message, make_bot
from tests.responses import fields_of, reply_to

EVENTS_ROUTE = "/guilds/*/scheduled-events"


def now(world: World) -> datetime:
    return world.bot().clock()


def events(world: World) -> list[Any]:
    backend = world.env.backend
    return list(backend.get_guild(world.guild.id).scheduled_events.values())


def reminder_dms(member: Any) -> list[Any]:
    """A member's reminder DMs (text), without the offer of their own time (an embed) that
    pressing Interested brings (tests/cogs/test_series_reminders.py)."""
    return [m for m in member.user.dm_channel.history() if m.content]


def requests(world: World, method: str, part: str) -> list[Any]:
    return [r for r in world.env.http_requests if r.method == method and part in r.path]


async def set_zone(world: World, zone: str = "Europe/Berlin") -> None:
    result = await world.manager().slash(world.channel, "setup timezone", zone=zone)
    assert result.ephemeral and zone in reply_to(result).content


async def schedule(world: World, **options: Any) -> OccurrenceRecord:
    """Create and confirm a schedule; returns the stored first occurrence."""
    options.setdefault("title", "Friday circle")
    options.setdefault("when", "friday 18:00")
    shown = await world.facilitator.slash(world.channel, "session schedule create", **options)
    assert shown.ephemeral, reply_to(shown).content
    assert reply_to(shown).embeds, reply_to(shown).content
    confirmed = await world.facilitator.click(reply_to(shown).message, label="Confirm")
    assert reply_to(confirmed).embeds and "Scheduled as #" in (
        reply_to(confirmed).embeds[0].footer.text or ""
    )
    upcoming = await world.bot().store.schedule.upcoming(world.guild.id, 10)
    assert upcoming
    return upcoming[-1]


async def test_commands_are_attached_to_the_session_group(world: World) -> None:
    names = world.facilitator.available_commands(world.channel)
    for name in (
        "session schedule create",
        "session schedule edit",
        "session schedule cancel",
        "session upcoming",
        "session start",
        "setup timezone",
        "remind me",
    ):
        assert name in names, names


async def test_create_shows_a_preview_then_creates_the_event(world: World) -> None:
    await set_zone(world)
    shown = await world.facilitator.slash(
        world.channel, "session schedule create", title="Friday circle", when="friday 18:00"
    )
    embed = reply_to(shown).embeds[0]
    # 2026-01-02 is the first Friday; 18:00 Berlin is 17:00 UTC in winter.
    start = int(datetime(2026, 1, 2, 17, 0, tzinfo=UTC).timestamp())
    assert f"<t:{start}:F>" in (embed.description or "")
    fields = fields_of(embed)
    assert "Europe/Berlin" in fields["Server time"] and "18:00" in fields["Server time"]
    assert not events(world)

    await world.facilitator.click(reply_to(shown).message, label="Confirm")
    [event] = events(world)
    assert event.name == "Friday circle"
    assert event.entity_type == 3  # external: no voice channel given
    assert event.entity_metadata == {"location": "#circle"}
    assert requests(world, "POST", "/scheduled-events")


async def test_weekly_series_creates_the_next_event_when_one_ends(world: World) -> None:
    await set_zone(world)
    first = await schedule(world, repeat="weekly", duration=60)
    await world.env.advance_time(first.ends_at - now(world).timestamp() + 1)
    store = world.bot().store.schedule
    [following] = await store.upcoming(world.guild.id, 10)
    assert following.seq == 1 and following.id != first.id
    assert following.starts_at - first.starts_at == 7 * 86400
    local = datetime.fromtimestamp(following.starts_at, UTC).astimezone(ZoneInfo("Europe/Berlin"))
    assert local.strftime("%A %H:%M") == "Friday 18:00"
    assert len(requests(world, "POST", "/scheduled-events")) == 2
    assert following.event_id is not None
    assert {e.id for e in events(world) if e.status == 1} == {following.event_id}


async def test_upcoming_lists_times_and_interest(world: World) -> None:
    await set_zone(world)
    occurrence = await schedule(world, repeat="monthly", when="2026-01-13 19:00")
    ana, ben, _ = world.members
    await ana.subscribe_event(occurrence.event_id)
    await ben.subscribe_event(occurrence.event_id)
    result = await ana.slash(world.channel, "session upcoming")
    assert result.ephemeral
    [field] = reply_to(result).embeds[0].fields
    assert field.name == f"#{occurrence.id} Friday circle"
    assert field.value is not None
    assert f"<t:{int(occurrence.starts_at)}:F>" in field.value
    assert "Monthly on the 2nd Tuesday" in field.value
    assert "2 members interested" in field.value


async def test_members_cannot_schedule_and_bad_times_are_explained(world: World) -> None:
    refused = await world.members[0].slash(
        world.channel, "session schedule create", title="Mine", when="friday 18:00"
    )
    assert "Only facilitators" in reply_to(refused).content
    bad = await world.facilitator.slash(
        world.channel, "session schedule create", title="Mine", when="someday"
    )
    assert bad.ephemeral and "Add a time" in reply_to(bad).content
    past = await world.facilitator.slash(
        world.channel, "session schedule create", title="Mine", when="2025-12-01 18:00"
    )
    assert "already passed" in reply_to(past).content
    assert not events(world)


async def test_timezone_autocomplete(world: World) -> None:
    manager = world.manager()
    choices = await manager.autocomplete(world.channel, "setup timezone", "zone", "berl")
    assert [c["value"] for c in choices] == ["Europe/Berlin"]
    refused = await manager.slash(world.channel, "setup timezone", zone="Mars/Base")
    assert "don't know the time zone" in reply_to(refused).content


async def test_edit_and_cancel_offer_the_upcoming_sessions(world: World) -> None:
    await set_zone(world)
    friday = await schedule(world)
    tuesday = await schedule(world, title="Tuesday songs", when="tuesday 19:00")
    for command in ("session schedule edit", "session schedule cancel"):
        offered = await world.facilitator.autocomplete(world.channel, command, "id", "")
        assert [c["value"] for c in offered] == [friday.id, tuesday.id], offered
        songs = await world.facilitator.autocomplete(world.channel, command, "id", "SONGS")
        assert [c["value"] for c in songs] == [tuesday.id], songs
        name = songs[0]["name"]
        assert name.startswith(f"#{tuesday.id} Tuesday songs · ") and name.endswith(
            " 19:00 (Europe/Berlin)"
        ), name


async def test_reminder_goes_to_opted_in_interested_members_only(world: World) -> None:
    ana, ben, cai = world.members
    occurrence = await schedule(world, when="in 2 hours")
    assert (
        "Reminders are on"
        in reply_to(await ana.slash(world.channel, "remind me", state="on")).content
    )
    await cai.slash(world.channel, "remind me", state="on", minutes_before=15)
    await ana.subscribe_event(occurrence.event_id)
    await ben.subscribe_event(occurrence.event_id)  # interested but not opted in
    # cai opted in but never pressed Interested.

    due = occurrence.starts_at - 15 * 60
    await world.env.advance_time(due - now(world).timestamp() - 5)
    assert not reminder_dms(ana)
    await world.env.advance_time(10)
    [dm] = reminder_dms(ana)
    assert "Friday circle" in dm.content and f"<t:{int(occurrence.starts_at)}:R>" in dm.content
    # ben was only offered a time of his own (he pressed Interested), and never reminded.
    [offer] = ben.user.dm_channel.history()
    assert offer.embeds and not offer.content
    assert not cai.user.dm_channel.history()
    # Once per occurrence.
    await world.env.advance_time(5 * 60)
    assert len(reminder_dms(ana)) == 1
    off = await ana.slash(world.channel, "remind me", state="off")
    assert "off" in reply_to(off).content


async def test_closed_dms_fall_back_to_one_channel_message(world: World) -> None:
    ana, ben, cai = world.members
    occurrence = await schedule(world, when="in 2 hours")
    for member in (ana, ben):
        await member.slash(world.channel, "remind me", state="on", minutes_before=30)
        await member.subscribe_event(occurrence.event_id)
    await cai.subscribe_event(occurrence.event_id)
    world.env.inject_error(
        "POST",
        f"/channels/{ana.user.dm_channel.id}/messages",
        status=403,
        code=50007,
        message="Cannot send messages to this user",
    )
    before = len(world.channel.history())
    await world.env.advance_time(occurrence.starts_at - 30 * 60 - now(world).timestamp() + 1)
    assert len(reminder_dms(ben)) == 1
    posted = world.channel.history()[before:]
    assert len(posted) == 1
    [message] = posted
    assert ana.mention in message.content and ben.mention not in message.content
    assert cai.mention not in message.content
    sent = [
        r
        for r in requests(world, "POST", f"/channels/{world.channel.id}/messages")
        if r.json and "I couldn't reach you by DM" in (r.json.get("content") or "")
    ]
    assert sent[-1].json["allowed_mentions"] == {"parse": [], "users": [str(ana.id)]} or sent[
        -1
    ].json["allowed_mentions"]["users"] in ([ana.id], [str(ana.id)])
    assert "everyone" not in sent[-1].json["allowed_mentions"].get("parse", [])
    assert "roles" not in sent[-1].json["allowed_mentions"].get("parse", [])
    assert await world.bot().store.reminders.reminded(occurrence.id) == {ana.id, ben.id}


async def test_session_opens_itself_and_the_facilitator_starts_the_plan(world: World) -> None:
    ana = world.members[0]
    occurrence = await schedule(world, when="in 1 hour", plan="test-flow")
    await world.env.advance_time(occurrence.starts_at - now(world).timestamp() + 1)
    board = find_message(world.channel, "Friday circle")
    assert "Press **Join**" in (board.embeds[0].description or "")
    opening = world.channel.last_message
    assert opening is not None and world.facilitator.mention in opening.content
    assert [u.id for u in opening.mentions] == [world.facilitator.id]
    stored = await world.bot().store.schedule.occurrence(occurrence.id)
    assert stored is not None and stored.status == "open" and stored.session_id is not None
    assert [e.status for e in events(world)] == [2]  # the event is live

    refused = await ana.click(opening, label="Start Test flow")
    assert refused.ephemeral and "Only facilitators" in reply_to(refused).content
    await world.facilitator.click(opening, label="Start Test flow")
    assert find_message(world.channel, "Arrive") is not None
    stored = await world.bot().store.schedule.occurrence(occurrence.id)
    assert stored is not None and stored.status == "started"
    assert stored.session_id is not None
    run = await world.bot().store.runs.live_for_session(stored.session_id)
    assert run is not None and run.activity_id == "test-flow"
    # Nothing is marked missed later.
    await world.env.advance_time(31 * 60)
    stored = await world.bot().store.schedule.occurrence(occurrence.id)
    assert stored is not None and stored.status == "started"


async def test_a_session_nobody_starts_is_marked_missed(world: World) -> None:
    occurrence = await schedule(world, when="in 1 hour", duration=90)
    await world.env.advance_time(occurrence.starts_at - now(world).timestamp() + 1)
    opening = world.channel.last_message
    assert opening is not None and "Start session" in str(opening.components)
    await world.env.advance_time(30 * 60)
    stored = await world.bot().store.schedule.occurrence(occurrence.id)
    assert stored is not None and stored.status == "missed"
    session = await world.bot().store.sessions.get(stored.session_id or 0)
    assert session is not None and session.status == "ended"
    edited = (
        await world.channel.fetch_message(opening.id)
        if hasattr(world.channel, "fetch_message")
        else None
    )
    closed = edited or next(m for m in world.channel.history() if m.id == opening.id)
    assert "marked missed" in closed.content and not closed.components


async def test_edit_and_cancel_update_the_event(world: World) -> None:
    await set_zone(world)
    occurrence = await schedule(world, repeat="weekly")
    edited = await world.facilitator.slash(
        world.channel,
        "session schedule edit",
        id=occurrence.id,
        when="saturday 10:00",
        title="Saturday circle",
        voice_channel=world.voice,
    )
    assert edited.ephemeral and "Updated session" in reply_to(edited).content
    [event] = events(world)
    assert event.name == "Saturday circle"
    assert event.entity_type == 2 and event.channel_id == world.voice.id
    start = datetime(2026, 1, 3, 9, 0, tzinfo=UTC)
    assert datetime.fromisoformat(event.scheduled_start_time) == start
    assert requests(world, "PATCH", "/scheduled-events/")
    series = await world.bot().store.schedule.series(occurrence.series_id)
    assert series is not None and series.anchor_local == "2026-01-03T10:00:00"

    refused = await world.members[0].slash(
        world.channel, "session schedule cancel", id=occurrence.id
    )
    assert "Only facilitators" in reply_to(refused).content
    cancelled = await world.facilitator.slash(
        world.channel, "session schedule cancel", id=occurrence.id
    )
    assert "Cancelled" in reply_to(cancelled).content and "next is" in reply_to(cancelled).content
    assert requests(world, "DELETE", "/scheduled-events/")
    [following] = await world.bot().store.schedule.upcoming(world.guild.id, 10)
    assert datetime.fromtimestamp(following.starts_at, UTC) == start + timedelta(days=7)
    [event] = events(world)
    assert event.id == following.event_id and event.entity_type == 2

    stopped = await world.facilitator.slash(
        world.channel, "session schedule cancel", id=following.id, whole_series=True
    )
    assert "series is stopped" in reply_to(stopped).content
    assert not events(world)
    assert await world.bot().store.schedule.upcoming(world.guild.id, 10) == []
    gone = await world.facilitator.slash(world.channel, "session schedule cancel", id=following.id)
    assert "been cancelled" in reply_to(gone).content


async def test_restart_resumes_the_timer_from_the_store(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    ana = world.members[0]
    occurrence = await schedule(world, when="in 2 hours")
    await ana.slash(world.channel, "remind me", state="on")
    await ana.subscribe_event(occurrence.event_id)
    await world.env.restart_bot(make_bot(settings, catalog))
    await world.env.advance_time(occurrence.starts_at - 15 * 60 - now(world).timestamp() + 1)
    assert len(reminder_dms(ana)) == 1


def go_down(world: World) -> None:
    """The bot process stops: its schedule timer no longer fires while time passes."""
    assert world.bot().get_cog("ScheduleCog") is not None
    world.bot().schedule.timer.close()  # the schedule service's one timer


async def test_a_reminder_missed_during_downtime_is_not_sent_late(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    ana = world.members[0]
    occurrence = await schedule(world, when="in 2 hours", duration=60)
    await ana.slash(world.channel, "remind me", state="on")
    await ana.subscribe_event(occurrence.event_id)
    go_down(world)
    # Down across the 15-minute reminder; back 5 minutes before the start.
    await world.env.advance_time(occurrence.starts_at - now(world).timestamp() - 5 * 60)
    await world.env.restart_bot(make_bot(settings, catalog))
    await world.env.advance_time(60)
    assert not reminder_dms(ana)
    # The start itself is still on time.
    await world.env.advance_time(4 * 60 + 1)
    assert find_message(world.channel, "Friday circle") is not None
    assert not reminder_dms(ana)


async def test_a_session_whose_start_passed_during_downtime_opens_at_once(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    occurrence = await schedule(world, when="in 2 hours", duration=60)
    go_down(world)
    await world.env.advance_time(occurrence.starts_at - now(world).timestamp() + 20 * 60)
    assert world.channel.history() == []
    await world.env.restart_bot(make_bot(settings, catalog))
    assert find_message(world.channel, "Friday circle") is not None
    stored = await world.bot().store.schedule.occurrence(occurrence.id)
    assert stored is not None and stored.status == "open"
    assert stored.opened_at == pytest.approx(now(world).timestamp(), abs=5)


async def test_a_session_that_passed_entirely_during_downtime_is_missed(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    occurrence = await schedule(world, when="in 1 hour", duration=30, repeat="weekly")
    go_down(world)
    await world.env.advance_time(occurrence.ends_at - now(world).timestamp() + 60)
    await world.env.restart_bot(make_bot(settings, catalog))
    stored = await world.bot().store.schedule.occurrence(occurrence.id)
    assert stored is not None and stored.status == "missed" and stored.ended_at is not None
    assert world.channel.history() == []  # nothing opened late
    [following] = await world.bot().store.schedule.upcoming(world.guild.id, 10)
    assert following.starts_at == occurrence.starts_at + 7 * 86400

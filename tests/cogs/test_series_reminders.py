"""A member's own reminder time for a scheduled series, through the real bot in virtual time:
offered by DM when they press Interested, chosen with its buttons, sent once at that time
(across a restart), cancelled by removing Interested or /forget, shown by /mydata."""

from __future__ import annotations

import json
from typing import Any

from bot.core.activities import Catalog
from bot.settings import Settings
from tests.cogs.test_schedule import now, schedule
from tests.conftest import World, restart
from tests.responses import button_labels, reply_to

CHOICES = ["1 day before", "2 hours before", "30 minutes before", "At the start", "No reminder"]


def offers(member: Any) -> list[Any]:
    """The DMs offering a reminder time (an embed, no text)."""
    return [
        m
        for m in member.user.dm_channel.history()
        if m.embeds and m.embeds[0].title == "When should I remind you?"
    ]


def reminders(member: Any) -> list[Any]:
    """The reminder DMs themselves."""
    return [m for m in member.user.dm_channel.history() if (m.content or "").startswith("⏰")]


async def advance_to(world: World, when: float) -> None:
    """Move virtual time to `when` (UTC seconds) in chunks (simcord settles within 5 s)."""
    while (left := when - now(world).timestamp()) > 0:
        await world.env.advance_time(min(left, 6 * 3600))


async def choose(member: Any, label: str) -> str:
    [offer] = offers(member)
    labels = button_labels(offer)
    assert labels == CHOICES, labels
    chosen = await member.user.click(offer, label=label)
    return str(reply_to(chosen).content or "")


async def test_each_member_is_reminded_at_their_own_time_once(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    ana, ben, cai = world.members
    occurrence = await schedule(world, when="in 3 days", repeat="weekly")
    # cai's usual time (/remind me) is 15 minutes; he picks "No reminder" for this series.
    await cai.slash(world.channel, "remind me", state="on", minutes_before=15)
    for member in (ana, ben, cai):
        await member.subscribe_event(occurrence.event_id)
        [offer] = offers(member)
        text = offer.embeds[0].description or ""
        assert "Friday circle" in text and f"<t:{int(occurrence.starts_at)}:F>" in text
    assert "no reminder" in (offers(ana)[0].embeds[0].description or "")
    assert "15 minutes before" in (offers(cai)[0].embeds[0].description or "")

    said = await choose(ana, "2 hours before")
    assert "2 hours before" in said and "Friday circle" in said, said
    assert "at the start" in await choose(ben, "At the start")
    assert "No reminders for **Friday circle**" in await choose(cai, "No reminder")
    choices = await world.bot().store.reminders.series_choices(occurrence.series_id)
    assert choices == {ana.id: 120, ben.id: 0, cai.id: None}

    start = occurrence.starts_at
    await advance_to(world, start - 2 * 3600 - 600)
    assert not reminders(ana)
    await restart(world, settings, catalog)  # the choice and the timer come from the store
    await advance_to(world, start - 2 * 3600 - 5)
    assert not reminders(ana)
    await advance_to(world, start - 2 * 3600 + 5)
    [reminder] = reminders(ana)
    assert "Friday circle" in reminder.content and "2 hours before" in reminder.content
    assert f"<t:{int(start)}:R>" in reminder.content
    await advance_to(world, start - 5)
    assert not reminders(ben) and not reminders(cai)  # cai's usual 15 minutes doesn't apply
    await advance_to(world, start + 5)
    [at_start] = reminders(ben)
    assert "starts now" in at_start.content
    assert len(reminders(ana)) == 1 and not reminders(cai)
    reminded = await world.bot().store.reminders.reminded(occurrence.id)
    assert reminded == {ana.id, ben.id}

    # The next session of the series: ana's choice holds; no second offer.
    await advance_to(world, occurrence.ends_at + 5)
    [following] = [
        o
        for o in await world.bot().store.schedule.upcoming(world.guild.id, 10)
        if o.series_id == occurrence.series_id and o.id != occurrence.id
    ]
    await ana.subscribe_event(following.event_id)
    assert len(offers(ana)) == 1
    await advance_to(world, following.starts_at - 2 * 3600 + 5)
    assert len(reminders(ana)) == 2


async def test_removing_interested_cancels_and_offers_again_next_time(world: World) -> None:
    ana = world.members[0]
    occurrence = await schedule(world, when="in 2 days")
    await ana.subscribe_event(occurrence.event_id)
    await choose(ana, "30 minutes before")
    await ana.unsubscribe_event(occurrence.event_id)
    store = world.bot().store.reminders
    assert await store.series_choices(occurrence.series_id) == {}
    await advance_to(world, occurrence.starts_at + 5)
    assert not reminders(ana)
    assert len(offers(ana)) == 1


async def test_a_member_not_interested_is_not_reminded_even_with_a_choice(world: World) -> None:
    """The choice is kept for the series, but only Interested members are reminded."""
    ana = world.members[0]
    occurrence = await schedule(world, when="in 2 days")
    await ana.subscribe_event(occurrence.event_id)
    await choose(ana, "2 hours before")
    # Discord's list is the truth at send time (a missed USER_REMOVE changes nothing).
    assert occurrence.event_id is not None
    event = world.env.backend.get_scheduled_event(world.guild.id, occurrence.event_id)
    event.user_ids.discard(ana.id)
    await advance_to(world, occurrence.starts_at - 2 * 3600 + 5)
    assert not reminders(ana)


async def test_mydata_shows_and_forget_deletes_the_choice(world: World) -> None:
    ana, ben, _ = world.members
    occurrence = await schedule(world, when="in 2 days")
    for member in (ana, ben):
        await member.subscribe_event(occurrence.event_id)
        await choose(member, "1 day before")
    exported = await ana.slash(world.channel, "mydata")
    [file] = reply_to(exported).attachments
    data = json.loads(await file.read())
    assert data["series_reminders"][0]["series_title"] == "Friday circle"
    assert data["series_reminders"][0]["minutes_before"] == 24 * 60
    asked = await ana.slash(world.channel, "forget")
    await ana.click(reply_to(asked).message, label="Delete my data")
    choices = await world.bot().store.reminders.series_choices(occurrence.series_id)
    assert choices == {ben.id: 24 * 60}
    await advance_to(world, occurrence.starts_at - 24 * 3600 + 5)
    assert not reminders(ana) and len(reminders(ben)) == 1


async def test_an_old_offer_pressed_after_forget_stores_nothing(world: World) -> None:
    """Privacy: /forget deletes the offer too; its buttons then refuse politely."""
    ana = world.members[0]
    occurrence = await schedule(world, when="in 2 days")
    await ana.subscribe_event(occurrence.event_id)
    [offer] = offers(ana)
    store = world.bot().store.reminders
    exported = await ana.slash(world.channel, "mydata")
    data = json.loads(await reply_to(exported).attachments[0].read())
    assert [o["series_title"] for o in data["series_reminder_offers"]] == ["Friday circle"]
    asked = await ana.slash(world.channel, "forget")
    await ana.click(reply_to(asked).message, label="Delete my data")
    pressed = await ana.user.click(offer, label="1 day before")
    said = reply_to(pressed).content or ""
    assert "saved nothing" in said and "/forget" in said, said
    assert await store.series_choices(occurrence.series_id) == {}
    rows = await world.bot().store.db.fetch_all("SELECT * FROM series_reminder_offers")
    assert rows == []
    await advance_to(world, occurrence.starts_at + 5)
    assert not reminders(ana)


async def test_an_old_offer_pressed_after_removing_interested_stores_nothing(
    world: World,
) -> None:
    ana = world.members[0]
    occurrence = await schedule(world, when="in 2 days")
    await ana.subscribe_event(occurrence.event_id)
    [offer] = offers(ana)
    await ana.unsubscribe_event(occurrence.event_id)
    pressed = await ana.user.click(offer, label="2 hours before")
    assert "saved nothing" in (reply_to(pressed).content or "")
    assert await world.bot().store.reminders.series_choices(occurrence.series_id) == {}


async def test_a_choice_during_a_running_weekly_session_is_for_the_next_one(world: World) -> None:
    ana = world.members[0]
    occurrence = await schedule(world, when="in 2 days", repeat="weekly")
    await ana.subscribe_event(occurrence.event_id)
    [offer] = offers(ana)
    await advance_to(world, occurrence.starts_at + 60)
    pressed = await ana.user.click(offer, label="2 hours before")
    said = reply_to(pressed).content or ""
    week_later = int(occurrence.starts_at + 7 * 86_400)
    assert "2 hours before" in said and f"<t:{week_later}:F>" in said, said
    store = world.bot().store.schedule
    assert await world.bot().store.reminders.series_choices(occurrence.series_id) == {ana.id: 120}
    await advance_to(world, occurrence.ends_at + 5)
    [following] = [
        o
        for o in await store.upcoming(world.guild.id, 10)
        if o.series_id == occurrence.series_id and o.id != occurrence.id
    ]
    assert int(following.starts_at) == week_later
    await ana.subscribe_event(following.event_id)
    await advance_to(world, following.starts_at - 2 * 3600 + 5)
    [reminder] = reminders(ana)
    assert "2 hours before" in reminder.content


async def test_a_time_already_past_falls_back_for_that_session_only(world: World) -> None:
    """A day before, chosen 3 hours before: their usual 15 minutes for this session, the day
    before from the following one on (said in the reply)."""
    ana, ben, _ = world.members
    await ana.slash(world.channel, "remind me", state="on", minutes_before=15)
    occurrence = await schedule(world, when="in 2 days", repeat="weekly")
    start = occurrence.starts_at
    await advance_to(world, start - 3 * 3600)
    for member in (ana, ben):
        await member.subscribe_event(occurrence.event_id)
    said = await choose(ana, "1 day before")
    assert "too late for a reminder 1 day before" in said and "15 minutes before" in said, said
    # ben has no /remind me time: the longest choice still ahead, 2 hours before.
    said = await choose(ben, "1 day before")
    assert "I'll remind you **2 hours before**" in said, said
    await advance_to(world, start - 2 * 3600 + 5)
    assert [m.content for m in reminders(ben)] and not reminders(ana)
    # Each reminder says truthfully why it comes now: not "you asked for this" (they didn't).
    [sooner] = reminders(ben)
    assert "You asked for" not in sooner.content
    assert (
        "You chose 1 day before for this series, but that time had already passed for this "
        "session when you chose it, so this reminder comes at the longest time still ahead "
        "then (2 hours before). Your own time holds from the next session on."
    ) in sooner.content, sooner.content
    await advance_to(world, start - 15 * 60 + 5)
    [at_fifteen] = reminders(ana)
    assert f"<t:{int(start)}:R>" in at_fifteen.content
    assert "You asked for" not in at_fifteen.content
    assert (
        "You chose 1 day before for this series, but that time had already passed for this "
        "session when you chose it, so this reminder comes at your usual /remind me time "
        "(15 minutes before)."
    ) in at_fifteen.content, at_fifteen.content
    await advance_to(world, start + 5)
    assert len(reminders(ana)) == 1 and len(reminders(ben)) == 1
    # The following session: a day before, as chosen.
    await advance_to(world, occurrence.ends_at + 5)
    [following] = [
        o
        for o in await world.bot().store.schedule.upcoming(world.guild.id, 10)
        if o.series_id == occurrence.series_id and o.id != occurrence.id
    ]
    await ana.subscribe_event(following.event_id)
    await advance_to(world, following.starts_at - 24 * 3600 + 5)
    assert len(reminders(ana)) == 2
    own = [m.content for m in reminders(ana) if "You asked for this reminder" in m.content]
    assert len(own) == 1 and "(1 day before)" in own[0], own


async def test_an_offer_that_cannot_be_delivered_is_not_kept(world: World) -> None:
    """DMs closed (Discord 50007): the offer row goes at once and the DM is not retried; the
    member's /remind me time still reminds them (in the channel, as their DMs are closed)."""
    ana, ben, _ = world.members
    await ana.slash(world.channel, "remind me", state="on", minutes_before=30)
    occurrence = await schedule(world, when="in 2 days")
    route = f"/channels/{ana.user.dm_channel.id}/messages"
    world.env.inject_error("POST", route, status=403, code=50007, message="Cannot send", times=None)
    for member in (ana, ben):
        await member.subscribe_event(occurrence.event_id)
    db = world.bot().store.db
    rows = await db.fetch_all("SELECT user_id FROM series_reminder_offers")
    assert [int(r[0]) for r in rows] == [ben.id]  # ana's offer was never delivered
    dm_posts = [r for r in world.env.http_requests if r.method == "POST" and r.path == route]
    assert len(dm_posts) == 1  # tried once, not retried
    await advance_to(world, occurrence.starts_at - 30 * 60 + 5)
    dm_posts = [r for r in world.env.http_requests if r.method == "POST" and r.path == route]
    assert len(dm_posts) == 2  # the reminder at her /remind me time: one try...
    posted = [m.content for m in world.channel.history() if ana.mention in (m.content or "")]
    assert len(posted) == 1 and "couldn't reach you by DM" in posted[0]  # ...then the channel
    assert await world.bot().store.reminders.series_choices(occurrence.series_id) == {}


async def test_a_restart_30_seconds_before_a_due_reminder_sends_it_on_time_once(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    """The new process arms its timer from the store for the 30 s left, and the reminder goes
    out at its time, once. (Not 5 s before: under simcord a timer within its 5 s settle timeout
    keeps a real-time fallback, so `restart_bot` waited those 5 s in wall time and its own 5 s
    settle raced the timer; CI lost that race once. 30 s ahead is left to `advance_time`.)"""
    ana = world.members[0]
    occurrence = await schedule(world, when="in 2 days")
    await ana.subscribe_event(occurrence.event_id)
    await choose(ana, "2 hours before")
    due = occurrence.starts_at - 2 * 3600
    await advance_to(world, due - 30)
    assert not reminders(ana)
    await restart(world, settings, catalog)
    # Not early: anything sent by now was sent at the due time (virtual), never before it.
    assert all(m.created_at.timestamp() >= due for m in reminders(ana))
    await advance_to(world, due + 1)
    [reminder] = reminders(ana)
    assert due <= reminder.created_at.timestamp() < due + 1  # on time
    assert "2 hours before" in reminder.content
    await advance_to(world, occurrence.starts_at + 5)
    assert len(reminders(ana)) == 1  # once
    assert await world.bot().store.reminders.reminded(occurrence.id) == {ana.id}

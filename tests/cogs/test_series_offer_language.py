"""The offer of a member's own reminder time (the DM that pressing Interested brings) comes in the
language Discord last told Chorus for that member, not the server's: the client language kept
with their /remind me opt-in or with their last reminder-time choice; the server's when Chorus
knows none. The choice keeps its language too (for the reminder it brings, and for later
offers); /mydata shows it and /forget deletes it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.i18n import _
from tests.cogs.test_checkins import rows
from tests.cogs.test_private_languages import client_language, german_server
from tests.cogs.test_schedule import schedule
from tests.cogs.test_series_reminders import advance_to, reminders
from tests.conftest import World
from tests.responses import button_labels, reply_to

TITLE = {language: _("When should I remind you?", language) for language in ("de", "es")}


def offers(member: Any) -> list[Any]:
    """The DMs offering a reminder time, in any language."""
    return [
        m
        for m in member.user.dm_channel.history()
        if m.embeds and m.embeds[0].title in TITLE.values()
    ]


async def test_a_spanish_member_of_a_german_server_is_offered_a_time_in_spanish(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana, ben = world.members[:2]
    await german_server(world)
    occurrence = await schedule(world, when="in 3 days")
    client_language(monkeypatch, ana, "es-ES")
    client_language(monkeypatch, ben, "fr")  # a language Chorus lacks
    await ana.slash(world.channel, "remind me", state="on", minutes_before=15)
    for member in (ana, ben):
        await member.subscribe_event(occurrence.event_id)
    [spanish] = offers(ana)
    assert spanish.embeds[0].title == TITLE["es"], spanish.embeds[0].title
    assert "15 minutos antes" in (spanish.embeds[0].description or "")
    [german] = offers(ben)  # nothing known for ben: the server's German
    assert german.embeds[0].title == TITLE["de"], german.embeds[0].title


async def test_the_choice_keeps_the_language_for_its_reminder_and_the_next_offer(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana = world.members[0]
    await german_server(world)
    first = await schedule(world, title="Friday circle", when="in 3 days")
    second = await schedule(world, title="Monday circle", when="in 6 days")
    client_language(monkeypatch, ana, "es-ES")
    await ana.subscribe_event(first.event_id)
    # Nothing known yet (no /remind me, no choice): the server's German.
    [offer] = offers(ana)
    assert offer.embeds[0].title == TITLE["de"]
    labels = button_labels(offer)
    chosen = await ana.user.click(offer, label=labels[1])  # two hours before
    assert "2 horas antes" in str(reply_to(chosen).content), reply_to(chosen).content
    stored = await rows(world, "SELECT language FROM series_reminders WHERE user_id = ?", ana.id)
    assert [r[0] for r in stored] == ["es-ES"]

    # The next series' offer: the language of her last press.
    await ana.subscribe_event(second.event_id)
    # (The first offer now shows her choice, edited in the language of that press.)
    assert [o.embeds[0].title for o in offers(ana)] == [TITLE["es"], TITLE["es"]]
    assert "Monday circle" in (offers(ana)[-1].embeds[0].description or "")

    # The reminder her choice brings, sent without an interaction, is Spanish too.
    await advance_to(world, first.starts_at - 2 * 3600 + 5)
    [reminder] = reminders(ana)
    assert "2 horas antes" in reminder.content, reminder.content

    # /mydata shows it; /forget deletes it.
    exported = await ana.slash(world.channel, "mydata")
    [file] = reply_to(exported).attachments
    data = json.loads(await file.read())
    assert [r["language"] for r in data["series_reminders"]] == ["es-ES"], data
    forget = await ana.slash(world.channel, "forget")
    await ana.click(reply_to(forget).message, label=_("Delete my data", "es"))
    left = await rows(world, "SELECT language FROM series_reminders WHERE user_id = ?", ana.id)
    assert left == []

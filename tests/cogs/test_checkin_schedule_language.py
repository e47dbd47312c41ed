"""A DM sent later on a member's own request (a scheduled check-in, a /remind me reminder) comes in
the language their Discord client had when they asked, not the server's: there is no interaction
to read the language from when it is sent."""

from __future__ import annotations

import pytest

from tests.cogs.test_checkin_schedule import advance_to, agree, dms, schedule, utc
from tests.cogs.test_checkins import rows
from tests.cogs.test_private_languages import client_language, german_server
from tests.cogs.test_schedule import reminder_dms
from tests.cogs.test_schedule import schedule as schedule_session
from tests.conftest import World
from tests.responses import button_labels, reply_to


async def test_a_spanish_member_of_a_german_server_gets_the_dm_in_spanish(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana, ben = world.members[:2]
    await german_server(world)
    await agree(world, ana)
    await agree(world, ben)
    client_language(monkeypatch, ana, "es-ES")
    client_language(monkeypatch, ben, "fr")  # a language Chorus lacks: the server's
    said = await schedule(world, ana, days="mar, vie", time="19:00", timezone="Europe/Madrid")
    assert "mar, vie" in said, said  # the reply in Spanish, Spanish day names read
    await schedule(world, ben, days="daily", time="19:00", timezone="Europe/Madrid")
    stored = await rows(world, "SELECT user_id, language FROM checkin_schedules")
    assert {int(r[0]): r[1] for r in stored} == {ana.id: "es-ES", ben.id: "fr"}

    # Friday 2 January 2026, 19:00 in Madrid is 18:00 UTC.
    await advance_to(world, utc(2026, 1, 2, 18, 1))
    [spanish] = dms(ana)
    assert spanish.embeds[0].title == "¿Cómo estás hoy?"
    assert "Solo tú ves tu respuesta" in (spanish.embeds[0].description or "")
    labels = button_labels(spanish)
    assert "Aplazar 1 hora" in labels
    german = dms(ben)[-1]
    assert german.embeds[0].title == "Wie geht es dir heute?"

    # Set again from an English client: the next DMs follow.
    client_language(monkeypatch, ana, "en-US")
    await schedule(world, ana, days="daily", time="19:00", timezone="Europe/Madrid")
    await advance_to(world, utc(2026, 1, 3, 18, 1))
    assert dms(ana)[-1].embeds[0].title == "How are you today?"

    # /forget takes the row, its language with it.
    forget = await ana.slash(world.channel, "forget")
    await ana.click(reply_to(forget).message, label="Delete my data")
    left = await rows(world, "SELECT language FROM checkin_schedules WHERE user_id = ?", ana.id)
    assert left == []


async def test_a_remind_me_reminder_comes_in_the_member_s_language(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/remind me on from a Spanish client in a German server: the reminder DM, sent later
    without an interaction, is Spanish; a member whose client Chorus lacks gets German."""
    ana, ben = world.members[:2]
    await german_server(world)
    occurrence = await schedule_session(world, when="in 2 hours")
    client_language(monkeypatch, ana, "es-ES")
    client_language(monkeypatch, ben, "fr")
    for member in (ana, ben):
        await member.slash(world.channel, "remind me", state="on", minutes_before=15)
        await member.subscribe_event(occurrence.event_id)
    stored = await rows(world, "SELECT user_id, language FROM reminder_optins")
    assert {int(r[0]): r[1] for r in stored} == {ana.id: "es-ES", ben.id: "fr"}

    due = occurrence.starts_at - 15 * 60
    await world.env.advance_time(due - world.bot().clock().timestamp() + 5)
    [spanish] = reminder_dms(ana)
    assert "Pediste un recordatorio 15 min antes" in spanish.content, spanish.content
    [german] = reminder_dms(ben)
    assert "Du wolltest 15 Min. vor Sitzungen" in german.content, german.content

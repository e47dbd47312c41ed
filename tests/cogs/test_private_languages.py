"""Who reads which language outside the session flow, through the real bot and simcord.

Private replies (ephemeral answers, forms, refusals) are in the member's Discord client language
when Chorus ships it, else in the server's (`/setup language`); public texts (the server's Events
list) are in the server's.

simcord 3.2.1 has no per-member client language: `simcord/interactions.py` (`base_payload`, the
one function every slash command, click and form of an actor goes through) writes
``"locale": "en-US"`` into every interaction. `client_language` below wraps that function for
one member, so their interactions carry another locale, as Discord sends the locale of the client
a member uses (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object).
discord.py is untouched: it reads `interaction.locale` from the payload as from Discord.
"""

from __future__ import annotations

from typing import Any

import pytest
from simcord import interactions as simcord_interactions
from simcord.actors import MemberActor

from tests.conftest import World
from tests.responses import button_labels, fields_of, reply_to


def client_language(monkeypatch: pytest.MonkeyPatch, member: MemberActor, locale: str) -> None:
    """From now to the end of the test, `member`'s interactions carry Discord locale `locale`
    (``"fr"``, ``"es-ES"``...); everyone else's stay simcord's ``"en-US"``."""
    original = simcord_interactions.base_payload
    user_id = member.user.id

    def with_locale(*args: Any, **kwargs: Any) -> Any:
        record, payload = original(*args, **kwargs)
        if int(kwargs["user_id"]) == user_id:
            payload["locale"] = locale
        return record, payload

    monkeypatch.setattr(simcord_interactions, "base_payload", with_locale)


async def german_server(world: World) -> None:
    changed = await world.manager().slash(world.channel, "setup language", language="de")
    assert changed.ephemeral


async def test_private_replies_follow_the_server_language_for_a_client_chorus_lacks(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await german_server(world)
    manager, ana = world.manager(), world.members[0]
    # French clients: Chorus has no French, so the server's German is used.
    client_language(monkeypatch, manager, "fr")
    client_language(monkeypatch, ana, "fr")

    shown = await manager.slash(world.channel, "setup show")
    embed = reply_to(shown).embeds[0]
    assert shown.ephemeral and embed.title == "Chorus-Einstellungen für diesen Server"
    assert "Mitglieder mit **Server verwalten**" in (embed.description or "")
    assert any(name.startswith("Zeitzone") for name in fields_of(embed)), list(fields_of(embed))
    language = next(f for f in embed.fields if f.name == "Sprache")
    assert language.value == "Deutsch (de)"
    zone = await manager.slash(world.channel, "setup timezone", zone="Europe/Berlin")
    assert "Dort ist es jetzt" in reply_to(zone).content, reply_to(zone).content
    history = await manager.slash(world.channel, "setup history")
    assert reply_to(history).embeds[0].title == "Geänderte Einstellungen auf diesem Server"

    listed = await ana.slash(world.channel, "activity list")
    assert reply_to(listed).embeds[0].title == "Aktivitäten"
    goals = await ana.slash(world.channel, "goal list")
    assert reply_to(goals).embeds[0].title == "Deine Ziele"
    assert "Du hast keine aktiven Ziele" in (reply_to(goals).embeds[0].description or "")
    remind = await ana.slash(world.channel, "remind me", state="on")
    assert reply_to(remind).content.startswith("🔔 Erinnerungen sind an"), reply_to(remind).content
    upcoming = await ana.slash(world.channel, "session upcoming")
    assert reply_to(upcoming).embeds[0].title == "📅 Kommende Sitzungen"
    mydata = await ana.slash(world.channel, "mydata")
    assert reply_to(mydata).content.startswith("📦 Hier ist alles, was Chorus"), reply_to(
        mydata
    ).content
    forget = await ana.slash(world.channel, "forget")
    assert reply_to(forget).embeds[0].title == "Deine Daten löschen?"
    kept = await ana.click(reply_to(forget).message, label="Behalten")
    assert reply_to(kept).content == "Es wurde nichts gelöscht."

    # Refusals take the same way: core raised them in English msgids, the error path words them.
    refused = await manager.slash(world.channel, "setup timezone", zone="Mars/Base")
    assert refused.ephemeral
    assert reply_to(refused).content.startswith("Ich kenne die Zeitzone `Mars/Base` nicht."), (
        reply_to(refused).content
    )
    missing = await ana.slash(world.channel, "activity info", activity="no-such-thing")
    assert reply_to(missing).content == (
        "Es gibt keine Aktivität namens `no-such-thing`. /activity list zeigt alle."
    )


async def test_a_refusal_is_in_the_member_s_own_client_language(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await german_server(world)
    manager = world.manager()
    client_language(monkeypatch, manager, "es-ES")
    refused = await manager.slash(world.channel, "setup timezone", zone="Mars/Base")
    assert refused.ephemeral
    assert reply_to(refused).content == (
        "No conozco la zona horaria `Mars/Base`. Usa un nombre como `Europe/Madrid` o "
        "`America/Mexico_City` (elige una de las sugerencias)."
    )
    # The same server, a member whose client is English (simcord's default en-US): English.
    english = await world.members[0].slash(world.channel, "activity info", activity="nope")
    assert reply_to(english).content == (
        "There's no activity called `nope`. /activity list shows them all."
    )
    # A value a member typed goes back as typed, inside the translated sentence.
    goal = await world.members[0].slash(world.channel, "goal done", id=999)
    assert reply_to(goal).content == (
        "I can't find that goal of yours. See /goal list for your goals."
    )


async def test_the_server_event_is_written_in_the_server_language(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await german_server(world)
    # The facilitator's client is English: their private preview is English, the event German.
    shown = await world.facilitator.slash(
        world.channel, "session schedule create", title="Freitagskreis", when="friday 18:00"
    )
    assert reply_to(shown).content == "Here's the session. Does the time look right?"
    await world.facilitator.click(reply_to(shown).message, label="Confirm")
    [event] = world.env.backend.get_guild(world.guild.id).scheduled_events.values()
    assert event.name == "Freitagskreis"
    assert "Eine Chorus-Sitzung in #circle." in (event.description or ""), event.description
    assert "Interessiert" in (event.description or "")


async def test_a_scheduled_session_opens_in_the_server_language(world: World) -> None:
    await german_server(world)
    shown = await world.facilitator.slash(
        world.channel, "session schedule create", title="Freitagskreis", when="in 1 hour"
    )
    await world.facilitator.click(reply_to(shown).message, label="Confirm")
    [occurrence] = await world.bot().store.schedule.upcoming(world.guild.id, 10)
    await world.env.advance_time(occurrence.starts_at - world.bot().clock().timestamp() + 1)
    opening = world.channel.last_message
    assert opening is not None
    assert "**Freitagskreis** beginnt jetzt. Drück auf **Sitzung starten**" in opening.content, (
        opening.content
    )
    started = await world.facilitator.click(opening, label="Sitzung starten")
    assert reply_to(started).content == "▶ **Freitagskreis** hat begonnen."


# --------------------------------------------------------------------------------------------
# Texts whose function once defaulted to English (tests/i18n/test_locale_parameters.py keeps
# the kind out): each through the bot, the server German and the member's client German.
# --------------------------------------------------------------------------------------------


async def test_support_and_its_setup_preview_are_german(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await german_server(world)
    manager, ana = world.manager(), world.members[0]
    client_language(monkeypatch, manager, "de")
    client_language(monkeypatch, ana, "de")
    support = await ana.slash(world.channel, "support")
    assert support.ephemeral and reply_to(support).embeds[0].title == "Unterstützung"
    preview = await manager.slash(world.channel, "setup support")
    assert "**Vorschau** (nach einem niedrigen Check-in" in reply_to(preview).content
    care = reply_to(preview).embeds[0]
    assert care.title == "Danke, dass du ehrlich sagst, wie es dir geht"
    assert (care.description or "").startswith("Es klingt, als wäre heute ein schwerer Tag.")


async def test_the_history_chart_is_drawn_with_german_words(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chart is drawn in a child process: what reaches it is the title and the language
    its axis, legend and empty-chart words are looked up in."""
    from bot.ui import chart_worker

    drawn: list[tuple[Any, ...]] = []
    draw = chart_worker.draw

    def recording(name: str, *args: Any) -> bytes:
        drawn.append((name, *args))
        return draw(name, *args)

    monkeypatch.setattr(chart_worker, "draw", recording)
    await german_server(world)
    ana = world.members[0]
    client_language(monkeypatch, ana, "de")
    history = await ana.slash(world.channel, "checkin history")
    assert history.ephemeral
    assert reply_to(history).attachments[0].filename == "check-in-verlauf.png"
    # The embed shows the chart by the same, German, name.
    [embed] = reply_to(history).embeds
    assert embed.image.url == "attachment://check-in-verlauf.png"
    [(name, _points, _arrows, title, language)] = drawn
    assert name == "chart_drawing.trend_chart" and language == "de"
    assert "Tage" in title, title


async def test_the_scheduled_check_in_dm_and_its_answer_are_german(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.cogs.test_checkin_schedule import advance_to, dms, utc

    await german_server(world)
    ana = world.members[0]
    client_language(monkeypatch, ana, "de")
    asked = await ana.slash(world.channel, "checkin consent")
    await ana.click(reply_to(asked).message, label="Einverstanden")
    await ana.slash(
        world.channel, "checkin schedule set", days="daily", time="09:00", timezone="UTC"
    )
    await advance_to(world, utc(2026, 1, 1, 9, 1))
    [dm] = dms(ana)
    # The DM has no interaction: the server's language.
    assert dm.embeds[0].title == "Wie geht es dir heute?"
    assert "0 = sehr schlecht, 10 = sehr gut." in (dm.embeds[0].description or "")
    labels = button_labels(dm)
    assert "Passen" in labels, labels
    # The answer is a reply to the member (client German): the value, the note button, care.
    answered = await ana.user.click(dm, label="1")
    assert reply_to(answered).content == "🔒 Gespeichert: **1 von 10**. Nur du siehst es."
    note = button_labels(reply_to(answered).message)
    assert note == ["Notiz hinzufügen"], note
    care = [m for m in dms(ana) if m.embeds and m.embeds[0].title]
    assert care[-1].embeds[0].title == "Danke, dass du ehrlich sagst, wie es dir geht"


async def test_the_goal_consent_and_the_playlist_are_german(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await german_server(world)
    ana, facilitator = world.members[0], world.facilitator
    client_language(monkeypatch, ana, "de")
    asked = await ana.slash(world.channel, "goal set", text="besser schlafen")
    consent = reply_to(asked).embeds[0]
    assert (consent.description or "").startswith(
        "Deine persönlichen Ziele und deine Bewertungen für diesen Server speichern?"
    ), consent.description
    client_language(monkeypatch, facilitator, "de")
    await facilitator.slash(world.channel, "session start", title="Kreis")
    playlist = await ana.slash(world.channel, "listen playlist")
    shown = reply_to(playlist).embeds[0]
    assert shown.title == "🎵 Playlist · Kreis"
    assert shown.description == "Hier ist noch nichts. Füge mit `/listen suggest` einen Song hinzu."

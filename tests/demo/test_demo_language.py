"""`chorus demo --language de`: the scripted session in German (the German screenshot set is
tests/demo/test_screenshots.py's)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.cli import build_parser
from tests.cogs.test_session_languages import english_in, english_msgids, message_texts
from tests.demo.test_script import base_settings


def _german_lines() -> tuple[str, ...]:
    from bot.demo.words import WORDS

    return WORDS["de"].lines


def public_texts(channel_history: list[discord.Message]) -> list[str]:
    return [text for message in channel_history for text in message_texts(message)]


def without_people_s_words(texts: list[str], language: str = "de") -> list[str]:
    """The bot's words only: the simulated members' lines, reflections and titles (they write
    German in a German demo, but they are theirs), the server's own channel names and support
    text (the demo server's own, in German) taken out."""
    from bot.demo import own_chorus
    from bot.demo.words import WORDS
    from bot.demo.world import world_names
    from bot.i18n import gettext

    words = WORDS[language]
    theirs = [
        *words.lines,
        *words.reflections,
        *words.titles,
        *words.rounds,
        world_names(language).voice,
        gettext(own_chorus.DEMO_SUPPORT, language),
    ]
    cleaned = []
    for text in texts:
        for phrase in sorted(theirs, key=len, reverse=True):
            text = text.replace(phrase, " ")
        cleaned.append(text)
    return cleaned


async def test_the_scripted_session_runs_in_german(tmp_path: Path) -> None:
    from bot.core.activity_builder import step_forms
    from bot.demo.script import TRANSLATED_SCRIPT, run_script
    from bot.demo.world import demo_settings, start_world

    settings = demo_settings(
        tmp_path / "demo.db", base=base_settings(tmp_path), board_edit_interval=0
    )
    world = await start_world(settings, language="de")
    shots: dict[str, list[str]] = {}
    private: dict[str, list[str]] = {}

    async def shoot(name: str, viewer: Any) -> None:
        shots[name] = public_texts(world.channel.history())
        if viewer is not None:
            # What only the viewer sees (the facilitator's private replies): in the shot too.
            seen = world.channel.history(viewer=viewer)
            private[name] = public_texts([m for m in seen if m.flags.ephemeral])

    try:
        report = await run_script(world, seed=7, shoot=shoot)
        history = world.channel.history()
        errors = list(world.env.errors)
    finally:
        await world.close()
    assert not errors, errors
    assert report.skipped == {} and report.activities == list(TRANSLATED_SCRIPT)
    assert report.missing == [], f"steps without their message: {report.missing}"
    assert report.session_title == "Donnerstagskreis"
    # The German titles of the steps were found on their cards.
    shown = {s.title for s in report.steps}
    assert {"Die Wahl der Gruppe", "Strophe und Refrain", "Hat es geholfen?"} <= shown
    titles = [e.title for m in history for e in m.embeds]
    assert "Was wir geteilt haben" in titles and "🎶 Song Nr. 1" in titles
    # The simulated members write German in a German demo (the song sheet holds their lines).
    public = public_texts(history)
    assert any(line in text for text in public for line in _german_lines())
    assert report.summary is not None
    summary = report.summary.embeds[0]
    assert summary.title == "🌙 Donnerstagskreis: Zusammenfassung der Sitzung"
    fields = {f.name: f.value for f in summary.fields}
    assert fields["Teilnahme"] == "5 Personen"
    assert report.report is not None and report.report.startswith("Bericht: ")
    # Every picture would show German: no English text of the catalogue anywhere in public
    # (the simulated members write their own words in English; those are theirs).
    msgids = english_msgids()
    assert {"01-session-board", "03-listening", "07-session-summary"} <= set(shots)
    for name, texts in shots.items():
        wrong = english_in(without_people_s_words(texts), msgids)
        assert not wrong, f"{name}: " + "\n".join(wrong)
    # The facilitator's own words in the shots of their own Chorus (the support text, an
    # activity file they upload, the activity they start writing) are German too: no English
    # sentence, of the catalogue or not, in what the facilitator sees.
    assert {"09-setup-support", "10-upload-errors", "11-activity-new"} <= set(private)
    for name in ("09-setup-support", "10-upload-errors", "11-activity-new"):
        # An activity file's keys and step types are the format's words in every language
        # (`steps[0]`, `type: listen`; the builder lists the types as a file names them).
        keys = [
            re.sub(r"\b(steps|duration_minutes)\b", " ", t)
            for t in private[name]
            if t not in step_forms()
        ]
        wrong = english_in(without_people_s_words(keys), msgids)
        assert not wrong, f"{name}: " + "\n".join(wrong)
    typed = [t for name in ("10-upload-errors", "11-activity-new") for t in private[name]]
    assert any("abendausklang" in t.lower() for t in typed), [t for t in typed if "`" in t]
    assert any("Unser Ankommen" in t for t in typed), typed


async def test_a_spanish_facilitator_s_own_words_are_spanish(tmp_path: Path) -> None:
    """The shots of the server's own Chorus in a Spanish demo: the support text, the activity
    file uploaded and the activity begun are the facilitator's Spanish words, and nothing in
    what the facilitator sees there is English."""
    from bot.core.activity_builder import step_forms
    from bot.demo.own_chorus import OWN_WORDS
    from bot.demo.script import run_script
    from bot.demo.world import demo_settings, start_world

    settings = demo_settings(
        tmp_path / "demo.db", base=base_settings(tmp_path), board_edit_interval=0
    )
    world = await start_world(settings, language="es")
    private: dict[str, list[str]] = {}

    async def shoot(name: str, viewer: Any) -> None:
        if viewer is not None:
            seen = world.channel.history(viewer=viewer)
            private[name] = public_texts([m for m in seen if m.flags.ephemeral])

    try:
        await run_script(world, seed=7, shoot=shoot)
    finally:
        await world.close()
    msgids = english_msgids()
    for name in ("09-setup-support", "10-upload-errors", "11-activity-new"):
        keys = [
            re.sub(r"\b(steps|duration_minutes)\b", " ", t)
            for t in private[name]
            if t not in step_forms()
        ]
        wrong = english_in(without_people_s_words(keys, "es"), msgids)
        assert not wrong, f"{name}: " + "\n".join(wrong)
    typed = " ".join(t for name in ("10-upload-errors", "11-activity-new") for t in private[name])
    assert OWN_WORDS["es"].file_id in typed and OWN_WORDS["es"].new_title in typed, typed


def test_the_language_option() -> None:
    assert build_parser().parse_args(["demo"]).language == "en"
    assert build_parser().parse_args(["demo", "--language", "es"]).language == "es"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["demo", "--language", "fr"])


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("de", ("Chorus-Demo", "kreis", "Hörraum", "Facilitator", "Serverinhaber")),
        (
            "es",
            (
                "Demo de Chorus",
                "círculo",
                "Sala de escucha",
                "Facilitator",
                "Propietario del servidor",
            ),
        ),
    ],
)
async def test_the_demo_world_is_named_in_the_demo_language(
    tmp_path: Path, language: str, names: tuple[str, ...]
) -> None:
    """`chorus demo --language de|es`: the server, its channels and roles, the channel's topic
    and the server's support text are the catalogue's words, not the English world's."""
    from bot.demo.own_chorus import DEMO_LINKS, DEMO_SUPPORT
    from bot.demo.world import (
        CHANNEL_NAME,
        CHANNEL_TOPIC,
        GUILD_NAME,
        OWNER_ROLE_NAME,
        VOICE_NAME,
        demo_settings,
        start_world,
        world_names,
    )
    from bot.i18n import gettext

    settings = demo_settings(tmp_path / "demo.db", base=base_settings(tmp_path))
    world = await start_world(settings, real_time=False, language=language)
    try:
        # What the bot sees of the server, as discord.py built it from simcord's gateway.
        guild = world.bot.get_guild(world.guild.id)
        assert guild is not None
        channel = guild.get_channel(world.channel.id)
        assert isinstance(channel, discord.TextChannel)
        shown = (guild.name, channel.name, world.voice.name, world.role.name)
        roles = [role.name for role in guild.roles]
        topic = channel.topic
    finally:
        await world.close()
    assert shown == names[:4]
    assert names[4] in roles
    # The facilitator role keeps the settings' name (ROLE_NAME), as a real server's would.
    english = {CHANNEL_NAME, VOICE_NAME, GUILD_NAME, OWNER_ROLE_NAME, CHANNEL_TOPIC}
    assert not english & {*shown, *roles, topic}
    assert topic == world_names(language).topic != CHANNEL_TOPIC
    assert gettext(DEMO_SUPPORT, language) != DEMO_SUPPORT
    assert gettext(DEMO_LINKS, language) != DEMO_LINKS

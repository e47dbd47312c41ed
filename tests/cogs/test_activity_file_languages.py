"""A facilitator reads what is wrong with their activity file in their own language.

Through the real bot and simcord: a facilitator whose Discord client is German (or Spanish)
uploads broken files, one per kind of mistake, and every reply names the file, the line and
column, and the field as the file writes it, with the problem worded in German (Spanish) from
the catalogue; no English sentence of the validator, and none of pydantic's or PyYAML's own
words, reaches them. The same file checked on the command line stays English (tests/core).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import translations
from bot.settings import Settings
from tests.cogs.test_library import OUR_CIRCLE, followup_text, upload
from tests.conftest import World
from tests.fakes.client_locale import client_locales
from tests.responses import reply_to


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    """The usual test settings (tests/conftest.py) plus a folder of the operator's own activity
    files (empty until a test writes one), which /activity reload reads."""
    (tmp_path / "own").mkdir()
    own = (*settings.activities_dirs, tmp_path / "own")
    return settings.model_copy(update={"activities_dirs": own})


# ---------------------------------------------------------------------------------------------
# One broken file per kind of mistake: (file name, text, [(line:column, field, worded problem)])
# ---------------------------------------------------------------------------------------------

SYNTAX = "id: x\ntags: [calm, slow\nsummary: hi\n"
UNKNOWN_FIELD = OUR_CIRCLE.replace("title: Our circle", "titel: Our circle")
WRONG_TYPE = OUR_CIRCLE.replace("duration_minutes: 5", "duration_minutes: five")
MISSING_FIELD = OUR_CIRCLE.replace("summary: A short circle of our own.\n", "")
OUT_OF_RANGE = OUR_CIRCLE.replace("duration_minutes: 5", "duration_minutes: 500")
ALIAS = OUR_CIRCLE.replace("title: Our circle", "title: &name Our circle").replace(
    "    title: Welcome to our circle", "    title: *name"
)
NESTING = OUR_CIRCLE + "audience_notes: " + "[" * 30 + "]" * 30 + "\n"
UNKNOWN_KIND = OUR_CIRCLE.replace("type: prompt", "type: promt")
NULL_TITLE = OUR_CIRCLE.replace("title: Our circle", "title:")
DURATION = OUR_CIRCLE.replace(
    "    text: Take a breath", "    time_limit: 5h\n    text: Take a breath"
)

GERMAN: list[tuple[str, str, list[str]]] = [
    (
        "syntax.yaml",
        SYNTAX,
        [
            "`2:7` YAML-Syntax: das hier geöffnete '[' wird nie geschlossen (gefunden wurde "
            "'summary' bei 3:8, wo ',' oder ']' erwartet wurde)"
        ],
    ),
    (
        "unknown-field.yaml",
        UNKNOWN_FIELD,
        [
            "`2:1` titel: unbekanntes Feld 'titel' (meintest du 'title'?)",
            "`1:1` title: Pflichtfeld fehlt",
        ],
    ),
    (
        "wrong-type.yaml",
        WRONG_TYPE,
        ['`5:19` duration_minutes: erwartet wird eine ganze Zahl; gefunden: "five"'],
    ),
    ("missing-field.yaml", MISSING_FIELD, ["`1:1` summary: Pflichtfeld fehlt"]),
    (
        "out-of-range.yaml",
        OUT_OF_RANGE,
        ["`5:19` duration_minutes: darf höchstens 240 sein; gefunden: 500"],
    ),
    (
        "duration.yaml",
        DURATION,
        ["`9:17` steps[0].time_limit: erwartet wird eine Dauer zwischen 10s und 3h; gefunden: 5h"],
    ),
    (
        "alias.yaml",
        ALIAS,
        [
            "`8:12` YAML-Syntax: Aliase (*name) sind in Aktivitätsdateien nicht erlaubt; "
            "schreib den Wert vollständig aus"
        ],
    ),
    (
        "nesting.yaml",
        NESTING,
        ["YAML-Syntax: die Verschachtelung ist tiefer als 24 Ebenen"],
    ),
    (
        "unknown-kind.yaml",
        UNKNOWN_KIND,
        ["steps[0].type: erwartet wird eins von", "; gefunden: \"promt\" (meintest du 'prompt'?)"],
    ),
    (
        "null-title.yaml",
        NULL_TITLE,
        [
            "`2:7` title: erwartet wird Text: eine Zeichenkette oder eine Zuordnung von Sprache "
            "zu Text wie {en: ..., de: ...}; gefunden: nichts (null)"
        ],
    ),
]

SPANISH: list[tuple[str, str, list[str]]] = [
    (
        "unknown-field.yaml",
        UNKNOWN_FIELD,
        [
            "`2:1` titel: campo desconocido 'titel' (¿querías decir 'title'?)",
            "`1:1` title: falta un campo obligatorio",
        ],
    ),
    (
        "wrong-type.yaml",
        WRONG_TYPE,
        ['`5:19` duration_minutes: se esperaba un número entero; hay "five"'],
    ),
    (
        "syntax.yaml",
        SYNTAX,
        ["`2:7` sintaxis YAML: el '[' abierto aquí nunca se cierra"],
    ),
    (
        "unknown-kind.yaml",
        UNKNOWN_KIND,
        ["steps[0].type: se esperaba uno de", "; hay \"promt\" (¿querías decir 'prompt'?)"],
    ),
]


def english_sentences() -> list[str]:
    """The English text around the placeholders of every activity-file problem in the
    catalogue: none of it may appear in a reply to a German or Spanish reader."""
    from bot.catalogue_tool import code_messages

    parts: set[str] = set()
    for message, _context in code_messages():
        for text in message if isinstance(message, tuple) else (message,):
            if translations("de").gettext(text) == text:
                continue  # the same in every language ("{field}: {problem}")
            for part in re.split(r"\{[^}]*\}", text):
                part = part.strip(" ;:.,()'\"")
                if len(part) >= 12:
                    parts.add(part)
    return sorted(parts)


def problem_lines(result: Any) -> str:
    """The reply's text with its embeds' footers (where the card explains line:column)."""
    footers = [
        embed.footer.text or ""
        for message in [result.response, *(getattr(result, "followups", None) or [])]
        if message is not None
        for embed in message.embeds
    ]
    return "\n".join([followup_text(result), *footers])


async def facilitator_reads(world: World, monkeypatch: pytest.MonkeyPatch, locale: str) -> None:
    client_locales(monkeypatch, {world.facilitator.user.id: locale})


@pytest.mark.parametrize(("name", "text", "expected"), GERMAN, ids=[g[0] for g in GERMAN])
async def test_a_german_facilitator_reads_every_problem_of_a_broken_file_in_german(
    world: World, monkeypatch: pytest.MonkeyPatch, name: str, text: str, expected: list[str]
) -> None:
    await facilitator_reads(world, monkeypatch, "de")
    refused = await upload(world, text, name)
    shown = problem_lines(refused)
    assert refused.ephemeral
    # The card: the file named in its title, every problem at line:column and field.
    assert re.search(rf"{re.escape(name)} wurde nicht gespeichert: \d+ Problem", shown), shown
    for line in expected:
        assert line in shown, f"{line!r} not in:\n{shown}"
    assert "Zeile:Spalte" in shown, shown
    english = [part for part in ENGLISH if part in shown]
    assert not english, f"English in a German reply: {english}\n{shown}"
    assert world.bot().library.own_ids(world.guild.id) == []


@pytest.mark.parametrize(("name", "text", "expected"), SPANISH, ids=[s[0] for s in SPANISH])
async def test_a_spanish_facilitator_reads_them_in_spanish(
    world: World, monkeypatch: pytest.MonkeyPatch, name: str, text: str, expected: list[str]
) -> None:
    await facilitator_reads(world, monkeypatch, "es-ES")
    refused = await upload(world, text, name)
    shown = problem_lines(refused)
    assert f"{name} no se guardó" in shown, shown
    for line in expected:
        assert line in shown, f"{line!r} not in:\n{shown}"
    english = [part for part in ENGLISH if part in shown]
    assert not english, f"English in a Spanish reply: {english}\n{shown}"


async def test_the_attached_list_of_many_problems_is_german_too(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await facilitator_reads(world, monkeypatch, "de")
    many = OUR_CIRCLE + "".join(f"unknown_{n}: x\n" for n in range(60))
    refused = await upload(world, many, "many.yaml")
    message = refused.response or refused.followups[0]
    attached = [m for m in [refused.response, *refused.followups] if m and m.attachments]
    assert attached, followup_text(refused)
    assert attached[0].attachments[0].filename == "probleme.txt"
    text = (await attached[0].attachments[0].read()).decode("utf-8")
    assert (
        "many.yaml:10:1: unknown_0: unbekanntes Feld 'unknown_0'; erwartet wird eins von id, "
        "title, summary" in text
    ), text
    assert "... und 30 weitere Fehler" in text, text
    assert message is not None


async def test_the_builder_refuses_a_step_in_the_facilitators_language(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await facilitator_reads(world, monkeypatch, "de")
    started = await world.facilitator.slash(
        world.channel,
        "activity new",
        id="our-start",
        title="Our start",
        summary="A gentle start for our group.",
        minutes=10,
    )
    draft = reply_to(started).message
    shown = await world.facilitator.select(draft, ["checkin"])
    refused = await world.facilitator.submit_modal(
        shown, {"title": "Arriving", "question": "How?", "scale": "1-50"}
    )
    text = followup_text(refused)
    assert "steps[0].scale: erwartet wird eins von 0-10, 1-5, sam" in text, text
    assert '; gefunden: "1-50"' in text, text
    english = [part for part in ENGLISH if part in text]
    assert not english, f"English in a German reply: {english}\n{text}"


async def test_reload_names_a_broken_file_on_the_machine_in_german(
    world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    await facilitator_reads(world, monkeypatch, "de")
    (tmp_path / "own" / "evening.yaml").write_text(UNKNOWN_KIND, encoding="utf-8")
    reloaded = await world.facilitator.slash(world.channel, "activity reload")
    text = followup_text(reloaded)
    assert "evening.yaml:7:11: steps[0].type: erwartet wird eins von" in text, text
    assert "(meintest du 'prompt'?)" in text, text
    english = [part for part in ENGLISH if part in text]
    assert not english, f"English in a German reply: {english}\n{text}"


ENGLISH = english_sentences()

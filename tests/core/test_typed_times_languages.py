"""Days and times typed in German and Spanish: the examples a refusal offers in each language are
ones the parser reads, and weekday names come from Babel's CLDR data for every shipped language."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.checkin_reminders import parse_days
from bot.core.errors import InvalidInput
from bot.core.typed_times import EXAMPLES, parse_when
from bot.i18n import SHIPPED, gettext

BERLIN = ZoneInfo("Europe/Berlin")
# Thursday 1 January 2026, 11:00 in Berlin.
NOW = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)


def local(text: str) -> str:
    return parse_when(text, NOW, BERLIN).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("freitag 18:00", "2026-01-02 18:00"),
        ("Fr. 18:00", "2026-01-02 18:00"),
        ("am Freitag um 18:00", "2026-01-02 18:00"),
        ("morgen 19:00", "2026-01-02 19:00"),
        ("heute 18:30", "2026-01-01 18:30"),
        ("in 2 Stunden", "2026-01-01 13:00"),
        ("in einer Stunde", "2026-01-01 12:00"),
        ("in 3 Tagen", "2026-01-04 11:00"),
        ("viernes 18:00", "2026-01-02 18:00"),
        ("el viernes a las 18:00", "2026-01-02 18:00"),
        ("vie 18:00", "2026-01-02 18:00"),
        ("miércoles 18:00", "2026-01-07 18:00"),
        ("miercoles 18:00", "2026-01-07 18:00"),
        ("mañana 19:00", "2026-01-02 19:00"),
        ("hoy 18:30", "2026-01-01 18:30"),
        ("en 2 horas", "2026-01-01 13:00"),
        ("en 3 días", "2026-01-04 11:00"),
        ("27. März 18:00", "2026-03-27 18:00"),
        ("27 marz 18:00", "2026-03-27 18:00"),
        ("Fr. 27. März 18:00", "2026-03-27 18:00"),
        ("27 de marzo 18:00", "2026-03-27 18:00"),
        ("viernes 27 de marzo a las 18:00", "2026-03-27 18:00"),
        ("3 mayo 18:00", "2026-05-03 18:00"),
        # "mar" is Spanish Tuesday but has always been March here: the month wins.
        ("27 mar 18:00", "2026-03-27 18:00"),
    ],
)
def test_german_and_spanish_days_and_times(text: str, expected: str) -> None:
    assert local(text) == expected


@pytest.mark.parametrize("language", SHIPPED)
def test_every_example_a_refusal_offers_is_one_the_parser_reads(language: str) -> None:
    examples = gettext(EXAMPLES, language)
    found = re.findall(r"`([^`]+)`", examples)
    assert len(found) == 4, examples
    for example in found:
        parse_when(example, NOW, BERLIN)  # raises InvalidInput if it can't be read


def test_the_examples_are_listed_in_the_reader_s_language() -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_when("", NOW, BERLIN)
    assert raised.value.text("de") == (
        "Sag, wann, zum Beispiel `freitag 18:00`, `morgen 19:00`, `in 2 stunden` oder "
        "`2026-03-27 18:00`."
    )
    assert " o `2026-03-27 18:00`" in raised.value.text("es")
    assert "`viernes 18:00`" in raised.value.text("es")
    assert " or " not in raised.value.text("es") and " or " not in raised.value.text("de")


def test_checkin_days_in_german_and_spanish() -> None:
    tue_fri = (1 << 1) | (1 << 4)
    assert parse_days("di, fr") == tue_fri
    assert parse_days("Dienstag und Freitag") == tue_fri
    assert parse_days("mar, vie") == tue_fri
    assert parse_days("martes y viernes") == tue_fri
    assert parse_days("werktags") == parse_days("laborables") == parse_days("weekdays")
    assert parse_days("täglich") == parse_days("diario") == 127
    assert parse_days("mi") == parse_days("mié") == 1 << 2  # Mittwoch and miércoles agree
    with pytest.raises(InvalidInput):
        parse_days("do")  # Donnerstag or domingo: ambiguous, so refused

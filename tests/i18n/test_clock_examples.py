"""German and Spanish readers use the 24-hour clock: no example in their catalogues is a
12-hour time such as `7pm` (the English texts keep theirs; Chorus still reads `7pm` typed in any
language). The examples they give instead are times Chorus reads."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from bot.core.checkin_reminders import parse_time
from bot.i18n import catalogue_path

TWELVE_HOUR = re.compile(r"\b\d{1,2}(?::\d{2})?\s?(?:[ap]\.?\s?m\b\.?)", re.IGNORECASE)
"""A 12-hour clock time: 7pm, 7 pm, 7:30am, 7 p.m."""

CLOCK = re.compile(r"[`'](\d{1,2}:\d{2})[`']")
"""A quoted 24-hour example: `19:00`, '07:30'."""


def translations(language: str) -> list[str]:
    with catalogue_path(language).open("rb") as po:
        entries = [m for m in read_po(po, locale=language) if m.id]
    texts: list[str] = []
    for entry in entries:
        texts += (
            list(entry.string) if isinstance(entry.string, tuple | list) else [entry.string or ""]
        )
    return texts


@pytest.mark.parametrize("language", ["de", "es"])
def test_no_german_or_spanish_text_gives_a_12_hour_example(language: str) -> None:
    found = [text for text in translations(language) if TWELVE_HOUR.search(text)]
    assert not found, found


@pytest.mark.parametrize("language", ["de", "es"])
def test_the_24_hour_examples_are_times_chorus_reads(language: str) -> None:
    examples = {m for text in translations(language) for m in CLOCK.findall(text)}
    assert {"19:00", "07:30"} <= examples, examples
    for example in examples:
        parse_time(example)  # raises InvalidInput for a time it can't read


def test_the_check_finds_12_hour_times() -> None:
    for text in ("`7pm`", "'7 pm'", "7:30am", "um 7 p.m."):
        assert TWELVE_HOUR.search(text), text
    for text in ("`19:00`", "07:30", "Mittwoch 18:00", "am Freitag"):
        assert not TWELVE_HOUR.search(text), text

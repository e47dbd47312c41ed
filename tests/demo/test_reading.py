"""How the simulated members read the cards: the catalogue's sentences as patterns in the
server's language, with the writer or speaker found whether mentioned or named."""

from __future__ import annotations

from bot.demo.reading import read_as, reading
from bot.i18n import gettext


def test_a_sentence_is_read_in_the_servers_language_with_its_fields_as_groups() -> None:
    blank = read_as("Blank {number} of {count}", "de")
    assert blank.fullmatch("Lücke 2 von 3")
    assert not blank.fullmatch("Blank 2 of 3")
    # Any other text of the sentence is taken literally (a dot is a dot, not any character).
    floor = read_as("🎤 {speaker} has the floor now.", "en", speaker=r"(\w+)")
    assert not floor.search("🎤 ana has the floor nowX")
    found = floor.search("Then: 🎤 ana has the floor now.")
    assert found is not None and found[1] == "ana"


def test_the_members_find_the_speaker_mentioned_or_named_in_each_language() -> None:
    for language in ("en", "de", "es"):
        cards = reading(language)
        sentence = gettext("🎤 {speaker} has the floor now.", language)
        mentioned = cards.speakers[0].search(sentence.format(speaker="<@42>"))
        named = cards.speakers[0].search(sentence.format(speaker="**Ana**"))
        assert mentioned is not None and mentioned[1] == "42", language
        assert named is not None and named[2] == "Ana", language


def test_the_end_of_a_breathing_pattern_is_read_as_a_timestamp() -> None:
    card = gettext(
        "Together, the pattern runs from {start} to {end}. Go at your own pace.", "es"
    ).format(start="<t:100:t>", end="<t:160:t>")
    found = reading("es").pattern_end.search(card)
    assert found is not None and found[1] == "160"

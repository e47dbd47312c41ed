"""The syllable counter and the rhyme help are English: other languages get a plain "not known"."""

from __future__ import annotations

from bot.core.rhymes import suggest
from bot.core.syllables import count_line, supports


def test_lines_are_counted_in_english_only() -> None:
    assert count_line("the river runs home", "en") == 5
    assert count_line("the river runs home", "en-GB") == 5
    # "Der Fluss fließt heim" would count as English spelling otherwise: no number at all.
    assert count_line("Der Fluss fließt heim", "de") is None
    assert count_line("El río vuelve a casa", "es") is None
    assert supports("en_US") and not supports("de-AT")


def test_rhymes_are_not_suggested_for_another_language() -> None:
    english = suggest("home", 24, "en")
    assert english.supported and "dome" in english.perfect
    german = suggest("Herz", 24, "de")
    assert not german.supported and german.perfect == () and german.near == ()
    assert german.word == "herz"

"""Rhymes for songwriters from the CMU dictionary, spelling for unknown words (bot/core/rhymes.py)."""

from __future__ import annotations

import pytest

from bot.core.rhymes import last_word, lines_rhyme, rhyme_kind, suggest


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        ("Home", "home", "identical"),
        ("home", "roam", "perfect"),  # spelt differently, sound the same
        ("night", "light", "perfect"),
        ("home", "hope", "near"),  # the same stressed vowel
        ("love", "moon", None),
        ("blorptastic", "zoomtastic", "perfect"),  # unknown words: their endings
        ("", "home", None),
    ],
)
def test_how_two_words_rhyme(a: str, b: str, kind: str | None) -> None:
    assert rhyme_kind(a, b) == kind


def test_lines_rhyme_on_their_last_words_not_on_punctuation_or_numbers() -> None:
    assert last_word("I'm flying'") == "flying"
    assert last_word("...") == ""
    assert lines_rhyme("I walked back home,", "and let it roam 2") == "perfect"


def test_suggestions_are_everyday_words_and_only_for_english() -> None:
    home = suggest("home", 10, "en")
    assert home.known and home.supported
    assert "roam" in home.perfect and "home" not in home.perfect
    assert home.near and not set(home.near) & set(home.perfect)
    assert all(word.isalpha() and word.islower() and len(word) > 2 for word in home.perfect)
    german = suggest("Haus", 10, "de")
    assert not german.supported and german.perfect == german.near == ()
    unknown = suggest("qwxz", 24, "en")
    assert unknown.supported and not unknown.known and unknown.perfect == ()

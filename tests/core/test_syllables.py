"""Syllable counting on a fixed word list, and the estimate for words the dictionary lacks."""

import pytest

from bot.core.pronunciations import phones_for_word
from bot.core.syllables import count_syllables, estimate, word_syllables

KNOWN = {
    "home": 1,
    "river": 2,
    "beautiful": 3,
    "morning": 2,
    "tomorrow": 3,
    "everything": 3,
    "fire": 2,  # the first pronunciation: F AY1 ER0
    "gratitude": 3,
    "I'm": 1,
    "don't": 1,
    "remember": 3,
    "the": 1,
}


@pytest.mark.parametrize(("word", "count"), sorted(KNOWN.items()))
def test_dictionary_words(word: str, count: int) -> None:
    assert phones_for_word(word), f"{word} is in the CMU dictionary"
    assert word_syllables(word) == count


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("blorptastic", 3),
        ("zoomtastic", 3),
        ("glimmerlake", 3),
        ("snackle", 2),
        ("wanted", 2),
        ("12", 2),
    ],
)
def test_estimates_for_unknown_words(word: str, count: int) -> None:
    assert estimate(word) == count


def test_unknown_words_are_estimated_not_zero() -> None:
    assert phones_for_word("qwxz") == []
    assert word_syllables("qwxz") == 1


def test_whole_lines() -> None:
    assert count_syllables("For some reason I'm feeling tired") == 9
    assert count_syllables("Woke up this morning, the kettle was broken") == 11
    assert count_syllables("") == 0
    assert count_syllables("…!?") == 0

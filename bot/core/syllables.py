"""Syllable counts for lyric lines: the CMU pronouncing dictionary, with an estimate for the rest.

Counts are help, not gatekeeping: they are shown beside each line and only enforced when a
write step sets a `syllables` range and `strict: true`.

The dictionary and the spelling rules are English: for any other language ``count_line`` says
so (None) rather than counting German or Spanish words as if they were English.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.core import pronunciations as pronouncing

_WORD = re.compile(r"[A-Za-z\u00C0-\u024F']+|\d+")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_NUMBER_WORDS = {
    "0": 2,  # zero
    "1": 1,
    "2": 1,
    "3": 1,
    "4": 1,
    "5": 1,
    "6": 1,
    "7": 2,  # seven
    "8": 1,
    "9": 1,
}


def words(text: str) -> list[str]:
    """The words of a line (letters and apostrophes), digits kept as their own words."""
    return _WORD.findall(text)


def estimate(word: str) -> int:
    """A spelling-based guess for words the dictionary doesn't know (names, slang, typos)."""
    w = word.lower().strip("'")
    if not w:
        return 0
    if w.isdigit():
        return sum(_NUMBER_WORDS.get(d, 1) for d in w) if len(w) <= 2 else len(w)
    w = re.sub(r"[^a-z]", "", _fold_accents(w))
    if not w:
        return 1
    count = len(_VOWEL_GROUPS.findall(w))
    # A silent final e ("hope"), but not "-le" after a consonant ("little") or a lone "e" ("the").
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    elif w.endswith("le") and len(w) > 2 and w[-3] not in "aeiouy" and count == 1:
        count += 1
    # "-ed" is usually silent except after t/d ("wanted", "needed").
    if w.endswith("ed") and len(w) > 3 and w[-3] not in "td" and count > 1:
        count -= 1
    # "-es" is usually silent except after sibilants ("roses", "wishes").
    if (
        w.endswith("es")
        and len(w) > 3
        and not w.endswith(("ses", "zes", "ches", "shes", "ges", "xes"))
        and count > 1
    ):
        count -= 1
    return max(1, count)


def _fold_accents(word: str) -> str:
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", word) if unicodedata.category(ch) != "Mn"
    )


@lru_cache(maxsize=4096)
def word_syllables(word: str) -> int:
    """Syllables in one word: the dictionary's first pronunciation, else an estimate."""
    lookup = word.lower().strip("'")
    if not lookup:
        return 0
    phones = pronouncing.phones_for_word(lookup)
    if phones:
        return int(pronouncing.syllable_count(phones[0]))
    if lookup.endswith("'s") and (base := pronouncing.phones_for_word(lookup[:-2])):
        return int(pronouncing.syllable_count(base[0]))
    return estimate(lookup)


def count_syllables(text: str) -> int:
    """Syllables in a whole line of English."""
    return sum(word_syllables(w) for w in words(text))


LANGUAGES = frozenset({"en"})
"""Languages the counter knows (the CMU dictionary is American English)."""


def supports(language: str) -> bool:
    """Whether syllables can be counted in ``language`` (``"en"``, ``"en-GB"``, ``"de"``...)."""
    return language.replace("_", "-").split("-")[0].lower() in LANGUAGES


def count_line(text: str, language: str) -> int | None:
    """Syllables in a line in ``language``, or None when the counter doesn't know the language."""
    return count_syllables(text) if supports(language) else None


def warm_up() -> None:
    """Load the CMU dictionary now (about 1 s): called once at start-up, off the event loop,
    so the first lyric line isn't the one that waits for it."""
    pronouncing.load()
    count_syllables("warm up")

"""The compact CMU dictionary answers exactly what `pronouncing` answers, for what Chorus asks."""

from __future__ import annotations

import threading

import pronouncing
import pytest

from bot.core import pronunciations
from bot.core.pronunciations import Dictionary


def test_every_word_has_the_same_pronunciations() -> None:
    pronouncing.init_cmu()
    assert pronouncing.lookup is not None
    words = sorted(pronouncing.lookup)
    assert len(pronunciations.load()) == sum(len(p) for p in pronouncing.lookup.values())
    for word in words[::37]:  # ~3,600 words spread over the alphabet
        assert pronunciations.phones_for_word(word) == pronouncing.phones_for_word(word), word
    for word in ("Permit", "HOPE", "a", "zzzzqx", "", "o'brien", "aaa", "zywicki"):
        assert pronunciations.phones_for_word(word) == pronouncing.phones_for_word(word), word


@pytest.mark.parametrize("word", ["hope", "permit", "conditioner", "orange", "a", "love", "qqq"])
def test_rhymes_are_the_same(word: str) -> None:
    assert pronunciations.rhymes(word) == pronouncing.rhymes(word)


@pytest.mark.parametrize("pattern", [r"\bOW1( [^AEIOU ]+)+$", r"\bAH1( [^AEIOU ]+)*$", "ER1 P AH0"])
def test_search_is_the_same(pattern: str) -> None:
    assert pronunciations.search(pattern) == pronouncing.search(pattern)


def test_loaded_once_however_many_threads_ask() -> None:
    seen: list[Dictionary] = []
    threads = [
        threading.Thread(target=lambda: seen.append(pronunciations.load())) for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 8 and all(d is seen[0] for d in seen)


def test_variants_and_comments_in_the_file_format() -> None:
    raw = b";;; a comment\nzed Z EH1 D\nabc AE1 B K\nabe EY1 B\nabc(2) EY1 B IY1 S IY1\n"
    found = Dictionary.from_cmudict(raw)
    assert len(found) == 4
    assert found.phones_for_word("abc") == ["AE1 B K", "EY1 B IY1 S IY1"]
    assert found.phones_for_word("ABE") == ["EY1 B"]
    assert found.phones_for_word("zed") == ["Z EH1 D"]
    assert found.phones_for_word("abd") == []

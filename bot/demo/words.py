"""What the simulated members write, per demo language (`words.yaml` beside this file)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import yaml

WORDS_FILE = Path(__file__).with_name("words.yaml")


@dataclasses.dataclass(frozen=True)
class Words:
    """What the simulated members write, in one language: lines of a song, single words for a
    blank, reflections, song titles, one-word answers and go-around answers."""

    lines: tuple[str, ...]
    blanks: tuple[str, ...]
    reflections: tuple[str, ...]
    titles: tuple[str, ...]
    one_words: tuple[str, ...]
    rounds: tuple[str, ...]
    line_quote: str
    """A reflection quoting a line of the song: `{line}` is the line."""
    asks_title: tuple[str, ...]
    asks_word: tuple[str, ...]
    asks_line: tuple[str, ...]
    """Words in a reflect question that ask for a title, a single word, a line of the song."""


def words_of(entry: dict[str, Any]) -> Words:
    """One language's entry of `words.yaml` as `Words`; raises TypeError (a missing or unknown
    field) or ValueError (a list that is empty, a quote without `{line}`)."""
    known = {f.name for f in dataclasses.fields(Words)}
    if set(entry) != known:
        raise TypeError(f"demo words: fields {sorted(set(entry) ^ known)} missing or unknown")

    # Every field but the quote is a list of texts, read from the key of its own name.
    values: dict[str, Any] = {
        name: tuple(str(item) for item in entry[name]) for name in known - {"line_quote"}
    }
    values["line_quote"] = str(entry["line_quote"])
    words = Words(**values)
    empty = [f.name for f in dataclasses.fields(Words) if not getattr(words, f.name)]
    if empty or "{line}" not in words.line_quote:
        raise ValueError(f"demo words: empty {empty} or no {{line}} in {words.line_quote!r}")
    return words


def load_words(path: Path = WORDS_FILE) -> dict[str, Words]:
    """Every demo language's words, by language code ("en", "de", "es")."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(language): words_of(entry) for language, entry in raw.items()}


WORDS = load_words()
"""The members' own words per demo language (their words, not Chorus's: never translated)."""

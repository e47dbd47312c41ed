"""What the simulated members write: every demo language has every kind of words, and a
broken words file is refused saying what is wrong."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from bot.demo.words import WORDS, WORDS_FILE, Words, load_words, words_of


def test_every_demo_language_has_words_of_every_kind() -> None:
    assert set(WORDS) == {"en", "de", "es"}
    for language, words in WORDS.items():
        for field in dataclasses.fields(Words):
            assert getattr(words, field.name), (language, field.name)
        assert "{line}" in words.line_quote
        assert len(set(words.lines)) == len(words.lines) >= 8, language
    assert WORDS["de"].lines[0] == "Ein Wasserkessel singt in einer Winternacht"
    assert load_words(WORDS_FILE) == WORDS


def test_a_missing_field_an_empty_list_or_a_quote_without_the_line_is_refused(
    tmp_path: Path,
) -> None:
    entry = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))["en"]
    with pytest.raises(TypeError, match="titles"):
        words_of({k: v for k, v in entry.items() if k != "titles"})
    with pytest.raises(ValueError, match="blanks"):
        words_of({**entry, "blanks": []})
    with pytest.raises(ValueError, match=r"no \{line\}"):
        words_of({**entry, "line_quote": "A quote"})
    broken = tmp_path / "words.yaml"
    broken.write_text(yaml.safe_dump({"fr": {**entry, "rounds": []}}), encoding="utf-8")
    with pytest.raises(ValueError, match="rounds"):
        load_words(broken)

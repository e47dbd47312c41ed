"""The catalogues' glossary: a term of the field is translated one way throughout a language,
and two ideas keep two words (docs/architecture.md, "Names": the **lyric sheet** is the live view
of a song while it is written, the **song sheet** the finished song that is posted and saved).

Every msgid (singular or plural) containing the English term has every translated form
containing the language's chosen term; a text that needs the term in another case or form would
get its own entry here rather than a second word."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.i18n import DOMAIN, SHIPPED, catalogue_path

GLOSSARY: dict[str, dict[str, str]] = {
    "lyric sheet": {"de": "Textblatt", "es": "hoja de la letra"},
    "song sheet": {"de": "Liedblatt", "es": "hoja de la canción"},
}
"""English term -> its word in each shipped language (matched without regard to case)."""

LANGUAGES = [lang for lang in SHIPPED if lang != "en"]


def load(path: Path, language: str) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=language, domain=DOMAIN)


def _forms(text: object) -> list[object]:
    """A message's one text, or each of its plural forms ("" for none)."""
    return list(text) if isinstance(text, tuple | list) else [text or ""]


def strays(catalog: Catalog, term: str, chosen: str) -> list[str]:
    """The msgids holding `term` whose translation (any plural form) lacks `chosen`."""
    found = []
    for message in catalog:
        ids = [str(text) for text in _forms(message.id)]
        if not any(term in text.casefold() for text in ids):
            continue
        forms = [str(form) for form in _forms(message.string)]
        if not all(chosen.casefold() in form.casefold() for form in forms):
            found.append(f"{ids[0]!r} -> {tuple(forms)!r}")
    return found


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("term", sorted(GLOSSARY))
def test_a_glossary_term_is_translated_one_way(language: str, term: str) -> None:
    catalog = load(catalogue_path(language), language)
    chosen = GLOSSARY[term][language]
    assert strays(catalog, term, chosen) == [], f"translate {term!r} as {chosen!r} in {language}"
    using = [m for m in catalog if m.id and term in str(m.id).casefold()]
    assert using, f"no text says {term!r} any more: drop it from GLOSSARY"


def test_two_ideas_keep_two_words() -> None:
    for language in LANGUAGES:
        words = [GLOSSARY[term][language].casefold() for term in GLOSSARY]
        assert not any(a in b for a in words for b in words if a is not b), (language, words)


def test_a_stray_translation_is_found() -> None:
    catalog = Catalog(locale="es", domain=DOMAIN)
    catalog.add("On the lyric sheet", "En la hoja de la canción")
    catalog.add("Lyric sheet, line {n}", "Hoja de la letra, verso {n}")
    assert strays(catalog, "lyric sheet", "hoja de la letra") == [
        "'On the lyric sheet' -> ('En la hoja de la canción',)"
    ]

"""The compiled message catalogues: one per shipped language, from its committed ``.po`` file.

Only the ``.po`` files are committed: each is compiled to a ``gettext`` catalogue in memory the
first time its language is used (Babel's ``read_po`` + ``write_mo``, a few milliseconds), so
there is no binary ``.mo`` that can drift from its source.
"""

from __future__ import annotations

import gettext as _gettext
import io
from datetime import datetime
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.i18n.dates import format_day
from bot.i18n.languages import SHIPPED, SOURCE_LANGUAGE, language_of
from bot.i18n.numbers import format_number, format_percent

LOCALES_DIR = Path(__file__).parent.parent / "locales"
DOMAIN = "chorus"


def catalogue_path(language: str) -> Path:
    """The ``.po`` file of one language (it may not exist for unsupported ones)."""
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(locale: str | None) -> _gettext.NullTranslations:
    """The compiled catalogue for a locale; English (the msgids) when Chorus has none for it."""
    language = language_of(locale)
    if language is None or language == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    with catalogue_path(language).open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    # Fuzzy entries are guesses from `pybabel update`: never shown to members.
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def load_catalogues() -> None:
    """Compile every shipped catalogue and load Babel's number and date data for each language
    now (about 0.1 s in all): called once at start-up in a worker thread, so the first German
    or Spanish post, and the first figure or date shown in each language, don't wait for it."""
    for language in SHIPPED:
        translations(language)
        format_number(1.5, language)
        format_percent(0.5, language)
        format_day(datetime(2026, 1, 1), language)

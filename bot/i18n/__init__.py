"""Message catalogues: every string Chorus writes, looked up per locale (gettext, via Babel).

The catalogues are ``bot/locales/<lang>/LC_MESSAGES/chorus.po``; the English text in the code is
the msgid. Texts take named placeholders, filled after translation so each language may reorder
them::

    _("{count} of {total} answered", locale, count=3, total=5)
    ngettext("{count} member", "{count} members", n, locale)   # count=n is filled in

One module per purpose: `languages.py` who reads which language (the shipped ones, public posts
in the server's, private replies in the member's); `catalogue.py` the compiled catalogues;
`texts.py` looking a text up and filling it (`_`, `gettext`, `ngettext`, `N_`, `source_text`);
`wording.py` a text kept until its reader is known (`Wording`); `numbers.py` numbers the
reader's way, alone or in a text's fields (`Verbatim`, `Figure`: which fields are quantities);
`dates.py` days and months, `lists.py` joined lists (Babel's CLDR data). The names callers use
are gathered here: ``from bot.i18n import _, ngettext, N_``.

This package never imports discord: core, ui and cogs all use it.
"""

from bot.i18n.catalogue import DOMAIN, LOCALES_DIR, catalogue_path, load_catalogues, translations
from bot.i18n.dates import day_names, format_day, month_names, short_day
from bot.i18n.languages import (
    SHIPPED,
    SOURCE_LANGUAGE,
    language_of,
    private_language,
    public_language,
)
from bot.i18n.lists import format_list
from bot.i18n.numbers import Figure, Verbatim, format_number, format_percent
from bot.i18n.texts import N_, _, gettext, ngettext, source_text
from bot.i18n.wording import Wording, worded

__all__ = [
    "DOMAIN",
    "LOCALES_DIR",
    "N_",
    "SHIPPED",
    "SOURCE_LANGUAGE",
    "Figure",
    "Verbatim",
    "Wording",
    "_",
    "catalogue_path",
    "day_names",
    "format_day",
    "format_list",
    "format_number",
    "format_percent",
    "gettext",
    "language_of",
    "load_catalogues",
    "month_names",
    "ngettext",
    "private_language",
    "public_language",
    "short_day",
    "source_text",
    "translations",
    "worded",
]

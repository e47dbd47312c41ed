"""Looking a text up in the reader's catalogue and filling its named placeholders::

    _("{count} of {total} answered", locale, count=3, total=5)
    ngettext("{count} member", "{count} members", n, locale)   # count=n is filled in

The English text in the code is the msgid; its fields are filled after translation, so each
language may reorder them (numbers written the reader's way: `bot.i18n.numbers`).
"""

from __future__ import annotations

from typing import Any

from bot.i18n.catalogue import translations
from bot.i18n.languages import SOURCE_LANGUAGE
from bot.i18n.numbers import fill


def gettext(message: str, locale: str | None, /, **fields: Any) -> str:
    """``message`` in ``locale`` with its ``{named}`` placeholders filled from ``fields``.

    Without fields the text is returned as translated (braces untouched). Raises KeyError when
    a translation names a placeholder not given (the catalogue tests prevent that).
    """
    text = translations(locale).gettext(message)
    return fill(text, message, fields, locale) if fields else text


def ngettext(singular: str, plural: str, count: int, locale: str | None, /, **fields: Any) -> str:
    """The plural form of a text for ``count`` under the language's plural rule.

    ``{count}`` is filled with ``count`` (written the language's way, like every number
    field) unless given otherwise in ``fields``.
    """
    text = translations(locale).ngettext(singular, plural, count)
    return fill(text, singular, {"count": count, **fields}, locale)


_ = gettext


def source_text(message: str, /, **fields: Any) -> str:
    """``message`` as written in the code (English), its fields filled as for an English reader
    (numbers too): the wording of logs and of ``str()`` of a refusal."""
    return fill(message, message, fields, SOURCE_LANGUAGE) if fields else message


def N_(message: str) -> str:
    """Marks a text for the catalogue where it is defined; translate it where it is shown."""
    return message

"""Who reads which language: the languages Chorus ships, a Discord locale's language, and the
rule that public posts use the server's language and private replies the member's."""

from __future__ import annotations

SOURCE_LANGUAGE = "en"
SHIPPED = ("en", "de", "es")
"""Languages with a complete interface catalogue (English is the source text)."""


def language_of(locale: str | None) -> str | None:
    """``"es-ES"`` or ``"es_ES"`` -> ``"es"`` when Chorus ships that language, else None."""
    if not locale:
        return None
    language = str(locale).replace("_", "-").split("-")[0].lower()
    return language if language in SHIPPED else None


def babel_locale(locale: str | None) -> str:
    """The shipped language Babel's CLDR data is read for: ``locale``'s, else English."""
    return language_of(locale) or SOURCE_LANGUAGE


def public_language(server_language: str | None) -> str:
    """The language of a public post in a session (step cards, the board, summaries): the
    server's (``/setup language``) when Chorus ships it, else English."""
    return language_of(server_language) or SOURCE_LANGUAGE


def private_language(member_locale: str | None, server_language: str | None) -> str:
    """The language of a private reply: the member's Discord client language when Chorus ships
    it (``"es-ES"`` -> ``"es"``), else the server's, else English."""
    return language_of(member_locale) or public_language(server_language)

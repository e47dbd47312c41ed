"""Who sees which language, and numbers and dates in it."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.i18n import (
    SHIPPED,
    catalogue_path,
    format_day,
    format_number,
    format_percent,
    language_of,
    private_language,
    public_language,
)


def test_public_posts_use_the_server_language_when_shipped() -> None:
    assert public_language("de") == "de"
    assert public_language("es") == "es"
    assert public_language("fr") == "en"
    assert public_language(None) == "en"


def test_private_replies_prefer_the_member_client_language() -> None:
    # Discord's client locales: "de", "es-ES", "es-419", "en-US", "fr", "pt-BR"...
    assert private_language("es-ES", "de") == "es"
    assert private_language("es-419", "en") == "es"
    assert private_language("en-US", "de") == "en"
    # A client language Chorus doesn't ship: the server's.
    assert private_language("fr", "de") == "de"
    assert private_language("pt-BR", "fr") == "en"
    assert language_of("de_AT") == "de" and language_of("") is None


def test_numbers_and_days_are_written_the_language_s_way() -> None:
    assert format_number(1234.5, "en") == "1,234.5"
    assert format_number(1234.5, "de") == "1.234,5"
    assert format_percent(0.25, "es") == "25\xa0%"
    day = datetime(2026, 3, 27, 18, 0, tzinfo=UTC)
    assert format_day(day, "en") == "Mar 27, 2026"
    assert format_day(day, "de") == "27.03.2026"
    assert format_day(day, "es") == "27 mar 2026"


def test_a_discord_locale_maps_to_a_shipped_language_or_none() -> None:
    assert [language_of(x) for x in ("es-ES", "es_ES", "DE", "en-US", "pt-BR", "", None)] == [
        "es",
        "es",
        "de",
        "en",
        None,
        None,
        None,
    ]
    assert all(catalogue_path(language).exists() for language in SHIPPED if language != "en")


def test_public_posts_use_the_servers_language_private_replies_the_members_first() -> None:
    assert public_language("de") == "de"
    assert public_language("pt-BR") == "en" and public_language(None) == "en"
    assert private_language("es-ES", "de") == "es"
    assert private_language("pt-BR", "de") == "de"  # not shipped: the server's
    assert private_language(None, None) == "en"

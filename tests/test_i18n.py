"""The message catalogues and the language rules (bot/i18n.py): which language a reader gets,
texts with named fields and plurals, and numbers, lists and days as each language writes them.
The catalogues' completeness is tests/i18n/test_catalogue.py's."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.i18n import (
    N_,
    SHIPPED,
    catalogue_path,
    day_names,
    format_day,
    format_list,
    format_number,
    format_percent,
    gettext,
    language_of,
    ngettext,
    private_language,
    public_language,
    short_day,
)


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


def test_a_text_is_translated_and_its_named_fields_filled() -> None:
    assert N_("Connect") == "Connect"  # marks only
    assert gettext("Connect", "de") == "Verbinden"
    assert gettext("Connect", "pt-BR") == "Connect"  # no catalogue: the English msgid
    # Without fields the braces stay, for texts filled later.
    assert gettext(" and {count} more", None) == " and {count} more"
    with pytest.raises(KeyError):
        gettext("I lost the connection to {channel} before the piece started.", "en", x=1)


def test_plurals_follow_the_count_and_fill_it() -> None:
    assert ngettext(" and {count} more", " and {count} more", 3, "de") == " und 3 weitere"
    one = ngettext("{count} day", "{count} days", 1, "en")
    many = ngettext("{count} day", "{count} days", 5, "en", count="five")
    assert (one, many) == ("1 day", "five days")


def test_numbers_lists_and_days_are_written_the_languages_way() -> None:
    assert [format_number(1234.5, x) for x in ("en", "de", "es-ES")] == [
        "1,234.5",
        "1.234,5",
        "1234,5",  # CLDR: Spanish groups from five digits (minimumGroupingDigits 2)
    ]
    assert format_number(3, "de", decimals=1) == "3,0"
    assert format_number(2.6, "en", decimals=0) == "3"
    assert format_percent(0.25, "en") == "25%"
    assert format_percent(0.25, "de").replace("\xa0", " ") == "25 %"
    assert format_list(["A", "B", "C"], "en") == "A, B, and C"
    assert format_list(["A", "B", "C"], "de") == "A, B und C"
    assert format_list(["A", "B", "C"], "es") == "A, B y C"
    day = date(2026, 3, 27)
    assert format_day(day, "en") == "Mar 27, 2026"
    assert format_day(datetime(2026, 3, 27, 23, 0, tzinfo=UTC), "de") == "27.03.2026"
    assert short_day(day, "en") == "Fri, Mar 27"
    assert day_names("de")[0] == "Montag" and day_names("es")[6] == "domingo"
    assert day_names("en", "abbreviated")[:2] == ["Mon", "Tue"]

"""Looking a text up and filling it (bot/i18n/texts.py): translated, its named fields filled
after translation, plurals by the language's rule."""

from __future__ import annotations

import pytest

from bot.i18n.texts import N_, gettext, ngettext, source_text


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


def test_the_source_text_is_the_english_with_its_fields_filled() -> None:
    assert source_text("Connect") == "Connect"
    assert source_text("{count} of {total} answered", count=1000, total=5) == "1000 of 5 answered"

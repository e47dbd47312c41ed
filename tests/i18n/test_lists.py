"""Items joined as each language joins them (bot/i18n/lists.py, Babel's CLDR list patterns)."""

from __future__ import annotations

from bot.i18n.lists import format_list


def test_lists_are_joined_the_languages_way() -> None:
    assert format_list(["A", "B", "C"], "en") == "A, B, and C"
    assert format_list(["A", "B", "C"], "de") == "A, B und C"
    assert format_list(["A", "B", "C"], "es") == "A, B y C"
    assert format_list(["A", "B", "C"], "de", style="or") == "A, B oder C"
    assert format_list(["A", "B"], "pt-BR") == "A and B"  # not shipped: English

"""/mydata's summary line: every list the export holds is counted in whole, translated words."""

from __future__ import annotations

import pytest

from bot.store.member_data import EXPORTS
from bot.ui.privacy import EXPORT_WORDS, export_message

EXPORTED_LISTS = ["contributions", *(key for key, _sql in EXPORTS)]
"""Every list `PrivacyRepository.export` returns (bot/store/privacy.py)."""


def test_every_exported_list_has_its_words() -> None:
    assert sorted(set(EXPORTED_LISTS) - set(EXPORT_WORDS)) == []


@pytest.mark.parametrize("locale", ["de", "es"])
def test_the_summary_names_no_list_by_its_key(locale: str) -> None:
    data: dict[str, object] = {key: [{}] for key in EXPORTED_LISTS} | {"member": None}
    message = export_message(data, locale)
    english = export_message(data, "en")
    for key in EXPORTED_LISTS:
        assert key.replace("_", " ") not in message
        assert EXPORT_WORDS[key](1, "en") in english
        assert EXPORT_WORDS[key](1, locale) in message


def test_an_empty_list_is_not_counted() -> None:
    message = export_message({"checkins": [], "goals": [{}, {}]}, "en")
    assert "2 goals" in message
    assert "check-in" not in message

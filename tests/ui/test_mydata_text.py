"""The words above /mydata's CSV name the member's zone and UTC, or UTC once when they are one."""

from __future__ import annotations

import pytest

from bot.i18n import SHIPPED
from bot.ui.mydata import csv_text


@pytest.mark.parametrize("language", SHIPPED)
@pytest.mark.parametrize("zone", ["UTC", "Etc/UTC"])
def test_utc_is_named_once(language: str, zone: str) -> None:
    text = csv_text(3, zone, language)
    assert text.count("UTC") == 1, text
    assert "3" in text


@pytest.mark.parametrize("language", SHIPPED)
def test_another_zone_is_named_beside_utc(language: str) -> None:
    text = csv_text(1, "America/Sao_Paulo", language)
    assert "America/Sao_Paulo" in text and text.count("UTC") == 1, text


def test_each_language_says_it_in_its_own_words() -> None:
    assert "Zeiten in UTC." in csv_text(2, "UTC", "de")
    assert "con las horas en UTC." in csv_text(2, "UTC", "es")
    assert "times in UTC." in csv_text(2, "UTC", "en")

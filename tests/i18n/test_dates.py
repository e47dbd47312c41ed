"""Days and months as each language writes them (bot/i18n/dates.py, Babel's CLDR data)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.i18n.dates import day_names, format_day, month_names, short_day


def test_days_are_written_the_languages_way() -> None:
    day = date(2026, 3, 27)
    assert format_day(day, "en") == "Mar 27, 2026"
    assert format_day(datetime(2026, 3, 27, 23, 0, tzinfo=UTC), "de") == "27.03.2026"
    assert short_day(day, "en") == "Fri, Mar 27"
    assert day_names("de")[0] == "Montag" and day_names("es")[6] == "domingo"
    assert day_names("en", "abbreviated")[:2] == ["Mon", "Tue"]


def test_month_names_from_january() -> None:
    assert month_names("en")[0] == "January" and month_names("de")[2] == "März"
    assert month_names("es")[11] == "diciembre" and len(month_names("pt-BR")) == 12
    assert month_names("en", "abbreviated")[:2] == ["Jan", "Feb"]

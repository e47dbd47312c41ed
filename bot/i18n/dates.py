"""Days and months as each language writes them (Babel's CLDR data); Discord timestamps stay
``<t:...>`` and render in each reader's client."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from babel import dates

from bot.i18n.languages import babel_locale


def format_day(when: date | datetime, locale: str | None) -> str:
    """A calendar day in words for the language: ``"Mar 27, 2026"``, ``"27.03.2026"``, ``"27 mar 2026"``.

    ``when`` is a date, or an aware datetime already in the zone the reader should see.
    """
    return dates.format_date(when, format="medium", locale=babel_locale(locale))


def short_day(when: date | datetime, locale: str | None) -> str:
    """A day with its weekday and no year, as the language writes it: ``"Fri, Mar 27"``,
    ``"Fr., 27. März"``, ``"vie, 27 mar"`` (Babel's CLDR skeleton ``MMMEd``)."""
    return dates.format_skeleton("MMMEd", when, locale=babel_locale(locale))


def day_names(
    locale: str | None, width: Literal["abbreviated", "narrow", "short", "wide"] = "wide"
) -> list[str]:
    """The week's day names from Monday, as the language writes them inside a sentence:
    ``["Monday", ...]`` (en), ``["Montag", ...]`` (de), ``["lunes", ...]`` (es); ``width``
    "abbreviated" gives ``"Mon"``, ``"Mo."``, ``"lun"`` (Babel's CLDR data)."""
    names = dates.get_day_names(width, context="format", locale=babel_locale(locale))
    return [names[day] for day in range(7)]


def month_names(locale: str | None, width: Literal["abbreviated", "wide"] = "wide") -> list[str]:
    """The year's month names from January, as the language writes them inside a date:
    ``["January", ...]`` (en), ``["Januar", ...]`` (de), ``["enero", ...]`` (es) (Babel's CLDR
    data); ``width`` "abbreviated" gives ``"Jan"``, ``"Jan."``, ``"ene"``."""
    names = dates.get_month_names(width, context="format", locale=babel_locale(locale))
    return [names[month] for month in range(1, 13)]

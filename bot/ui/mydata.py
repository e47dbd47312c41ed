"""/mydata's CSV and summary chart: the files and the words around them."""

from __future__ import annotations

import discord

from bot.core.exports import SummaryFigures
from bot.i18n import _, ngettext
from bot.ui import charts
from bot.ui.file_names import MY_DATA, MY_SUMMARY, attached


def csv_file(data: bytes, locale: str) -> discord.File:
    """/mydata's table as a CSV attachment (`data`: UTF-8 bytes), described in ``locale``."""
    return attached(data, MY_DATA, "csv", _("Your data as a table", locale), locale)


# Names of the zone that is UTC itself: "times in UTC and UTC" would read as a slip.
UTC_ZONES = frozenset(
    {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu"}
)


def csv_text(rows: int, timezone: str, locale: str) -> str:
    """The words above /mydata's CSV, in ``locale`` (the file's column names stay English:
    they are for spreadsheets and programs, see PRIVACY.md). ``timezone`` is an IANA name; when
    it is UTC itself the times are named once."""
    if timezone in UTC_ZONES:
        return ngettext(
            "📄 Your check-ins, goal ratings and contributions in this server as a table "
            "({count} row), times in UTC. It opens in any spreadsheet app. "
            "Only you can see this.",
            "📄 Your check-ins, goal ratings and contributions in this server as a table "
            "({count} rows), times in UTC. It opens in any spreadsheet app. "
            "Only you can see this.",
            rows,
            locale,
        )
    return ngettext(
        "📄 Your check-ins, goal ratings and contributions in this server as a table "
        "({count} row), times in {timezone} and UTC. It opens in any spreadsheet app. "
        "Only you can see this.",
        "📄 Your check-ins, goal ratings and contributions in this server as a table "
        "({count} rows), times in {timezone} and UTC. It opens in any spreadsheet app. "
        "Only you can see this.",
        rows,
        locale,
        timezone=timezone,
    )


def summary_png(figures: SummaryFigures, timezone: str, locale: str) -> bytes:
    """Two panels readable without colour: check-ins over time (0-10) and each goal's ratings
    (1-5, one marker shape per goal), dated in the member's `timezone` (IANA) and `locale`.
    PNG, drawn in the chart process; blocks until drawn."""
    return charts.summary_chart(
        figures, _("Your check-ins and goals", locale), timezone, locale=locale
    )


def chart_file(png: bytes, locale: str) -> discord.File:
    """/mydata's summary chart (`png` bytes) as an attachment, described in ``locale``."""
    return attached(png, MY_SUMMARY, "png", _("Your own summary chart", locale), locale)


def chart_text(figures: SummaryFigures, locale: str) -> str:
    """The words above /mydata's summary chart, in ``locale``."""
    return _(
        "📈 Your own summary: {checkins} ({passes} not drawn) and the ratings of {goals}. "
        "Only you can see this; it's yours to bring to your therapist or keep.",
        locale,
        checkins=ngettext("{count} check-in", "{count} check-ins", len(figures.checkins), locale),
        passes=ngettext("{count} pass", "{count} passes", figures.passes, locale),
        goals=ngettext("{count} goal", "{count} goals", len(figures.goals), locale),
    )

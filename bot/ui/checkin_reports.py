"""Check-in figures as messages: a member's history, the facilitator's session report and the
weekly trends, each an embed with its chart attached (drawn by the chart process)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import discord
from babel import dates

from bot.core.checkin_figures import BANDS, Answer, Pair, bands, signed_tenths
from bot.core.checkin_reports import SessionReport, WeekFigures
from bot.core.checkins import K_MIN, to_ten
from bot.core.text import shorten
from bot.i18n import N_, _, format_number, format_percent, ngettext
from bot.ui import charts
from bot.ui.file_names import (
    CHECKIN_HISTORY,
    GROUP_TRENDS,
    MOOD_BANDS,
    attached,
    attachment_name,
)
from bot.ui.format import COLOUR_DONE, COLOUR_INFO, DESCRIPTION_MAX, field


def history_file(
    answers: Sequence[Answer], found: Sequence[Pair], days: int, locale: str
) -> discord.File:
    """/checkin history's chart as a PNG named in ``locale`` (`file_names.CHECKIN_HISTORY`): each answer on a 0-10 scale over time (passed
    answers left out) and an arrow for each before/after pair, titled for `days` days."""
    points = []
    for a in answers:
        scaled = to_ten(a.scale, a.value) if a.value is not None and not a.passed else None
        if scaled is not None:
            points.append(charts.Point(a.created_at, scaled, a.phase))
    arrows = []
    for p in found:
        b = to_ten(p.before.scale, p.before.value or 0)
        f = to_ten(p.after.scale, p.after.value or 0)
        if b is not None and f is not None:
            arrows.append(charts.Arrow(p.before.created_at, b, p.after.created_at, f))
    png = charts.trend_chart(points, arrows, _days_title(days, locale), locale)
    return attached(png, CHECKIN_HISTORY, "png", _("Your check-in trend", locale), locale)


def _days_title(days: int, locale: str) -> str:
    return ngettext(
        "Your check-ins, last {count} day", "Your check-ins, last {count} days", days, locale
    )


def history_embed(summary: str, days: int, locale: str) -> discord.Embed:
    """/checkin history's embed: the `summary` text under a title naming the last `days` days."""
    embed = discord.Embed(
        title=_days_title(days, locale),
        colour=COLOUR_INFO,
        description=shorten(
            summary
            + "\n\n"
            + _(
                "Only you can see this. Circles: before a session, squares: after, "
                "diamonds: /checkin now; arrows join a session's before and after. 1-5 and SAM "
                "answers are drawn on the same 0-10 axis.",
                locale,
            ),
            DESCRIPTION_MAX,
        ),
    )
    embed.set_image(url="attachment://" + attachment_name(CHECKIN_HISTORY, "png", locale))
    return embed


def k_text(count: int, locale: str, total: int | None = None) -> str:
    """A count (or rate) shown only at or above K_MIN, in ``locale`` (`k_figure` in words)."""
    if count < K_MIN:
        return _("fewer than {k}", locale, k=K_MIN)
    if total:
        return _(
            "{count} of {total} ({percent})",
            locale,
            count=count,
            total=total,
            percent=format_percent(count / total, locale),
        )
    return format_number(count, locale)


def report_embed(report: SessionReport, title_when: str, locale: str) -> discord.Embed:
    """The facilitator's report of one session (/session report), in ``locale``: attendance,
    answers and group figures where at least K_MIN people answered; `title_when` is the session's
    day as text."""
    s = report.session
    embed = discord.Embed(
        title=shorten(_("Report: {title}", locale, title=s.title), 256),
        colour=COLOUR_DONE,
        description=_(
            "{when}. Group figures appear only when at least {k} people answered; "
            "no member's own answers or notes are shown.",
            locale,
            when=title_when,
            k=K_MIN,
        ),
    )
    embed.add_field(
        name=_("Attendance", locale),
        value=ngettext("{count} person", "{count} people", report.attendance, locale),
        inline=True,
    )
    lines = []
    for f in report.steps:
        # Out of the members asked, as on the board: the facilitator only when they answered.
        rate = k_text(f.answered, locale, f.expected)
        lines.append(f"{f.activity} · {f.step}: {rate}")
    embed.add_field(
        name=_("Participation per step", locale),
        value=field("\n".join(lines) if lines else _("No steps with answers.", locale)),
        inline=False,
    )
    for name, value in report.shift_lines:
        embed.add_field(name=shorten(name, 256), value=field(value), inline=False)
    embed.set_image(url="attachment://" + attachment_name(MOOD_BANDS, "png", locale))
    return embed


BAND_NAMES = (N_("low (0-3)"), N_("middle (4-6)"), N_("high (7-10)"))
"""The words for bot/core/checkins.py BANDS, in order."""


def report_file(report: SessionReport, locale: str) -> discord.File:
    """The report's chart as a PNG file: how many answers fell in each band (low, middle, high)."""
    people = charts.Bands(
        tuple(_(name, locale) for name in BAND_NAMES[: len(BANDS)]),
        tuple(bands(report.before)) if report.before else None,
        tuple(bands(report.after)) if report.after else None,
        _("Mood before and after (people per band)", locale),
    )
    png = charts.distribution_chart(people, locale)
    return attached(png, MOOD_BANDS, "png", _("Mood bands before/after", locale), locale)


def week_label(ts: float, locale: str) -> str:
    """The week's first day, short: "27 Mar" (en), "27. März" (de), "27 mar" (es)."""
    when = datetime.fromtimestamp(ts, UTC)
    if locale == "en":
        return when.strftime("%d %b")
    return dates.format_skeleton("dMMM", when, locale=locale)


def trends_embed(weeks: Sequence[WeekFigures], locale: str) -> discord.Embed:
    """/group trends: one line a week (people, answers, the mood shift where enough people
    answered), in ``locale``."""
    lines = []
    for w in weeks:
        if w.sessions == 0:
            continue
        shift = (
            signed_tenths(w.mean_shift, locale)
            if w.mean_shift is not None
            else _("not shown", locale)
        )
        lines.append(
            _(
                "**{week}**: {sessions} · {people} people · mood shift {shift}",
                locale,
                week=week_label(w.week_start, locale),
                sessions=ngettext("{count} session", "{count} sessions", w.sessions, locale),
                people=k_text(w.people, locale),
                shift=shift,
            )
        )
    if not lines:
        lines.append(
            ngettext(
                "No sessions in the last week.",
                "No sessions in the last {count} weeks.",
                len(weeks),
                locale,
            )
        )
    elif len(lines) < len(weeks):
        lines.append(_("No sessions in the other weeks.", locale))
    embed = discord.Embed(
        title=_("Group trends", locale),
        colour=COLOUR_INFO,
        description=shorten(
            "\n".join(lines)
            + "\n\n"
            + _(
                "Figures from fewer than {k} people are not shown. Mood shift: the mean "
                "change from before to after, in points, over everyone who answered both.",
                locale,
                k=K_MIN,
            ),
            DESCRIPTION_MAX,
        ),
    )
    embed.set_image(url="attachment://" + attachment_name(GROUP_TRENDS, "png", locale))
    return embed


def trends_file(weeks: Sequence[WeekFigures], locale: str) -> discord.File:
    """The trends' chart as a PNG file, one bar group a week."""
    png = charts.trends_chart(
        [
            charts.Week(
                week_label(w.week_start, locale),
                w.people if w.people >= K_MIN else None,
                w.mean_shift,
            )
            for w in weeks
        ],
        _("Group trends: people per week and mean mood shift", locale),
        locale,
    )
    return attached(png, GROUP_TRENDS, "png", _("Group trends", locale), locale)

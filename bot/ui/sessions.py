"""About sessions: the end-of-session summary, the history list and a closed session's
"Manage" select."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import discord

from bot.core.checkins import K_MIN
from bot.core.errors import InvalidInput
from bot.core.session import SessionSummary
from bot.core.steps import summary_counts
from bot.core.text import shorten
from bot.i18n import N_, _, ngettext
from bot.records.sessions import SessionHistoryRow
from bot.ui import limits
from bot.ui.components import TypedSelect, persistent_view
from bot.ui.format import COLOUR_DONE, COLOUR_INFO, date_time, duration, field, plain_name

SELECT_OPTIONS_MAX = 25


def _kind_count(kind: str, count: int, locale: str) -> str | None:
    """``"3 reflections"`` in ``locale``; None for a contribution kind the summary doesn't show
    (edits, withdrawals, removals: bookkeeping). The words are the step kinds' own
    (`StepKind.summary_counts`)."""
    counted = summary_counts().get(kind)
    return None if counted is None else ngettext(counted.one, counted.many, count, locale)


def _kind_few(kind: str, locale: str) -> str | None:
    """``"reflections from fewer than 3 people"``: a kind's name without its count (k rule)."""
    counted = summary_counts().get(kind)
    return None if counted is None else _(counted.few, locale, k=K_MIN)


def _people(count: int, locale: str) -> str:
    return ngettext("{count} person", "{count} people", count, locale)


def summary_embed(summary: SessionSummary, titles: Mapping[str, str], locale: str) -> discord.Embed:
    """The summary posted when a session ends: who came, what ran (`titles` by activity id), in
    ``locale``."""
    session = summary.session
    embed = discord.Embed(
        title=shorten(_("🌙 {title}: session summary", locale, title=session.title), 256),
        colour=COLOUR_DONE,
        description=_("Thank you all for taking part.", locale),
    )
    embed.add_field(
        name=_("Duration", locale), value=duration(summary.duration_seconds, locale), inline=True
    )
    # Everyone who came, the facilitator too: "people", as in the facilitator's report.
    embed.add_field(
        name=_("Attendance", locale), value=_people(summary.attendance, locale), inline=True
    )
    activities = [titles.get(a, a) for a in summary.activities]
    embed.add_field(
        name=_("Activities", locale),
        value=field(", ".join(activities) if activities else _("None this time", locale)),
        inline=False,
    )
    lines = [
        text
        for kind, (count, people) in summary.contributions.items()
        if (
            text := (
                _kind_count(kind, count, locale) if people >= K_MIN else _kind_few(kind, locale)
            )
        )
    ]
    if lines:
        embed.add_field(
            name=_("Contributions", locale), value=field(", ".join(lines)), inline=False
        )
    for name, value in summary.extras:
        embed.add_field(name=shorten(_(name, locale), 256), value=field(value), inline=False)
    return embed


def history_embed(
    rows: Sequence[SessionHistoryRow], titles: Mapping[str, str], locale: str
) -> discord.Embed:
    """/session history: the server's past sessions, newest first, in ``locale``."""
    embed = discord.Embed(title=_("Past sessions in this server", locale), colour=COLOUR_INFO)
    if not rows:
        embed.description = _("No sessions yet. Open one with /session start.", locale)
        return embed
    lines = []
    for row in rows:
        s = row.session
        acts = ", ".join(titles.get(a, a) for a in row.activities) or _("no activities", locale)
        state = (
            _("open now", locale)
            if s.status == "open"
            else duration((s.ended_at or s.started_at) - s.started_at, locale)
        )
        lines.append(
            f"**{shorten(s.title, 80)}** · {date_time(s.started_at)} · {state}\n"
            f"{_people(row.attendance, locale)} · {shorten(acts, 200)}"
        )
    embed.description = shorten("\n\n".join(lines), 4096)
    return embed


class ManageSelect(TypedSelect, spec="chorus:manage:{session_id:int}"):
    """A facilitator's private list of a closed session's line and members: each option's
    value is `admit:<user id>` or `remove:<user id>`."""

    session_id: int

    def choice(self) -> tuple[str, int]:
        """The chosen option as ("admit" or "remove", member id). Raises InvalidInput (press
        Manage again) for a value this list doesn't write."""
        action, _colon, user = (self.chosen or [""])[0].partition(":")
        if action not in ("admit", "remove") or not user.isdigit():
            raise InvalidInput(N_("That choice is no longer valid. Press **Manage** again."))
        return action, int(user)


def manage_message(
    session_id: int,
    present: Sequence[int],
    line: Sequence[tuple[int, str]],
    names: Mapping[int, str],
    facilitator_id: int,
    locale: str,
) -> tuple[str, discord.ui.View | None]:
    """The facilitator's private "Manage" answer: the text and a select (None when nobody is
    waiting or present but the facilitator). `line`: (user id, waiting | asking), by place."""
    options: list[discord.SelectOption] = []
    place = 0
    for user_id, state in line:
        name = plain_name(names.get(user_id)) or _("a member", locale)
        if state == "waiting":
            place += 1
            description = _("Waiting for a place, number {place} in line", locale, place=place)
        else:
            description = _("Asking to join", locale)
        options.append(
            discord.SelectOption(
                label=limits.option_text(_("Let in: {name}", locale, name=name)),
                value=f"admit:{user_id}",
                description=limits.option_text(description),
            )
        )
    for user_id in present:
        if user_id == facilitator_id:
            continue
        name = plain_name(names.get(user_id)) or _("a member", locale)
        options.append(
            discord.SelectOption(
                label=limits.option_text(_("Take out: {name}", locale, name=name)),
                value=f"remove:{user_id}",
                description=limits.option_text(
                    _("Here now; they can't rejoin unless you let them in again", locale)
                ),
            )
        )
    options = options[:SELECT_OPTIONS_MAX]
    if not options:
        return _("Nobody is waiting, asking to join or here besides you.", locale), None
    waiting = sum(1 for _user, state in line if state == "waiting")
    asking = len(line) - waiting
    counts = [_("**{count}** here", locale, count=len(present))]
    if waiting:
        counts.append(
            ngettext(
                "**{count}** waiting for a place",
                "**{count}** waiting for a place",
                waiting,
                locale,
            )
        )
    if asking:
        counts.append(
            ngettext("**{count}** asking to join", "**{count}** asking to join", asking, locale)
        )
    text = _(
        "{counts}. Choose someone to let in or take out; they are told privately.",
        locale,
        counts=", ".join(counts),
    )
    select = ManageSelect.select(
        options,
        placeholder=_("Let someone in or take them out", locale),
        session_id=session_id,
    )
    return text, persistent_view(select)

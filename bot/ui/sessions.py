"""About sessions: the end-of-session summary, the history list and a closed session's
"Manage" select."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import discord

from bot.core.checkins import K_MIN
from bot.core.session import SessionSummary
from bot.core.text import shorten
from bot.records.sessions import SessionHistoryRow
from bot.ui import limits
from bot.ui.components import TypedSelect, persistent_view
from bot.ui.format import COLOUR_DONE, COLOUR_INFO, date_time, duration, field, plain_name, plural

SELECT_OPTIONS_MAX = 25

# How each kind of contribution is counted in the summary; kinds missing here are bookkeeping
# (edits, withdrawals, removals) and are not shown as contributions.
KIND_LABELS: dict[str, tuple[str, str]] = {
    "reflection": ("reflection", "reflections"),
    "done": ("breathing round finished", "breathing rounds finished"),
    "checkin": ("check-in", "check-ins"),
    "pass": ("pass", "passes"),
    "line": ("lyric line", "lyric lines"),
    "reaction": ("reaction", "reactions"),
    "vote": ("vote", "votes"),
    "nomination": ("nomination", "nominations"),
    "goal": ("goal-step answer", "goal-step answers"),
    "spoke": ("turn taken in a go-around", "turns taken in a go-around"),
    "answer": ("written answer in a go-around", "written answers in a go-around"),
}


def summary_embed(summary: SessionSummary, titles: Mapping[str, str]) -> discord.Embed:
    session = summary.session
    embed = discord.Embed(
        title=shorten(f"🌙 {session.title}: session summary", 256),
        colour=COLOUR_DONE,
        description="Thank you all for taking part.",
    )
    embed.add_field(name="Duration", value=duration(summary.duration_seconds), inline=True)
    # Everyone who came, the facilitator too: "people", as in the facilitator's report.
    embed.add_field(
        name="Attendance", value=plural(summary.attendance, "person", "people"), inline=True
    )
    activities = [titles.get(a, a) for a in summary.activities]
    embed.add_field(
        name="Activities",
        value=field(", ".join(activities) if activities else "None this time"),
        inline=False,
    )
    lines = [
        plural(count, *KIND_LABELS[kind])
        if people >= K_MIN
        else f"{KIND_LABELS[kind][1]} from fewer than {K_MIN} people"
        for kind, (count, people) in summary.contributions.items()
        if kind in KIND_LABELS
    ]
    if lines:
        embed.add_field(name="Contributions", value=field(", ".join(lines)), inline=False)
    for name, value in summary.extras:
        embed.add_field(name=shorten(name, 256), value=field(value), inline=False)
    return embed


def history_embed(rows: Sequence[SessionHistoryRow], titles: Mapping[str, str]) -> discord.Embed:
    embed = discord.Embed(title="Past sessions in this server", colour=COLOUR_INFO)
    if not rows:
        embed.description = "No sessions yet. Open one with /session start."
        return embed
    lines = []
    for row in rows:
        s = row.session
        acts = ", ".join(titles.get(a, a) for a in row.activities) or "no activities"
        state = (
            "open now"
            if s.status == "open"
            else duration((s.ended_at or s.started_at) - s.started_at)
        )
        lines.append(
            f"**{shorten(s.title, 80)}** · {date_time(s.started_at)} · {state}\n"
            f"{plural(row.attendance, 'person', 'people')} · {shorten(acts, 200)}"
        )
    embed.description = shorten("\n\n".join(lines), 4096)
    return embed


class ManageSelect(TypedSelect, spec="chorus:manage:{session_id:int}"):
    """A facilitator's private list of a closed session's line and members: each option's
    value is `admit:<user id>` or `remove:<user id>`."""

    session_id: int


def manage_message(
    session_id: int,
    present: Sequence[int],
    line: Sequence[tuple[int, str]],
    names: Mapping[int, str],
    facilitator_id: int,
) -> tuple[str, discord.ui.View | None]:
    """The facilitator's private "Manage" answer: the text and a select (None when nobody is
    waiting or present but the facilitator). `line`: (user id, waiting | asking), by place."""
    options: list[discord.SelectOption] = []
    place = 0
    for user_id, state in line:
        name = plain_name(names.get(user_id)) or "a member"
        if state == "waiting":
            place += 1
            description = f"Waiting for a place, number {place} in line"
        else:
            description = "Asking to join"
        options.append(
            discord.SelectOption(
                label=limits.option_text(f"Let in: {name}"),
                value=f"admit:{user_id}",
                description=limits.option_text(description),
            )
        )
    for user_id in present:
        if user_id == facilitator_id:
            continue
        name = plain_name(names.get(user_id)) or "a member"
        options.append(
            discord.SelectOption(
                label=limits.option_text(f"Take out: {name}"),
                value=f"remove:{user_id}",
                description="Here now; they can't rejoin unless you let them in again",
            )
        )
    options = options[:SELECT_OPTIONS_MAX]
    if not options:
        return "Nobody is waiting, asking to join or here besides you.", None
    waiting = sum(1 for _, state in line if state == "waiting")
    asking = len(line) - waiting
    counts = [f"**{len(present)}** here"]
    if waiting:
        counts.append(f"**{waiting}** waiting for a place")
    if asking:
        counts.append(f"**{asking}** asking to join")
    text = ", ".join(counts) + ". Choose someone to let in or take out; they are told privately."
    select = ManageSelect.select(
        options, placeholder="Let someone in or take them out", session_id=session_id
    )
    return text, persistent_view(select)

"""Check-in messages: scale buttons, the private answer reply, consent, care, and the reports."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal

import discord

from bot.core.activities import Anchors, Scale, localize
from bot.core.checkin_service import SessionReport, WeekFigures
from bot.core.checkins import BANDS, K_MIN, Answer, Pair, bands, describe_value, k_figure, to_ten
from bot.core.guild_settings import SupportLink
from bot.core.text import shorten
from bot.ui import charts, limits
from bot.ui.components import ChorusButton, button, persistent_view
from bot.ui.format import COLOUR_DONE, COLOUR_INFO, DESCRIPTION_MAX, field, plural, sentence

COLOUR_CARE = 0xE0B0FF


def scale_hint(scale: Scale, anchors: Anchors | None = None) -> str:
    """One line saying how to read the scale."""
    if scale.kind == "0-10":
        low = localize(anchors.low) if anchors else "very low"
        high = localize(anchors.high) if anchors else "very good"
        return f"0 = {low}, 10 = {high}."
    if scale.kind == "sam":
        return (
            "Two quick choices: first how **pleasant** you feel (1 very unpleasant to 9 very "
            "pleasant), then how much **energy** you have (1 very calm to 9 very activated)."
        )
    if scale.kind == "1-5":
        return "Pick the face that fits best."
    return "Pick the option that fits best."


def scale_buttons(
    scale: Scale, area: str, *args: object, dimension: str = "valence", start_row: int = 0
) -> list[ChorusButton]:
    """The scale's answers as buttons, 5 to a row (Discord's limit).

    0-10 takes rows 0-4, 5-9 and then 10 alone, where the step's Pass button joins it.
    """
    options = scale.options(dimension=dimension)
    per_row = 5
    items = []
    for index, option in enumerate(options):
        items.append(
            button(
                limits.button_label(option.label),
                area,
                *args,
                option.value,
                emoji=option.emoji,
                style=discord.ButtonStyle.primary,
                row=start_row + index // per_row,
            )
        )
    return items


# --------------------------------------------------------------------------- the answer


def answer_text(
    scale: Scale,
    value: int | None,
    value2: int | None,
    *,
    anonymous: bool,
    replaced: bool,
    step: bool,
) -> str:
    if value is None:
        return (
            "🤍 You passed on this check-in. That's completely fine. "
            + (
                "While the check-in is open, you can still answer by pressing a value on it."
                if step
                else ""
            )
        ).strip()
    answer = describe_value(scale, value, value2)
    verb = "updated" if replaced else "saved"
    if anonymous:
        return (
            f"🔒 Thank you: **{answer}**, saved anonymously. Nothing links it to you, "
            "so it can't be changed or shown to you later."
        )
    change = (
        "Changed your mind? While the check-in is open, press another value on it."
        if step
        else "Changed your mind? Press **Change** below."
    )
    return f"🔒 Your answer is {verb}: **{answer}**. Only you can see it.\n{change}"


def answer_view(
    checkin_id: int, *, note: bool, share: bool, change: str | None = None
) -> discord.ui.View | None:
    items = []
    if note:
        items.append(button("Add a note", "checkin_note", checkin_id, emoji="📝"))
    if share:
        items.append(button("Share with the group", "checkin_share", checkin_id, emoji="📣"))
    if change is not None:
        items.append(button("Change", "checkin_now", change, "change", checkin_id))
    return persistent_view(*items) if items else None


def sam_second_view(area: str, *args: object) -> discord.ui.View:
    scale = Scale.model_validate("sam")
    return persistent_view(*scale_buttons(scale, area, *args, dimension="arousal"))


SAM_SECOND = (
    "Thank you. And how much **energy** do you have right now? (1 very calm, 9 very activated)"
)


def shared_post(name: str, scale: Scale, value: int | None, value2: int | None) -> str:
    return shorten(
        sentence(
            f"📣 **{name}** shared their check-in: **{describe_value(scale, value, value2)}**"
        ),
        1900,
    )


# ------------------------------------------------------------------------------ consent


CONSENT_TEXT = {
    "checkin": (
        "Save your check-in answers (and any notes) for this server? Only you see them; "
        f"facilitators see group figures only when {K_MIN} or more people answered.\n"
        "Which sessions you join is kept either way, so facilitators know who came.\n"
        "/mydata shows what's stored, /forget deletes it; check-ins go after a year.\n\n"
        "**No thanks**: nothing about your mood is stored, I won't ask again, and you still "
        "take part in everything."
    ),
    "goal": (
        "Save your personal goals and how you rate them, for this server? Only you see them; "
        f"facilitators see counts only when {K_MIN} or more people answered.\n"
        "/mydata shows what's stored, /forget deletes it. One choice covers goals and "
        "check-ins; /checkin consent changes it.\n\n"
        "**No thanks**: no goal is stored, and you still take part in everything."
    ),
}

CONSENT_NOW = {
    "agreed": "Right now saving is **on** for you.",
    "declined": "Right now saving is **off** for you (you chose No thanks).",
}


def consent_embed(
    context: Literal["checkin", "goal"] = "checkin",
    title: str | None = None,
    current: str | None = None,
) -> discord.Embed:
    """The short consent explanation for a check-in or a goal (one stored choice for both)."""
    text = CONSENT_TEXT[context]
    if current in CONSENT_NOW:
        text = CONSENT_NOW[current] + "\n\n" + text
    default = "Before your first goal" if context == "goal" else "Before your first check-in"
    return discord.Embed(title=title or default, colour=COLOUR_INFO, description=text)


CONSENT_AGAIN = {
    "checkin": (
        "Your answer is waiting for one choice: may Chorus save your check-ins for this "
        "server? The explanation is in my earlier reply (and in /checkin consent)."
    ),
    "goal": (
        "Your goal is waiting for one choice: may Chorus save your personal goals for this "
        "server? The explanation is in my earlier reply (and in /checkin consent)."
    ),
}
"""A second press before choosing: the question again, briefly, not the same prompt twice."""


def consent_again_embed(context: Literal["checkin", "goal"] = "checkin") -> discord.Embed:
    return discord.Embed(
        title="Saving your goals?" if context == "goal" else "Saving your check-ins?",
        colour=COLOUR_INFO,
        description=CONSENT_AGAIN[context],
    )


def consent_view(agree_args: Sequence[object], decline_args: Sequence[object]) -> discord.ui.View:
    return persistent_view(
        button("Agree", "consent", "yes", *agree_args, style=discord.ButtonStyle.success),
        button("No thanks", "consent", "no", *decline_args),
    )


SAVING_OFF = "Saving is off for you (you chose No thanks). Change your mind: /checkin consent"

DECLINED = (
    "No problem: nothing about your mood was stored, and I won't ask again. You can keep "
    "taking part in everything. Change your mind any time: /checkin consent"
)

CONSENT_ON = (
    "🔒 Thank you: your check-ins will be saved from now on. Only you see them. "
    "/checkin consent turns it off again."
)


def declined_answer_text(step: bool) -> str:
    """The reply to an answer from someone who chose No thanks: nothing was stored."""
    counted = " You're counted as taking part." if step else ""
    return f"🤍 Thank you for answering. Nothing was saved.{counted}\n-# {SAVING_OFF}"


# --------------------------------------------------------------------------------- care


def care_embed(support_text: str) -> discord.Embed:
    return discord.Embed(
        title="Thank you for being honest about how you are",
        colour=COLOUR_CARE,
        description=shorten(
            "It sounds like today is hard. Only you can see this message.\n\n" + support_text,
            DESCRIPTION_MAX,
        ),
    )


def care_view(session_id: int | None, links: Sequence[SupportLink] = ()) -> discord.ui.View | None:
    """The server's support links as link buttons, and "Let the facilitator know" in a session."""
    items: list[discord.ui.Item[Any]] = [support_link_button(link) for link in links]
    if session_id is not None:
        items.append(button("Let the facilitator know", "checkin_tell", session_id))
    return persistent_view(*items) if items else None


def support_link_button(link: SupportLink) -> discord.ui.Button[Any]:
    """A link button (no custom id, nothing to route): label at most 80 characters."""
    return discord.ui.Button(label=link.label[:80], url=link.url, style=discord.ButtonStyle.link)


def support_embed(support_text: str) -> discord.Embed:
    """/support: the server's own support text."""
    return discord.Embed(title="Support", colour=COLOUR_INFO, description=support_text)


NO_FACILITATOR_TO_TELL = (
    "💜 This session no longer has a facilitator I can contact, so I haven't told anyone. "
    "Nothing was posted in the channel. You could speak to someone you trust here, or reach "
    "out to one of the options below."
)

TELL_FAILED = (
    "💜 I couldn't reach the facilitator by direct message (their DMs may be closed), so "
    "they don't know yet. Nothing was posted in the channel. You could tell them yourself, "
    "or reach out to one of the options below."
)


def facilitator_note(name: str, session_title: str) -> str:
    return shorten(
        f"💜 **{name}** asked me to let you know they're finding things hard today "
        f"(check-in in **{session_title}**). Nothing was posted in the channel. "
        "Please reach out to them privately when you can.",
        1900,
    )


# -------------------------------------------------------------------------------- history


def history_file(answers: Sequence[Answer], found: Sequence[Pair], days: int) -> discord.File:
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
    png = charts.trend_chart(points, arrows, f"Your check-ins, last {days} days")
    return discord.File(_bytes(png), filename="checkins.png", description="Your check-in trend")


def _bytes(png: bytes) -> Any:
    from io import BytesIO

    return BytesIO(png)


def history_embed(summary: str, days: int) -> discord.Embed:
    embed = discord.Embed(
        title=f"Your check-ins, last {days} days",
        colour=COLOUR_INFO,
        description=shorten(
            summary + "\n\nOnly you can see this. Circles: before a session, squares: after, "
            "diamonds: /checkin now; arrows join a session's before and after. 1-5 and SAM "
            "answers are drawn on the same 0-10 axis.",
            DESCRIPTION_MAX,
        ),
    )
    embed.set_image(url="attachment://checkins.png")
    return embed


# --------------------------------------------------------------------------------- report


def report_embed(report: SessionReport, title_when: str) -> discord.Embed:
    s = report.session
    embed = discord.Embed(
        title=shorten(f"Report: {s.title}", 256),
        colour=COLOUR_DONE,
        description=(
            f"{title_when}. Group figures appear only when at least {K_MIN} people answered; "
            "no member's own answers or notes are shown."
        ),
    )
    embed.add_field(
        name="Attendance", value=plural(report.attendance, "person", "people"), inline=True
    )
    lines = []
    for f in report.steps:
        # Out of the members asked, as on the board: the facilitator only when they answered.
        rate = k_figure(f.answered, f.expected)
        lines.append(f"{f.activity} · {f.step}: {rate}")
    embed.add_field(
        name="Participation per step",
        value=field("\n".join(lines) if lines else "No steps with answers."),
        inline=False,
    )
    for name, value in report.shift_lines:
        embed.add_field(name=shorten(name, 256), value=field(value), inline=False)
    embed.set_image(url="attachment://mood.png")
    return embed


def report_file(report: SessionReport) -> discord.File:
    png = charts.distribution_chart(
        [name for name, _, _ in BANDS],
        bands(report.before) if report.before else None,
        bands(report.after) if report.after else None,
        "Mood before and after (people per band)",
    )
    return discord.File(_bytes(png), filename="mood.png", description="Mood bands before/after")


# --------------------------------------------------------------------------------- trends


def week_label(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%d %b")


def trends_embed(weeks: Sequence[WeekFigures]) -> discord.Embed:
    lines = []
    for w in weeks:
        if w.sessions == 0:
            continue
        people = k_figure(w.people)
        shift = f"{w.mean_shift:+.1f}" if w.mean_shift is not None else "not shown"
        lines.append(
            f"**{week_label(w.week_start)}**: {plural(w.sessions, 'session')} · {people} people · "
            f"mood shift {shift}"
        )
    if not lines:
        lines.append(f"No sessions in the last {plural(len(weeks), 'week')}.")
    elif len(lines) < len(weeks):
        lines.append("No sessions in the other weeks.")
    embed = discord.Embed(
        title="Group trends",
        colour=COLOUR_INFO,
        description=shorten(
            "\n".join(lines)
            + f"\n\nFigures from fewer than {K_MIN} people are not shown. Mood shift: the mean "
            "change from before to after, in points, over everyone who answered both.",
            DESCRIPTION_MAX,
        ),
    )
    embed.set_image(url="attachment://trends.png")
    return embed


def trends_file(weeks: Sequence[WeekFigures]) -> discord.File:
    png = charts.trends_chart(
        [
            charts.Week(
                week_label(w.week_start), w.people if w.people >= K_MIN else None, w.mean_shift
            )
            for w in weeks
        ],
        "Group trends: people per week and mean mood shift",
    )
    return discord.File(_bytes(png), filename="trends.png", description="Group trends")

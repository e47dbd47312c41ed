"""Check-in messages: scale buttons, the private answer reply, consent, care, and the reports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

import discord

from bot.core.activities import Scale, localize
from bot.core.checkin_service import SessionReport, WeekFigures
from bot.core.checkins import (
    BANDS,
    K_MIN,
    Answer,
    Pair,
    bands,
    describe_value,
    k_figure,
    scale_of,
    to_ten,
)
from bot.core.guild_settings import SupportLink
from bot.core.steps.checkin import Anchors
from bot.core.text import shorten
from bot.ui import charts
from bot.ui.components import TypedButton, persistent_view
from bot.ui.format import COLOUR_DONE, COLOUR_INFO, DESCRIPTION_MAX, field, plural, sentence

COLOUR_CARE = 0xE0B0FF


def scale_hint(scale: Scale, anchors: Anchors | None = None, locale: str = "en") -> str:
    """One line saying how to read the scale (the activity's anchors in ``locale``)."""
    if scale.kind == "0-10":
        low = localize(anchors.low, locale) if anchors else "very low"
        high = localize(anchors.high, locale) if anchors else "very good"
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
    scale: Scale,
    family: type[TypedButton],
    fields: Mapping[str, object],
    *,
    field: str = "value",
    dimension: str = "valence",
    start_row: int = 0,
) -> list[TypedButton]:
    """The scale's answers as buttons of `family`, 5 to a row (Discord's limit): each button's
    `field` is its option's value, the other `fields` are the same on every button.

    0-10 takes rows 0-4, 5-9 and then 10 alone, where the step's Pass button joins it.
    """
    options = scale.options(dimension=dimension)
    per_row = 5
    items: list[TypedButton] = []
    for index, option in enumerate(options):
        values: dict[str, Any] = {**fields, field: option.value}
        items.append(
            family.button(
                option.label,
                emoji=option.emoji,
                style=discord.ButtonStyle.primary,
                row=start_row + index // per_row,
                **values,
            )
        )
    return items


# ------------------------------------------------------------------------- /checkin now
# One family per id format posted since /checkin now began; `new` answers a fresh check-in,
# `r<id>` replaces check-in <id> (after Change), a second value is a two-part (sam) answer.


class NowAnswer(TypedButton):
    """An answer to /checkin now on the scale named `scale` ("0-10", "1-5" or "sam")."""

    scale: str
    value: int
    value2: int | None = None
    replace_id: int | None = None


class NowNewButton(NowAnswer, spec="chorus:checkin_now:{scale}:new:{value:int}"):
    """A first answer (or the first half of a two-part one)."""


class NowNewPairButton(NowAnswer, spec="chorus:checkin_now:{scale}:new:{value:int}:{value2:int}"):
    """The second half of a two-part answer."""


class NowReplaceButton(NowAnswer, spec="chorus:checkin_now:{scale}:r{replace_id:int}:{value:int}"):
    """A changed answer that replaces check-in `replace_id`."""


class NowReplacePairButton(
    NowAnswer, spec="chorus:checkin_now:{scale}:r{replace_id:int}:{value:int}:{value2:int}"
):
    """The second half of a changed two-part answer."""


class NowChangeButton(TypedButton, spec="chorus:checkin_now:{scale}:change:{checkin_id:int}"):
    """Change: asks again, and the next answer replaces check-in `checkin_id`."""

    scale: str
    checkin_id: int


def now_buttons(scale_name: str, replace_id: int | None) -> list[TypedButton]:
    """The scale's buttons for /checkin now (the first half of a two-part scale)."""
    scale = scale_of(scale_name)
    if replace_id is None:
        return scale_buttons(scale, NowNewButton, {"scale": scale_name})
    return scale_buttons(scale, NowReplaceButton, {"scale": scale_name, "replace_id": replace_id})


def now_prompt(scale_name: str, replace_id: int | None) -> tuple[discord.Embed, discord.ui.View]:
    """/checkin now's question and scale; the answer replaces check-in `replace_id` if given.

    Raises InvalidInput for a scale name that isn't built in."""
    embed = discord.Embed(
        title="How are you right now?",
        colour=COLOUR_INFO,
        description=scale_hint(scale_of(scale_name))
        + "\n🔒 Only you see your answer, unless you choose to share it.",
    )
    return embed, persistent_view(*now_buttons(scale_name, replace_id))


def now_second_view(scale_name: str, replace_id: int | None, value: int) -> discord.ui.View:
    """The energy half of a two-part /checkin now answer, after its first `value`."""
    if replace_id is None:
        return sam_second_view(NowNewPairButton, {"scale": scale_name, "value": value})
    return sam_second_view(
        NowReplacePairButton, {"scale": scale_name, "replace_id": replace_id, "value": value}
    )


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


class NoteButton(TypedButton, spec="chorus:checkin_note:{checkin_id:int}"):
    """Add a private note to check-in `checkin_id`."""

    checkin_id: int


class ShareButton(TypedButton, spec="chorus:checkin_share:{checkin_id:int}"):
    """Share check-in `checkin_id` (not its note) with the group."""

    checkin_id: int


def answer_view(
    checkin_id: int, *, note: bool, share: bool, change: str | None = None
) -> discord.ui.View | None:
    """Under a saved answer: Add a note, Share, and (for /checkin now, `change` being the
    scale's name) Change."""
    items: list[TypedButton] = []
    if note:
        items.append(NoteButton.button("Add a note", checkin_id=checkin_id, emoji="📝"))
    if share:
        items.append(ShareButton.button("Share with the group", checkin_id=checkin_id, emoji="📣"))
    if change is not None:
        items.append(NowChangeButton.button("Change", scale=change, checkin_id=checkin_id))
    return persistent_view(*items) if items else None


def sam_second_view(family: type[TypedButton], fields: Mapping[str, object]) -> discord.ui.View:
    """The energy half of a two-part (sam) answer: buttons of `family` (a pair family), each
    setting its `value2`; `fields` are the first half's."""
    scale = Scale.model_validate("sam")
    return persistent_view(
        *scale_buttons(scale, family, fields, field="value2", dimension="arousal")
    )


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


class ConsentButton(TypedButton):
    """Agree (`answer` "yes") or No thanks ("no") to saving check-ins; a base of the three
    families below, one per place that asks (each keeps the id format it has always posted)."""

    answer: str

    @property
    def agreed(self) -> bool:
        return self.answer == "yes"


class ConsentCommandButton(ConsentButton, spec="chorus:consent:{answer:word}:cmd"):
    """From /checkin consent: just the choice."""


class ConsentNowButton(
    ConsentButton, spec="chorus:consent:{answer:word}:now:{scale}:{rid}:{value:int}"
):
    """From /checkin now: the choice, then the waiting answer `value` on `scale`. `rid` is
    "new" or "r<check-in id>" for a changed answer (see `replace_id`)."""

    scale: str
    rid: str
    value: int
    value2: int | None = None

    @property
    def replace_id(self) -> int | None:
        """The check-in this answer replaces, or None for a new one.

        Raises ValueError for an `rid` Chorus never posts ("r" and no number)."""
        return int(self.rid[1:]) if self.rid.startswith("r") else None


class ConsentNowPairButton(
    ConsentNowButton,
    spec="chorus:consent:{answer:word}:now:{scale}:{rid}:{value:int}:{value2:int}",
):
    """From /checkin now with a two-part answer waiting."""


class ConsentStepButton(
    ConsentButton, spec="chorus:consent:{answer:word}:{run_id:int}:{step_index:int}:{value:int}"
):
    """From a check-in step: the choice, then the waiting answer `value` to that step."""

    run_id: int
    step_index: int
    value: int
    value2: int | None = None


class ConsentStepPairButton(
    ConsentStepButton,
    spec="chorus:consent:{answer:word}:{run_id:int}:{step_index:int}:{value:int}:{value2:int}",
):
    """From a check-in step with a two-part answer waiting."""


def consent_command_view() -> discord.ui.View:
    """Agree / No thanks for /checkin consent."""
    return persistent_view(
        ConsentCommandButton.button("Agree", answer="yes", style=discord.ButtonStyle.success),
        ConsentCommandButton.button("No thanks", answer="no"),
    )


def consent_now_view(
    scale: str, replace_id: int | None, value: int, value2: int | None
) -> discord.ui.View:
    """Agree / No thanks for /checkin now, carrying the answer. The value rides on No thanks
    too (without its second half): a low answer gets the support message either way."""
    rid = "new" if replace_id is None else f"r{replace_id}"
    agree = (
        ConsentNowButton.button(
            "Agree", answer="yes", scale=scale, rid=rid, value=value, style=_SUCCESS
        )
        if value2 is None
        else ConsentNowPairButton.button(
            "Agree", answer="yes", scale=scale, rid=rid, value=value, value2=value2, style=_SUCCESS
        )
    )
    decline = ConsentNowButton.button("No thanks", answer="no", scale=scale, rid=rid, value=value)
    return persistent_view(agree, decline)


def consent_step_view(
    run_id: int, step_index: int, value: int, value2: int | None
) -> discord.ui.View:
    """Agree / No thanks at a check-in step, carrying the answer (on No thanks too, as above)."""
    at: dict[str, Any] = {"run_id": run_id, "step_index": step_index, "value": value}
    agree = (
        ConsentStepButton.button("Agree", answer="yes", style=_SUCCESS, **at)
        if value2 is None
        else ConsentStepPairButton.button(
            "Agree", answer="yes", value2=value2, style=_SUCCESS, **at
        )
    )
    return persistent_view(agree, ConsentStepButton.button("No thanks", answer="no", **at))


_SUCCESS = discord.ButtonStyle.success


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


class TellButton(TypedButton, spec="chorus:checkin_tell:{session_id:int}"):
    """Let the facilitator of session `session_id` know, privately, that a member is struggling."""

    session_id: int


def care_view(session_id: int | None, links: Sequence[SupportLink] = ()) -> discord.ui.View | None:
    """The server's support links as link buttons, and "Let the facilitator know" in a session."""
    items: list[discord.ui.Item[Any]] = [support_link_button(link) for link in links]
    if session_id is not None:
        items.append(TellButton.button("Let the facilitator know", session_id=session_id))
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

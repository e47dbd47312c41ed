"""Check-in messages: scale buttons, the private answer reply, consent, care, and the reports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

import discord
from babel import dates

from bot.core.activities import Scale, localize
from bot.core.checkin_figures import BANDS, Answer, Pair, bands, signed_tenths
from bot.core.checkin_service import SessionReport, WeekFigures
from bot.core.checkins import K_MIN, describe_value, scale_of, to_ten
from bot.core.guild_settings import SupportLink
from bot.core.steps.checkin import Anchors
from bot.core.text import shorten
from bot.i18n import N_, _, format_percent, ngettext
from bot.ui import charts
from bot.ui.components import TypedButton, persistent_view
from bot.ui.format import COLOUR_DONE, COLOUR_INFO, DESCRIPTION_MAX, field, sentence

COLOUR_CARE = 0xE0B0FF


def scale_hint(scale: Scale, anchors: Anchors | None = None, *, locale: str) -> str:
    """One line saying how to read the scale (the activity's anchors in ``locale``)."""
    if scale.kind == "0-10":
        low = localize(anchors.low, locale) if anchors else _("very low", locale)
        high = localize(anchors.high, locale) if anchors else _("very good", locale)
        return f"0 = {low}, 10 = {high}."
    if scale.kind == "sam":
        return _(
            "Two quick choices: first how **pleasant** you feel (1 very unpleasant to 9 very "
            "pleasant), then how much **energy** you have (1 very calm to 9 very activated).",
            locale,
        )
    if scale.kind == "1-5":
        return _("Pick the face that fits best.", locale)
    return _("Pick the option that fits best.", locale)


def scale_buttons(
    scale: Scale,
    family: type[TypedButton],
    fields: Mapping[str, object],
    *,
    field: str = "value",
    dimension: str = "valence",
    start_row: int = 0,
    locale: str,
) -> list[TypedButton]:
    """The scale's answers as buttons of `family`, 5 to a row (Discord's limit): each button's
    `field` is its option's value, the other `fields` are the same on every button.

    0-10 takes rows 0-4, 5-9 and then 10 alone, where the step's Pass button joins it.
    """
    options = scale.options(locale, dimension=dimension)
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


def now_buttons(scale_name: str, replace_id: int | None, locale: str) -> list[TypedButton]:
    """The scale's buttons for /checkin now (the first half of a two-part scale)."""
    scale = scale_of(scale_name)
    if replace_id is None:
        return scale_buttons(scale, NowNewButton, {"scale": scale_name}, locale=locale)
    return scale_buttons(
        scale, NowReplaceButton, {"scale": scale_name, "replace_id": replace_id}, locale=locale
    )


def now_prompt(
    scale_name: str, replace_id: int | None, locale: str
) -> tuple[discord.Embed, discord.ui.View]:
    """/checkin now's question and scale; the answer replaces check-in `replace_id` if given.

    Raises InvalidInput for a scale name that isn't built in."""
    embed = discord.Embed(
        title=_("How are you right now?", locale),
        colour=COLOUR_INFO,
        description=scale_hint(scale_of(scale_name), locale=locale)
        + "\n"
        + _("🔒 Only you see your answer, unless you choose to share it.", locale),
    )
    return embed, persistent_view(*now_buttons(scale_name, replace_id, locale))


def now_second_view(
    scale_name: str, replace_id: int | None, value: int, locale: str
) -> discord.ui.View:
    """The energy half of a two-part /checkin now answer, after its first `value`."""
    if replace_id is None:
        return sam_second_view(NowNewPairButton, {"scale": scale_name, "value": value}, locale)
    return sam_second_view(
        NowReplacePairButton,
        {"scale": scale_name, "replace_id": replace_id, "value": value},
        locale,
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
    locale: str,
) -> str:
    if value is None:
        passed = _("🤍 You passed on this check-in. That's completely fine.", locale)
        if step:
            still = _(
                "While the check-in is open, you can still answer by pressing a value on it.",
                locale,
            )
            return f"{passed} {still}"
        return passed
    answer = describe_value(scale, value, value2, locale=locale)
    if anonymous:
        return _(
            "🔒 Thank you: **{answer}**, saved anonymously. Nothing links it to you, "
            "so it can't be changed or shown to you later.",
            locale,
            answer=answer,
        )
    change = (
        _("Changed your mind? While the check-in is open, press another value on it.", locale)
        if step
        else _("Changed your mind? Press **Change** below.", locale)
    )
    saved = (
        _("🔒 Your answer is updated: **{answer}**. Only you can see it.", locale, answer=answer)
        if replaced
        else _("🔒 Your answer is saved: **{answer}**. Only you can see it.", locale, answer=answer)
    )
    return f"{saved}\n{change}"


class NoteButton(TypedButton, spec="chorus:checkin_note:{checkin_id:int}"):
    """Add a private note to check-in `checkin_id`."""

    checkin_id: int


class ShareButton(TypedButton, spec="chorus:checkin_share:{checkin_id:int}"):
    """Share check-in `checkin_id` (not its note) with the group."""

    checkin_id: int


def answer_view(
    checkin_id: int,
    *,
    note: bool,
    share: bool,
    change: str | None = None,
    locale: str,
) -> discord.ui.View | None:
    """Under a saved answer: Add a note, Share, and (for /checkin now, `change` being the
    scale's name) Change."""
    items: list[TypedButton] = []
    if note:
        items.append(NoteButton.button(_("Add a note", locale), checkin_id=checkin_id, emoji="📝"))
    if share:
        items.append(
            ShareButton.button(_("Share with the group", locale), checkin_id=checkin_id, emoji="📣")
        )
    if change is not None:
        items.append(
            NowChangeButton.button(_("Change", locale), scale=change, checkin_id=checkin_id)
        )
    return persistent_view(*items) if items else None


def sam_second_view(
    family: type[TypedButton], fields: Mapping[str, object], locale: str
) -> discord.ui.View:
    """The energy half of a two-part (sam) answer: buttons of `family` (a pair family), each
    setting its `value2`; `fields` are the first half's."""
    scale = Scale.model_validate("sam")
    return persistent_view(
        *scale_buttons(scale, family, fields, field="value2", dimension="arousal", locale=locale)
    )


SAM_SECOND = N_(
    "Thank you. And how much **energy** do you have right now? (1 very calm, 9 very activated)"
)


def shared_post(name: str, scale: Scale, value: int | None, value2: int | None, locale: str) -> str:
    """A shared check-in as the group sees it (``locale``: the server's language)."""
    return shorten(
        sentence(
            _(
                "📣 **{name}** shared their check-in: **{answer}**",
                locale,
                name=name,
                answer=describe_value(scale, value, value2, locale=locale),
            )
        ),
        1900,
    )


# ------------------------------------------------------------------------------ consent


CONSENT_TEXT = {
    "checkin": N_(
        "Save your check-in answers (and any notes) for this server? Only you see them; "
        "facilitators see group figures only when {k} or more people answered.\n"
        "Which sessions you join is kept either way, so facilitators know who came.\n"
        "/mydata shows what's stored, /forget deletes it; check-ins go after a year.\n\n"
        "**No thanks**: nothing about your mood is stored, I won't ask again, and you still "
        "take part in everything."
    ),
    "goal": N_(
        "Save your personal goals and how you rate them, for this server? Only you see them; "
        "facilitators see counts only when {k} or more people answered.\n"
        "/mydata shows what's stored, /forget deletes it. One choice covers goals and "
        "check-ins; /checkin consent changes it.\n\n"
        "**No thanks**: no goal is stored, and you still take part in everything."
    ),
}

CONSENT_NOW = {
    "agreed": N_("Right now saving is **on** for you."),
    "declined": N_("Right now saving is **off** for you (you chose No thanks)."),
}


def consent_embed(
    context: Literal["checkin", "goal"] = "checkin",
    title: str | None = None,
    current: str | None = None,
    *,
    locale: str,
) -> discord.Embed:
    """The short consent explanation for a check-in or a goal (one stored choice for both)."""
    text = _(CONSENT_TEXT[context], locale, k=K_MIN)
    if current in CONSENT_NOW:
        text = _(CONSENT_NOW[current], locale) + "\n\n" + text
    default = (
        _("Before your first goal", locale)
        if context == "goal"
        else _("Before your first check-in", locale)
    )
    return discord.Embed(title=title or default, colour=COLOUR_INFO, description=text)


CONSENT_AGAIN = {
    "checkin": N_(
        "Your answer is waiting for one choice: may Chorus save your check-ins for this "
        "server? The explanation is in my earlier reply (and in /checkin consent)."
    ),
    "goal": N_(
        "Your goal is waiting for one choice: may Chorus save your personal goals for this "
        "server? The explanation is in my earlier reply (and in /checkin consent)."
    ),
}
"""A second press before choosing: the question again, briefly, not the same prompt twice."""


def consent_again_embed(
    context: Literal["checkin", "goal"] = "checkin", *, locale: str
) -> discord.Embed:
    return discord.Embed(
        title=(
            _("Saving your goals?", locale)
            if context == "goal"
            else _("Saving your check-ins?", locale)
        ),
        colour=COLOUR_INFO,
        description=_(CONSENT_AGAIN[context], locale),
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


def consent_command_view(locale: str) -> discord.ui.View:
    """Agree / No thanks for /checkin consent."""
    return persistent_view(
        ConsentCommandButton.button(
            _("Agree", locale), answer="yes", style=discord.ButtonStyle.success
        ),
        ConsentCommandButton.button(_("No thanks", locale), answer="no"),
    )


def consent_now_view(
    scale: str, replace_id: int | None, value: int, value2: int | None, locale: str
) -> discord.ui.View:
    """Agree / No thanks for /checkin now, carrying the answer. The value rides on No thanks
    too (without its second half): a low answer gets the support message either way."""
    rid = "new" if replace_id is None else f"r{replace_id}"
    agree_label = _("Agree", locale)
    agree = (
        ConsentNowButton.button(
            agree_label, answer="yes", scale=scale, rid=rid, value=value, style=_SUCCESS
        )
        if value2 is None
        else ConsentNowPairButton.button(
            agree_label,
            answer="yes",
            scale=scale,
            rid=rid,
            value=value,
            value2=value2,
            style=_SUCCESS,
        )
    )
    decline = ConsentNowButton.button(
        _("No thanks", locale), answer="no", scale=scale, rid=rid, value=value
    )
    return persistent_view(agree, decline)


def consent_step_view(
    run_id: int, step_index: int, value: int, value2: int | None, locale: str
) -> discord.ui.View:
    """Agree / No thanks at a check-in step, carrying the answer (on No thanks too, as above)."""
    at: dict[str, Any] = {"run_id": run_id, "step_index": step_index, "value": value}
    agree = (
        ConsentStepButton.button(_("Agree", locale), answer="yes", style=_SUCCESS, **at)
        if value2 is None
        else ConsentStepPairButton.button(
            _("Agree", locale), answer="yes", value2=value2, style=_SUCCESS, **at
        )
    )
    return persistent_view(
        agree, ConsentStepButton.button(_("No thanks", locale), answer="no", **at)
    )


_SUCCESS = discord.ButtonStyle.success


SAVING_OFF = N_("Saving is off for you (you chose No thanks). Change your mind: /checkin consent")

DECLINED = N_(
    "No problem: nothing about your mood was stored, and I won't ask again. You can keep "
    "taking part in everything. Change your mind any time: /checkin consent"
)

CONSENT_ON = N_(
    "🔒 Thank you: your check-ins will be saved from now on. Only you see them. "
    "/checkin consent turns it off again."
)


def declined_answer_text(step: bool, locale: str) -> str:
    """The reply to an answer from someone who chose No thanks: nothing was stored."""
    thanks = _("🤍 Thank you for answering. Nothing was saved.", locale)
    counted = " " + _("You're counted as taking part.", locale) if step else ""
    return f"{thanks}{counted}\n-# {_(SAVING_OFF, locale)}"


# --------------------------------------------------------------------------------- care


def care_embed(support_text: str, locale: str) -> discord.Embed:
    return discord.Embed(
        title=_("Thank you for being honest about how you are", locale),
        colour=COLOUR_CARE,
        description=shorten(
            _("It sounds like today is hard. Only you can see this message.", locale)
            + "\n\n"
            + support_text,
            DESCRIPTION_MAX,
        ),
    )


class TellButton(TypedButton, spec="chorus:checkin_tell:{session_id:int}"):
    """Let the facilitator of session `session_id` know, privately, that a member is struggling."""

    session_id: int


def care_view(
    session_id: int | None, links: Sequence[SupportLink] = (), *, locale: str
) -> discord.ui.View | None:
    """The server's support links as link buttons, and "Let the facilitator know" in a session."""
    items: list[discord.ui.Item[Any]] = [support_link_button(link) for link in links]
    if session_id is not None:
        items.append(
            TellButton.button(_("Let the facilitator know", locale), session_id=session_id)
        )
    return persistent_view(*items) if items else None


def support_link_button(link: SupportLink) -> discord.ui.Button[Any]:
    """A link button (no custom id, nothing to route): label at most 80 characters."""
    return discord.ui.Button(label=link.label[:80], url=link.url, style=discord.ButtonStyle.link)


def support_embed(support_text: str, locale: str) -> discord.Embed:
    """/support: the server's own support text."""
    return discord.Embed(title=_("Support", locale), colour=COLOUR_INFO, description=support_text)


NO_FACILITATOR_TO_TELL = N_(
    "💜 This session no longer has a facilitator I can contact, so I haven't told anyone. "
    "Nothing was posted in the channel. You could speak to someone you trust here, or reach "
    "out to one of the options below."
)

TELL_FAILED = N_(
    "💜 I couldn't reach the facilitator by direct message (their DMs may be closed), so "
    "they don't know yet. Nothing was posted in the channel. You could tell them yourself, "
    "or reach out to one of the options below."
)


def facilitator_note(name: str, session_title: str, locale: str) -> str:
    return shorten(
        _(
            "💜 **{name}** asked me to let you know they're finding things hard today "
            "(check-in in **{title}**). Nothing was posted in the channel. "
            "Please reach out to them privately when you can.",
            locale,
            name=name,
            title=session_title,
        ),
        1900,
    )


# -------------------------------------------------------------------------------- history


def history_file(
    answers: Sequence[Answer], found: Sequence[Pair], days: int, locale: str
) -> discord.File:
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
    return discord.File(
        _bytes(png), filename="checkins.png", description=_("Your check-in trend", locale)
    )


def _days_title(days: int, locale: str) -> str:
    return ngettext(
        "Your check-ins, last {count} day", "Your check-ins, last {count} days", days, locale
    )


def _bytes(png: bytes) -> Any:
    from io import BytesIO

    return BytesIO(png)


def history_embed(summary: str, days: int, locale: str) -> discord.Embed:
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
    embed.set_image(url="attachment://checkins.png")
    return embed


# --------------------------------------------------------------------------------- report


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
    return str(count)


def report_embed(report: SessionReport, title_when: str, locale: str) -> discord.Embed:
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
    embed.set_image(url="attachment://mood.png")
    return embed


BAND_NAMES = (N_("low (0-3)"), N_("middle (4-6)"), N_("high (7-10)"))
"""The words for bot/core/checkins.py BANDS, in order."""


def report_file(report: SessionReport, locale: str) -> discord.File:
    png = charts.distribution_chart(
        [_(name, locale) for name in BAND_NAMES[: len(BANDS)]],
        bands(report.before) if report.before else None,
        bands(report.after) if report.after else None,
        _("Mood before and after (people per band)", locale),
        locale,
    )
    return discord.File(
        _bytes(png), filename="mood.png", description=_("Mood bands before/after", locale)
    )


# --------------------------------------------------------------------------------- trends


def week_label(ts: float, locale: str) -> str:
    """The week's first day, short: "27 Mar" (en), "27. März" (de), "27 mar" (es)."""
    when = datetime.fromtimestamp(ts, UTC)
    if locale == "en":
        return when.strftime("%d %b")
    return dates.format_skeleton("dMMM", when, locale=locale)


def trends_embed(weeks: Sequence[WeekFigures], locale: str) -> discord.Embed:
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
    embed.set_image(url="attachment://trends.png")
    return embed


def trends_file(weeks: Sequence[WeekFigures], locale: str) -> discord.File:
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
    return discord.File(_bytes(png), filename="trends.png", description=_("Group trends", locale))

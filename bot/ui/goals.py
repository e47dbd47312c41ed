"""Goal messages: the private rating prompts, /goal list and progress, and the progress chart.

Goal text is member text: it is escaped for markdown, bounded, and every message that carries it
is sent with AllowedMentions.none() by the cog. In charts, "$" is escaped so matplotlib never
reads a goal as maths.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import discord

from bot.core.checkins import strip_mentions
from bot.core.goal_service import GoalProgress
from bot.core.goals import GOAL_MAX, MAX_ACTIVE, RATINGS, describe_rating
from bot.core.text import shorten
from bot.i18n import N_, _
from bot.records.goals import GoalRecord
from bot.ui import chart_worker
from bot.ui.components import TypedButton, persistent_view
from bot.ui.file_names import GOAL_PROGRESS, attached, attachment_name
from bot.ui.form_ids import FormId
from bot.ui.format import COLOUR_DONE, COLOUR_INFO, DESCRIPTION_MAX, sentence

MARKERS = ("o", "s", "D")
LINESTYLES = ("-", "--", ":")
STATUS_WORDS = {"active": N_("active"), "done": N_("done ✅"), "dropped": N_("dropped")}


def goal_text(goal: GoalRecord, limit: int = GOAL_MAX) -> str:
    """A goal's text, safe inside markdown."""
    return discord.utils.escape_markdown(shorten(strip_mentions(goal.text), limit))


# ------------------------------------------------------------------------- rating prompts


def rating_prompt(
    goal: GoalRecord, position: int, total: int, chosen: int | None, answered: bool, locale: str
) -> str:
    """The private question for one goal, with the member's current answer if any."""
    head = (
        _("🎯 **Goal {position} of {total}**", locale, position=position, total=total)
        if total > 1
        else _("🎯 **Your goal**", locale)
    )
    lines = [
        _(
            "{head}\nHow did today go for: **{goal_text}**?",
            locale,
            head=head,
            goal_text=goal_text(goal),
        )
    ]
    if answered:
        lines.append(
            _(
                "Your answer: **{rating}** (saved; only you can see it). Press another "
                "button to change it until the step ends.",
                locale,
                rating=describe_rating(chosen, locale),
            )
        )
    else:
        lines.append(_("1 = hard, 5 = very good. Only you see this and your answer.", locale))
    return "\n".join(lines)


class GoalRating(TypedButton):
    """A private rating of goal `goal_id` at goal step `step_index` of run `run_id`: `value`
    1-5, or None for Pass. One family per id format."""

    goal_id: int
    run_id: int
    step_index: int
    value: int | None = None


class RateButton(
    GoalRating, spec="chorus:goal_rate:{goal_id:int}:{run_id:int}:{step_index:int}:{value:int}"
):
    """One rating, 1 (hard) to 5 (very good)."""


class RatePassButton(
    GoalRating, spec="chorus:goal_rate:{goal_id:int}:{run_id:int}:{step_index:int}:pass"
):
    """Pass on this goal today."""


def rating_view(
    goal: GoalRecord,
    run_id: int,
    step_index: int,
    chosen: int | None,
    answered: bool,
    locale: str,
) -> discord.ui.View:
    """1-5 buttons with words in ``locale``, and Pass; the current answer is marked with a
    tick."""
    items: list[GoalRating] = []
    for value, label in RATINGS:
        picked = answered and chosen == value
        worded = f"{value} · {_(label, locale)}"
        items.append(
            RateButton.button(
                f"✓ {worded}" if picked else worded,
                goal_id=goal.id,
                run_id=run_id,
                step_index=step_index,
                value=value,
                style=discord.ButtonStyle.success if picked else discord.ButtonStyle.primary,
                row=0,
            )
        )
    passed = answered and chosen is None
    items.append(
        RatePassButton.button(
            _("✓ Passed", locale) if passed else _("Pass on this one", locale),
            goal_id=goal.id,
            run_id=run_id,
            step_index=step_index,
            style=discord.ButtonStyle.success if passed else discord.ButtonStyle.secondary,
            row=1,
        )
    )
    return persistent_view(*items)


ALL_DONE = N_("✅ That's all your goals for today. Thank you. Only you can see your answers.")


PASSED_STEP = N_(
    "🤍 You passed on the goal check. That's completely fine; nothing else is asked today."
)


# ------------------------------------------------------------------------------- commands


def saved_text(goal: GoalRecord, *, at_step: bool, locale: str) -> str:
    """The reply after /goal set, in ``locale``: the goal, and when it will be asked about."""
    later = (
        _("At the goal step of a session I'll ask you privately how the day went for it.", locale)
        if not at_step
        else _(
            "Next time there's a goal step, I'll ask you privately how the day went for it.", locale
        )
    )
    return _(
        "🎯 Your goal is saved: **{goal_text}**\nOnly you can see it. {later} See all your "
        "goals with /goal list.",
        locale,
        goal_text=goal_text(goal),
        later=later,
    )


def list_embed(goals: Sequence[GoalRecord], locale: str) -> discord.Embed:
    """/goal list: the member's active goals, then the closed ones, in ``locale``."""
    active = [g for g in goals if g.status == "active"]
    embed = discord.Embed(title=_("Your goals", locale), colour=COLOUR_INFO)
    if not active:
        embed.description = _(
            "You have no active goals. Choose one with **/goal set**, e.g. *feel less "
            "anxious*, *share more with others* or *sleep better*.",
            locale,
        )
    else:
        lines = [f"`#{g.id}` {goal_text(g)}" for g in active]
        room = MAX_ACTIVE - len(active)
        tail = (
            _("You can add {room} more with /goal set.", locale, room=room)
            if room
            else _("That's {max_active}, the most at once.", locale, max_active=MAX_ACTIVE)
        )
        embed.description = shorten(
            _(
                "{goals}\n\n{tail} Finished one? /goal done. Not for you any more? /goal drop. "
                "See how it's going with /goal progress.",
                locale,
                goals="\n".join(lines),
                tail=tail,
            ),
            DESCRIPTION_MAX,
        )
    closed = [g for g in goals if g.status != "active"][-5:]
    if closed:
        embed.add_field(
            name=_("Earlier goals", locale),
            value=shorten(
                "\n".join(
                    f"{goal_text(g, 80)} ({_(STATUS_WORDS[g.status], locale)})" for g in closed
                ),
                1024,
            ),
            inline=False,
        )
    embed.set_footer(text=_("🔒 Only you can see your goals and how you rate them.", locale))
    return embed


def closed_text(goal: GoalRecord, locale: str) -> str:
    """The reply after a goal was marked done or let go, in ``locale``."""
    if goal.status == "done":
        return _(
            "🎉 Well done! **{goal_text}** is marked as done. Its ratings stay in /goal progress.",
            locale,
            goal_text=goal_text(goal),
        )
    return _(
        "Dropped **{goal}**. That's fine: goals can change. Its ratings stay in /goal progress "
        "until you /forget.",
        locale,
        goal=goal_text(goal),
    )


def autocomplete_name(goal: GoalRecord, locale: str) -> str:
    """A choice's name (at most 100 characters): the goal text, with its state if closed."""
    words = STATUS_WORDS.get(goal.status, goal.status)
    suffix = "" if goal.status == "active" else f" ({_(words, locale)})"
    return shorten(goal.text, 100 - len(suffix)) + suffix


# ------------------------------------------------------------------------------- progress


def progress_embed(progress: Sequence[GoalProgress], locale: str) -> discord.Embed:
    """/goal progress: each goal's ratings so far, with the chart attached below it."""
    embed = discord.Embed(title=_("Your goal progress", locale), colour=COLOUR_DONE)
    if not progress:
        embed.description = _("You have no goals yet. Choose one with **/goal set**.", locale)
        return embed
    lines = []
    for number, item in enumerate(progress, 1):
        state = (
            ""
            if item.goal.status == "active"
            else f" ({_(STATUS_WORDS[item.goal.status], locale)})"
        )
        summary = sentence(item.summary(locale))
        lines.append(f"**{number}. {goal_text(item.goal)}**{state}\n{summary}")
    embed.description = shorten(
        _(
            "{goals}\n\n1 = hard, 5 = very good; one point per session. Only you can see this.",
            locale,
            goals="\n\n".join(lines),
        ),
        DESCRIPTION_MAX,
    )
    embed.set_image(url="attachment://" + attachment_name(GOAL_PROGRESS, "png", locale))
    return embed


def chart_text(text: str, width: int = 70) -> str:
    """Member text for matplotlib: no maths mode, wrapped to two lines at most."""
    wrapped = textwrap.wrap(text.replace("$", r"\$"), width) or [""]
    if len(wrapped) > 2:
        wrapped = [wrapped[0], shorten(" ".join(wrapped[1:]), width)]
    return "\n".join(wrapped)


def progress_chart(progress: Sequence[GoalProgress], locale: str) -> bytes:
    """One panel per goal: its rating per session over time, with words on the 1-5 axis (PNG),
    in ``locale``.

    Drawn in the chart process (`bot.ui.chart_drawing.progress_chart`); blocks until done."""
    return chart_worker.draw("progress_drawing.progress_chart", list(progress), locale)


def progress_file(progress: Sequence[GoalProgress], locale: str) -> discord.File:
    """/goal progress's chart as a PNG named in ``locale`` (`file_names.GOAL_PROGRESS`) (drawn in the chart process; blocks until done)."""
    png = progress_chart(progress, locale)
    description = _("Your goal ratings per session", locale)
    return attached(png, GOAL_PROGRESS, "png", description, locale)


# ------------------------------------------------------------------------------- consent


@dataclass(frozen=True)
class GoalStepFormId(FormId, spec="chorus:form_goal:step:{run_id:int}:{step_index:int}"):
    """The id of the goal form opened at a goal step: the run and its goal step."""

    run_id: int
    step_index: int


@dataclass(frozen=True)
class GoalCommandFormId(FormId, spec="chorus:form_goal:cmd"):
    """The id of the goal form opened by /goal set (after agreeing): it carries nothing."""


class GoalConsentButton(TypedButton):
    """Agree (`answer` "yes") or No thanks ("no") to saving goals (the check-in consent)."""

    answer: str
    run_id: int | None = None
    step_index: int | None = None

    @property
    def agreed(self) -> bool:
        """True for Agree, False for No thanks."""
        return self.answer == "yes"


class GoalConsentCommandButton(GoalConsentButton, spec="chorus:goal_consent:{answer:yesno}:cmd"):
    """From /goal set (the goal waits in the message) or a goal form."""


class GoalConsentStepButton(
    GoalConsentButton,
    spec="chorus:goal_consent:{answer:yesno}:step:{run_id:int}:{step_index:int}",
):
    """From a goal step's Set a goal: Agree continues to the form, No thanks counts as a pass."""


def consent_view(
    locale: str, run_id: int | None = None, step_index: int | None = None
) -> discord.ui.View:
    """The check-in consent's buttons in ``locale``, continuing into the goal that asked for it
    (at goal step `step_index` of run `run_id`, or from /goal set without them)."""
    success = discord.ButtonStyle.success
    agree, decline = _("Agree", locale), _("No thanks", locale)
    if run_id is None or step_index is None:
        return persistent_view(
            GoalConsentCommandButton.button(agree, answer="yes", style=success),
            GoalConsentCommandButton.button(decline, answer="no"),
        )
    return persistent_view(
        GoalConsentStepButton.button(
            agree, answer="yes", run_id=run_id, step_index=step_index, style=success
        ),
        GoalConsentStepButton.button(decline, answer="no", run_id=run_id, step_index=step_index),
    )


DECLINED = N_(
    "No problem: no goal was saved, and nothing personal is stored. You can keep "
    "taking part in everything else. If you change your mind, use /goal set again."
)

"""Goal messages: the private rating prompts, /goal list and progress, and the progress chart.

Goal text is member text: it is escaped for markdown, bounded, and every message that carries it
is sent with AllowedMentions.none() by the cog. In charts, "$" is escaped so matplotlib never
reads a goal as maths.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from io import BytesIO

import discord

from bot.core.checkins import strip_mentions
from bot.core.goals import GOAL_MAX, MAX_ACTIVE, RATINGS, GoalProgress, describe_rating
from bot.core.text import shorten
from bot.records.goals import GoalRecord
from bot.ui import chart_worker
from bot.ui.components import TypedButton, persistent_view
from bot.ui.format import COLOUR_DONE, COLOUR_INFO, DESCRIPTION_MAX, sentence

MARKERS = ("o", "s", "D")
LINESTYLES = ("-", "--", ":")
STATUS_WORDS = {"active": "active", "done": "done ✅", "dropped": "dropped"}


def goal_text(goal: GoalRecord, limit: int = GOAL_MAX) -> str:
    """A goal's text, safe inside markdown."""
    return discord.utils.escape_markdown(shorten(strip_mentions(goal.text), limit))


# ------------------------------------------------------------------------- rating prompts


def rating_prompt(
    goal: GoalRecord, position: int, total: int, chosen: int | None, answered: bool
) -> str:
    """The private question for one goal, with the member's current answer if any."""
    head = f"🎯 **Goal {position} of {total}**" if total > 1 else "🎯 **Your goal**"
    lines = [f"{head}\nHow did today go for: **{goal_text(goal)}**?"]
    if answered:
        lines.append(
            f"Your answer: **{describe_rating(chosen)}** (saved; only you can see it). "
            "Press another button to change it until the step ends."
        )
    else:
        lines.append("1 = hard, 5 = very good. Only you see this and your answer.")
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
    goal: GoalRecord, run_id: int, step_index: int, chosen: int | None, answered: bool
) -> discord.ui.View:
    """1-5 buttons with words, and Pass; the current answer is marked with a tick."""
    items: list[GoalRating] = []
    for value, label in RATINGS:
        picked = answered and chosen == value
        items.append(
            RateButton.button(
                f"{'✓ ' if picked else ''}{value} · {label}",
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
            "✓ Passed" if passed else "Pass on this one",
            goal_id=goal.id,
            run_id=run_id,
            step_index=step_index,
            style=discord.ButtonStyle.success if passed else discord.ButtonStyle.secondary,
            row=1,
        )
    )
    return persistent_view(*items)


ALL_DONE = "✅ That's all your goals for today. Thank you. Only you can see your answers."

NO_GOALS_YET = (
    "You haven't set a personal goal yet. Press **Set a goal** on the step to choose one "
    "(a few words, only you see it), or simply pass."
)

PASSED_STEP = (
    "🤍 You passed on the goal check. That's completely fine; nothing else is asked today."
)


# ------------------------------------------------------------------------------- commands


def saved_text(goal: GoalRecord, *, at_step: bool) -> str:
    later = (
        "At the goal step of a session I'll ask you privately how the day went for it."
        if not at_step
        else "Next time there's a goal step, I'll ask you privately how the day went for it."
    )
    return (
        f"🎯 Your goal is saved: **{goal_text(goal)}**\n"
        f"Only you can see it. {later} See all your goals with /goal list."
    )


def list_embed(goals: Sequence[GoalRecord]) -> discord.Embed:
    active = [g for g in goals if g.status == "active"]
    embed = discord.Embed(title="Your goals", colour=COLOUR_INFO)
    if not active:
        embed.description = (
            "You have no active goals. Choose one with **/goal set**, e.g. "
            "*feel less anxious*, *share more with others* or *sleep better*."
        )
    else:
        lines = [f"`#{g.id}` {goal_text(g)}" for g in active]
        room = MAX_ACTIVE - len(active)
        tail = (
            f"You can add {room} more with /goal set."
            if room
            else f"That's {MAX_ACTIVE}, the most at once."
        )
        embed.description = shorten(
            "\n".join(lines)
            + f"\n\n{tail} Finished one? /goal done. Not for you any more? /goal drop. "
            "See how it's going with /goal progress.",
            DESCRIPTION_MAX,
        )
    closed = [g for g in goals if g.status != "active"][-5:]
    if closed:
        embed.add_field(
            name="Earlier goals",
            value=shorten(
                "\n".join(f"{goal_text(g, 80)} ({STATUS_WORDS[g.status]})" for g in closed), 1024
            ),
            inline=False,
        )
    embed.set_footer(text="🔒 Only you can see your goals and how you rate them.")
    return embed


def closed_text(goal: GoalRecord) -> str:
    if goal.status == "done":
        return (
            f"🎉 Well done! **{goal_text(goal)}** is marked as done. Its ratings stay in "
            "/goal progress."
        )
    return (
        sentence(f"Dropped **{goal_text(goal)}**")
        + " That's fine: goals can change. Its ratings stay in "
        "/goal progress until you /forget."
    )


def autocomplete_name(goal: GoalRecord) -> str:
    """A choice's name (at most 100 characters): the goal text, with its state if closed."""
    suffix = "" if goal.status == "active" else f" ({goal.status})"
    return shorten(goal.text, 100 - len(suffix)) + suffix


# ------------------------------------------------------------------------------- progress


def progress_embed(progress: Sequence[GoalProgress]) -> discord.Embed:
    embed = discord.Embed(title="Your goal progress", colour=COLOUR_DONE)
    if not progress:
        embed.description = "You have no goals yet. Choose one with **/goal set**."
        return embed
    lines = []
    for number, item in enumerate(progress, 1):
        state = "" if item.goal.status == "active" else f" ({STATUS_WORDS[item.goal.status]})"
        lines.append(f"**{number}. {goal_text(item.goal)}**{state}\n{sentence(item.summary)}")
    embed.description = shorten(
        "\n\n".join(lines)
        + "\n\n1 = hard, 5 = very good; one point per session. Only you can see this.",
        DESCRIPTION_MAX,
    )
    embed.set_image(url="attachment://goals.png")
    return embed


def chart_text(text: str, width: int = 70) -> str:
    """Member text for matplotlib: no maths mode, wrapped to two lines at most."""
    wrapped = textwrap.wrap(text.replace("$", r"\$"), width) or [""]
    if len(wrapped) > 2:
        wrapped = [wrapped[0], shorten(" ".join(wrapped[1:]), width)]
    return "\n".join(wrapped)


def progress_chart(progress: Sequence[GoalProgress]) -> bytes:
    """One panel per goal: its rating per session over time, with words on the 1-5 axis (PNG).

    Drawn in the chart process (`bot.ui.chart_drawing.progress_chart`); blocks until done."""
    return chart_worker.draw("progress_chart", list(progress))


def progress_file(progress: Sequence[GoalProgress]) -> discord.File:
    return discord.File(
        BytesIO(progress_chart(progress)),
        filename="goals.png",
        description="Your goal ratings per session",
    )


# ------------------------------------------------------------------------------- consent


class GoalConsentButton(TypedButton):
    """Agree (`answer` "yes") or No thanks ("no") to saving goals (the check-in consent)."""

    answer: str
    run_id: int | None = None
    step_index: int | None = None

    @property
    def agreed(self) -> bool:
        return self.answer == "yes"


class GoalConsentCommandButton(GoalConsentButton, spec="chorus:goal_consent:{answer:word}:cmd"):
    """From /goal set (the goal waits in the message) or a goal form."""


class GoalConsentStepButton(
    GoalConsentButton,
    spec="chorus:goal_consent:{answer:word}:step:{run_id:int}:{step_index:int}",
):
    """From a goal step's Set a goal: Agree continues to the form, No thanks counts as a pass."""


def consent_view(run_id: int | None = None, step_index: int | None = None) -> discord.ui.View:
    """The check-in consent's buttons, continuing into the goal that asked for it (at goal step
    `step_index` of run `run_id`, or from /goal set without them)."""
    success = discord.ButtonStyle.success
    if run_id is None or step_index is None:
        return persistent_view(
            GoalConsentCommandButton.button("Agree", answer="yes", style=success),
            GoalConsentCommandButton.button("No thanks", answer="no"),
        )
    return persistent_view(
        GoalConsentStepButton.button(
            "Agree", answer="yes", run_id=run_id, step_index=step_index, style=success
        ),
        GoalConsentStepButton.button(
            "No thanks", answer="no", run_id=run_id, step_index=step_index
        ),
    )


DECLINED = (
    "No problem: no goal was saved, and nothing personal is stored. You can keep taking part "
    "in everything else. If you change your mind, use /goal set again."
)

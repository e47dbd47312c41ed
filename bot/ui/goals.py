"""Goal messages: the private rating prompts, /goal list and progress, and the progress chart.

Goal text is member text: it is escaped for markdown, bounded, and every message that carries it
is sent with AllowedMentions.none() by the cog. In charts, "$" is escaped so matplotlib never
reads a goal as maths.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import UTC, datetime
from io import BytesIO

import discord
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure

from bot.core.checkins import strip_mentions
from bot.core.goals import GOAL_MAX, MAX_ACTIVE, RATINGS, GoalProgress, describe_rating
from bot.core.text import shorten
from bot.store.goals import GoalRecord
from bot.ui.charts import DPI, INK, SOFT, WIDTH
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


def _when(ts: float) -> float:
    return float(date2num(datetime.fromtimestamp(ts, UTC)))  # type: ignore[no-untyped-call]


def _date(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%d %b %Y")


def chart_text(text: str, width: int = 70) -> str:
    """Member text for matplotlib: no maths mode, wrapped to two lines at most."""
    wrapped = textwrap.wrap(text.replace("$", r"\$"), width) or [""]
    if len(wrapped) > 2:
        wrapped = [wrapped[0], shorten(" ".join(wrapped[1:]), width)]
    return "\n".join(wrapped)


def progress_chart(progress: Sequence[GoalProgress]) -> bytes:
    """One panel per goal: its rating per session over time, with words on the 1-5 axis.

    Readable without colour: black ink, a different marker and line style per goal, the value
    written above each point, and each panel titled with its goal.
    """
    panels = max(1, len(progress))
    figure = Figure(figsize=(WIDTH, 1.0 + 2.3 * panels), dpi=DPI)
    FigureCanvasAgg(figure)
    axes_list = [figure.add_subplot(panels, 1, i + 1) for i in range(panels)]
    times = [p.at for item in progress for p in item.points]
    for index, axes in enumerate(axes_list):
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.set_ylim(0.5, 5.7)
        axes.set_yticks(
            [value for value, _ in RATINGS], [f"{value} {label}" for value, label in RATINGS]
        )
        axes.tick_params(axis="y", labelsize=8)
        axes.grid(axis="y", color="#dddddd", linewidth=0.8)
        if index >= len(progress):
            axes.text(0.5, 0.5, "No goals yet. Try /goal set.", ha="center", va="center",
                      transform=axes.transAxes, color=SOFT)  # fmt: skip
            axes.set_xticks([])
            continue
        item = progress[index]
        axes.set_title(
            chart_text(f"Goal {index + 1}: {item.goal.text}"), color=INK, fontsize=10, loc="left"
        )
        if not item.points:
            axes.text(0.5, 0.5, "No ratings yet", ha="center", va="center",
                      transform=axes.transAxes, color=SOFT)  # fmt: skip
        else:
            xs = [_when(p.at) for p in item.points]
            ys = [p.value for p in item.points]
            axes.plot(
                xs,
                ys,
                color=INK,
                linestyle=LINESTYLES[index % len(LINESTYLES)],
                linewidth=1.4,
                marker=MARKERS[index % len(MARKERS)],
                markersize=7,
            )
            if len(xs) <= 16:
                for x, y in zip(xs, ys, strict=True):
                    axes.annotate(str(y), (x, y), textcoords="offset points", xytext=(0, 7),
                                  ha="center", fontsize=8, color=INK)  # fmt: skip
        _date_axis(axes, times)
    figure.tight_layout()
    out = BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _date_axis(axes: object, times: Sequence[float]) -> None:
    from matplotlib.axes import Axes

    assert isinstance(axes, Axes)
    if not times:
        axes.set_xticks([])
        return
    low, high = min(times), max(times)
    if high - low < 86400:
        middle = _when((low + high) / 2)
        axes.set_xlim(middle - 1, middle + 1)
        axes.set_xticks([middle], [_date(low)])
        return
    span = _when(high) - _when(low)
    axes.set_xlim(_when(low) - span * 0.06, _when(high) + span * 0.06)
    days = sorted({_date(t): t for t in times}.items(), key=lambda item: item[1])
    if len(days) <= 8:
        # Few sessions: each one's date under its point, so no date has to be guessed.
        axes.set_xticks([_when(t) for _, t in days], [label[:6] for label, _ in days])
        axes.tick_params(axis="x", labelsize=8)
        years = sorted({_date(low)[-4:], _date(high)[-4:]})
        axes.set_xlabel(f"session dates ({'-'.join(years)})", fontsize=8, color=SOFT)
        return
    locator = AutoDateLocator(maxticks=8)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


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

"""A scripted session: what `make screenshots` photographs and the demo test checks.

The facilitator opens a session, the members join, and shipped activities run in turn (opening
check-in, a go-around, a listening step, a lyric circle, a reviewed anonymous reflection, closing
check-in); then the session ends with its summary and the facilitator's report, and a closed
group of 3 places opens (the fourth member waits in line and moves up). The members act
through `Crowd`; the facilitator presses the board's Next button whenever the group has done what
a step asks, and on a reviewed reflection first presses Review answers and Release. Time is simcord's
virtual time, so the music "plays" in an instant.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import discord

from bot.core.activities import localize
from bot.demo.closed_session import show_closed_session
from bot.demo.controls import controls_of
from bot.demo.crowd import Crowd
from bot.demo.facilitator import (
    current_step,
    find_embed,
    open_session,
    press_next,
    review_and_release,
)
from bot.demo.own_chorus import show_own_chorus
from bot.demo.shots import AFTER_SHOTS, SHOTS, Shoot, no_shots
from bot.demo.world import DemoWorld

SESSION_TITLE = "Thursday circle"
LIVE_TITLE = "Demo circle"
TITLES = {
    "de": ("Donnerstagskreis", "Demokreis"),
    "es": ("Círculo del jueves", "Círculo de demostración"),
}
"""The scripted and the live session's titles in another demo language (what a facilitator types)."""
SCRIPT = (
    "opening-checkin",
    "go-around",
    "song-for-this-week",
    "lyric-circle",
    "anonymous-reflection",
    "closing-checkin",
)
TRANSLATED_SCRIPT = ("opening-checkin", "song-choice", "lyric-circle", "closing-checkin")
"""The script in another language: the shipped activities translated into German and Spanish."""


@dataclass
class StepSeen:
    activity: str
    index: int
    kind: str
    title: str
    message_id: int | None


@dataclass
class ScriptReport:
    """What the scripted session did: each step and the message it produced."""

    session_title: str
    activities: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    steps: list[StepSeen] = field(default_factory=list)
    summary: discord.Message | None = None
    report: str | None = None
    actions: int = 0
    # The facilitator's private review of each reviewed reflection, as shown to them (no names).
    reviews: list[str] = field(default_factory=list)
    # The closed session's board (what everyone sees) after the Join presses, then after a leave.
    closed: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[StepSeen]:
        """The steps whose card was never seen."""
        return [s for s in self.steps if s.message_id is None]


def _kinds_available(world: DemoWorld, activity_id: str) -> str | None:
    """Why the activity can't run in this build (a step kind without a handler), or None."""
    activity = world.bot.catalog.get(activity_id)
    if activity is None:
        return "not in the catalog"
    missing = sorted({s.type for s in activity.steps} - set(world.bot.live.presenters))
    return f"step kinds not built yet: {', '.join(missing)}" if missing else None


async def run_activity(
    world: DemoWorld, crowd: Crowd, activity_id: str, report: ScriptReport, shoot: Shoot
) -> None:
    """`activity_id` started with /activity start and run to its end (at most three passes per
    step): the crowd acts on each card, the facilitator presses Next, screenshots are taken with
    `shoot` where SHOTS names them, and each step's card (found or not) is recorded in `report`."""
    activity = world.bot.catalog.get(activity_id)
    assert activity is not None
    title = report.session_title
    started_after = world.channel.last_message.id if world.channel.last_message else 0
    await world.facilitator.slash(world.channel, "activity start", activity=activity_id)
    seen: set[int] = set()
    for _ in range(len(activity.steps) * 3):
        number = await current_step(world)
        if number is None:
            break
        index = number - 1
        step = activity.steps[index]
        if index not in seen:
            seen.add(index)
            name, when = SHOTS.get((activity_id, index), ("", ""))
            if when == "enter":
                await shoot(name, None)
            await crowd.settle()
            if step.type == "listen":
                await _play_through(world, crowd)
            if getattr(step, "review", None) == "facilitator":
                review = await review_and_release(world, localize(step.title, world.language))
                if review is not None:
                    report.reviews.append(review)
            if when == "acted":
                await shoot(name, None)
        if await current_step(world) == number:
            await press_next(world, title)
    for index, step in enumerate(activity.steps):
        shown = localize(step.title, world.language)
        message = find_embed(world, shown, after=started_after)
        report.steps.append(
            StepSeen(activity_id, index, step.type, shown, message.id if message else None)
        )
    report.activities.append(activity_id)
    after = AFTER_SHOTS.get(activity_id)
    if after is not None:
        await shoot(after, None)


async def _play_through(world: DemoWorld, crowd: Crowd, limit: int = 20) -> None:
    """Let the countdown and the track run out in virtual time, until the reactions show."""
    for _ in range(limit):
        message = world.channel.last_message
        if message is not None and any(
            c.area in ("react", "listenreflect") for c in controls_of(message)
        ):
            break
        await world.env.advance_time(30)
    await crowd.settle()


def session_title(language: str, *, live: bool = False) -> str:
    """The demo session's title in the demo's language (the facilitator names it)."""
    scripted, running = TITLES.get(language, (SESSION_TITLE, LIVE_TITLE))
    return running if live else scripted


async def run_script(
    world: DemoWorld,
    *,
    seed: int = 7,
    shoot: Shoot | None = None,
    activities: tuple[str, ...] | None = None,
    title: str | None = None,
) -> ScriptReport:
    """Run the whole scripted session; `shoot(name, viewer)` is called at each stage.

    In a demo in another language (`world.language`) the script is the translated activities
    (`TRANSLATED_SCRIPT`) and the session has a title in that language."""
    shoot = shoot or no_shots
    if activities is None:
        activities = SCRIPT if world.language == "en" else TRANSLATED_SCRIPT
    if title is None:
        title = session_title(world.language)
    crowd = Crowd(world.channel, world.members, seed=seed, strict=True, language=world.language)
    # The facilitator is present too, so a round-robin song waits for their line as well.
    crowd.add(world.facilitator, areas={"lyrics"})
    report = ScriptReport(session_title=title)
    await open_session(world, title)
    await crowd.settle()
    await shoot("01-session-board", None)
    for activity_id in activities:
        why_not = _kinds_available(world, activity_id)
        if why_not is not None:
            report.skipped[activity_id] = why_not
            continue
        await run_activity(world, crowd, activity_id, report, shoot)
    ended = await world.facilitator.slash(world.channel, "session end")
    report.summary = ended.response.message if ended.response is not None else None
    await shoot("07-session-summary", None)
    shown = await world.facilitator.slash(world.channel, "session report")
    if shown.response is not None and shown.response.embeds:
        report.report = shown.response.embeds[0].title
        await shoot("08-facilitator-report", world.facilitator)
    report.closed = await show_closed_session(world, crowd, shoot)
    await show_own_chorus(world, shoot)
    report.actions = crowd.actions
    return report

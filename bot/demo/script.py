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

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import discord
from simcord.actors import MemberActor

from bot.core.activities import localize
from bot.demo.controls import controls_of
from bot.demo.crowd import Crowd
from bot.demo.world import DemoWorld
from bot.i18n import N_, gettext

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
# Screenshots by (activity, step index): taken when the group has acted on the step, or for
# "enter" as soon as the step is posted (the song sheet sits just above the step after it).
SHOTS = {
    ("opening-checkin", 0): ("02-opening-checkin", "acted"),
    ("go-around", 1): ("02b-go-around", "acted"),
    ("song-for-this-week", 1): ("03-listening", "acted"),
    ("song-choice", 1): ("03-listening", "acted"),
    ("lyric-circle", 2): ("05-song-sheet", "enter"),
    ("closing-checkin", 0): ("06-closing-checkin", "acted"),
}
# Taken when the activity has ended (what the group shared, the song sheet).
AFTER_SHOTS = {
    "song-for-this-week": "04-shared-reflections",
    "song-choice": "04-shared-reflections",
}

Shoot = Callable[[str, MemberActor | None], Awaitable[None]]


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


def find_embed(world: DemoWorld, text: str, *, after: int = 0) -> discord.Message | None:
    """The newest public message whose embed title or author contains `text`."""
    for message in reversed(world.channel.history()):
        if message.id <= after:
            break
        for embed in message.embeds:
            if text in (embed.title or "") or text in (embed.author.name or ""):
                return message
    return None


def board(world: DemoWorld, title: str) -> discord.Message | None:
    """The session board titled `title` in the demo channel, or None."""
    return find_embed(world, title)


async def current_step(world: DemoWorld) -> int | None:
    """The running step's number (1-based), or None when nothing runs: what the board shows,
    read from the bot's own record so it doesn't depend on the board's language."""
    session = await world.bot.sessions.find_in_channel(world.channel.id)
    if session is None:
        return None
    run = await world.bot.runner.live_run(session.id)
    return None if run is None else run.step_index + 1


async def open_session(world: DemoWorld, title: str) -> None:
    """The facilitator's /session start; a session left open by an earlier run is ended first.
    Raises RuntimeError, with the bot's reply, when no session opened."""
    if await world.bot.sessions.find_in_channel(world.channel.id) is not None:
        await world.facilitator.slash(world.channel, "session end")
    result = await world.facilitator.slash(
        world.channel, "session start", title=title, voice_channel=world.voice
    )
    if await world.bot.sessions.find_in_channel(world.channel.id) is None:
        content = result.response.content if result.response is not None else ""
        raise RuntimeError(f"the demo session did not open: {content!r}")


async def press_next(world: DemoWorld, title: str) -> None:
    """The facilitator presses the board's Next button (nothing when there is no board)."""
    message = board(world, title)
    if message is None:
        return
    for control in controls_of(message):
        if control.custom_id.startswith("chorus:board:next:"):
            await world.facilitator.click(message, custom_id=control.custom_id)
            return


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
                await review_and_release(world, localize(step.title, world.language), report)
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


async def review_and_release(world: DemoWorld, step_title: str, report: ScriptReport) -> None:
    """The facilitator's Review answers on a reviewed reflect step, then Release: the shared
    answers are posted without names. The private review's text goes into `report.reviews`."""
    card = find_embed(world, step_title)
    if card is None:
        return
    review = next((c for c in controls_of(card) if c.area == "reflect_review"), None)
    if review is None:
        return
    shown = await world.facilitator.click(card, custom_id=review.custom_id)
    private = shown.response.message if shown.response is not None else None
    if private is None:
        return
    report.reviews.append("\n".join(e.description or "" for e in private.embeds))
    release = next((c for c in controls_of(private) if c.area == "reflect_release"), None)
    if release is not None:
        await world.facilitator.click(private, custom_id=release.custom_id)


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


async def _no_shots(name: str, viewer: MemberActor | None) -> None:
    return None


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
    shoot = shoot or _no_shots
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
    await show_closed_session(world, crowd, report, shoot)
    await show_own_chorus(world, shoot)
    report.actions = crowd.actions
    return report


CLOSED_TITLE = "Friday group"
CLOSED_TITLES = {"de": "Freitagsgruppe", "es": "Grupo del viernes"}
"""The closed group's title in another demo language (what a facilitator types)."""
CLOSED_PLACES = 3


def _seen(message: discord.Message | None) -> str:
    if message is None or not message.embeds:
        return ""
    embed = message.embeds[0]
    fields = [f"{f.name}: {f.value}" for f in embed.fields]
    return "\n".join([embed.title or "", embed.description or "", *fields])


async def show_closed_session(
    world: DemoWorld, crowd: Crowd, report: ScriptReport, shoot: Shoot
) -> None:
    """A closed group of 3 places: the members press Join, three get in and the fourth waits in
    line; the first leaves and the next moves up (told privately); then the facilitator's
    Manage list. The board's words at each stage go into `report.closed`."""
    title = CLOSED_TITLES.get(world.language, CLOSED_TITLE)
    await world.facilitator.slash(
        world.channel, "session start", title=title, capacity=CLOSED_PLACES
    )
    await crowd.settle()
    report.closed.append(_seen(board(world, title)))
    await shoot("12-closed-session", None)
    await world.members[0].slash(world.channel, "session leave")
    report.closed.append(_seen(board(world, title)))
    shown = board(world, title)
    manage = (
        next(
            (c for c in controls_of(shown) if c.custom_id.startswith("chorus:board:manage:")), None
        )
        if shown is not None
        else None
    )
    if shown is not None and manage is not None:
        await world.facilitator.click(shown, custom_id=manage.custom_id)
        await shoot("13-closed-manage", world.facilitator)
    await world.facilitator.slash(world.channel, "session end")


# The demo server's own support text and helplines (what its facilitator set with /setup
# support), worded in the demo's language from the catalogue: a German server lists German help.
DEMO_SUPPORT = N_(
    "If today is hard, you're not alone. Talk to Robin after the circle, or call one of the "
    "helplines below; if you're in danger, call your local emergency number now."
)
DEMO_LINKS = N_(
    "Samaritans (UK) https://www.samaritans.org; Find a helpline https://findahelpline.com"
)


@dataclass(frozen=True, slots=True)
class OwnWords:
    """What the demo's facilitator types for their server's own Chorus, in one language: an
    activity file to upload (`file_id`, its title, summary, length in words, tags) and a new
    activity begun in the builder (`new_id`, its title and summary); both start with a
    breathing step titled `breathing`."""

    file_id: str
    file_title: str
    file_summary: str
    minutes_in_words: str
    tags: str
    new_id: str
    new_title: str
    new_summary: str
    breathing: str

    def broken_file(self) -> str:
        """The activity file with two mistakes: a tag list left open and a length in words."""
        return BROKEN_ACTIVITY.format(words=self)


OWN_WORDS = {
    "en": OwnWords(
        "evening-wind-down",
        "Evening wind-down",
        "Breathe, listen and say one word about the day.",
        "twenty",
        "calm, listening",
        "our-opening",
        "Our opening",
        "Arrive, breathe, and say how you are.",
        "Slow breathing",
    ),
    "de": OwnWords(
        "abendausklang",
        "Abendausklang",
        "Atmen, hören und ein Wort zum Tag sagen.",
        "zwanzig",
        "ruhe, abend",
        "unser-ankommen",
        "Unser Ankommen",
        "Ankommen, atmen und sagen, wie es dir geht.",
        "Langsam atmen",
    ),
    "es": OwnWords(
        "calma-de-la-tarde",
        "Calma de la tarde",
        "Respirar, escuchar y decir una palabra sobre el día.",
        "veinte",
        "calma, tarde",
        "nuestra-llegada",
        "Nuestra llegada",
        "Llegar, respirar y decir cómo estás.",
        "Respirar despacio",
    ),
}
"""The facilitator's own words by demo language (a German facilitator writes German)."""

BROKEN_ACTIVITY = """id: {words.file_id}
title: {words.file_title}
summary: {words.file_summary}
version: 1
duration_minutes: {words.minutes_in_words}
tags: [{words.tags}
steps:
  - type: breathe
    title: {words.breathing}
"""


async def show_own_chorus(world: DemoWorld, shoot: Shoot) -> None:
    """The server's own Chorus: the support text preview (/setup) and an upload's errors."""
    await world.facilitator.slash(
        world.channel,
        "setup support",
        text=gettext(DEMO_SUPPORT, world.language),
        links=gettext(DEMO_LINKS, world.language),
    )
    await shoot("09-setup-support", world.facilitator)
    words = OWN_WORDS.get(world.language, OWN_WORDS["en"])
    file_name = f"{words.file_id}.yaml"
    broken = words.broken_file()
    await world.facilitator.slash(
        world.channel, "activity upload", file=(file_name, broken.encode("utf-8"))
    )
    # One mistake fixed (the tag list closed), another made (a length of "20x").
    fixed = broken.replace(f"[{words.tags}", f"[{words.tags}]").replace(
        words.minutes_in_words, "20x"
    )
    await world.facilitator.slash(
        world.channel, "activity upload", file=(file_name, fixed.encode("utf-8"))
    )
    await shoot("10-upload-errors", world.facilitator)
    started = await world.facilitator.slash(
        world.channel,
        "activity new",
        id=words.new_id,
        title=words.new_title,
        summary=words.new_summary,
        minutes=10,
    )
    draft = started.response.message if started.response is not None else None
    if draft is not None:
        shown = await world.facilitator.select(draft, ["breathe"])
        await world.facilitator.submit_modal(
            shown, {"title": words.breathing, "inhale": "4", "exhale": "6", "cycles": "5"}
        )
        await shoot("11-activity-new", world.facilitator)

"""/forget leaves the member nowhere: every column of every table (numbers and text, JSON
included) and the bot's own memory are scanned for their id after a forget in the middle of
every step kind, after the activity stops, after the session ends and after a restart.

The scan finds tables and columns from the schema itself (sqlite_master, PRAGMA table_info),
so a table or column added by a later migration is scanned without changing this file.
"""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

import discord
import pytest
from simcord.actors import MemberActor

from bot.chorus_bot import ChorusBot
from bot.core.activities import Catalog
from bot.core.steps import step_kinds
from bot.settings import Settings
from tests.conftest import World, find_message, restart
from tests.responses import reply_to

ACTIVITY = "test-privacy-every-step"
# Member text may mention someone (`<@id>`); that is the writer's text, not the named member's
# data, so such a mention in another member's words is the one place the id may stay.
MENTION = re.compile(r"<@!?(\d+)>")


# ------------------------------------------------------------------------------ the scan


async def stored_places(bot: ChorusBot, user_id: int) -> list[str]:
    """'table.column = value' for every stored value that holds the id, as a number or inside
    any text (JSON included); mentions inside other members' text aside."""
    db = bot.store.db
    needle = str(user_id)
    found: list[str] = []
    tables = await db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name"
    )
    assert len(tables) >= 18, "the scan should see every table of the schema"
    for (table,) in tables:
        for column in await db.fetch_all(f"PRAGMA table_info({table})"):
            name = str(column[1])
            rows = await db.fetch_all(
                f'SELECT "{name}" FROM "{table}" WHERE "{name}" = ?'
                f' OR instr(CAST("{name}" AS TEXT), ?) > 0',
                (user_id, needle),
            )
            for (value,) in rows:
                text = str(value)
                if not isinstance(value, int) and _only_mentioned(text, needle):
                    continue
                found.append(f"{table}.{name} = {text[:200]!r}")
    return found


def _only_mentioned(text: str, needle: str) -> bool:
    """The id appears only inside mentions (`<@id>`), never on its own."""
    return needle not in MENTION.sub(lambda m: "" if m.group(1) == needle else m.group(0), text)


def remembered(bot: ChorusBot, user_id: int) -> list[str]:
    """Paths to every place in Chorus' own memory (the runner, the live sessions, every cog,
    the store's caches, the arguments of armed timers) that still holds the id. discord.py's
    own caches are Discord's, not ours, and are not followed."""
    needle = str(user_id)
    hits: list[str] = []
    seen: set[int] = set()
    roots: list[tuple[str, Any]] = [
        ("runner", bot.runner),
        ("live", bot.live),
        ("privacy", bot.privacy),
        ("sessions", bot.sessions),
        ("store", bot.store),
        *((f"cog {name}", cog) for name, cog in bot.cogs.items()),
    ]

    def ours(item: Any) -> bool:
        return type(item).__module__.split(".")[0] == "bot" and not isinstance(item, ChorusBot)

    def walk(path: str, item: Any, depth: int) -> None:
        if depth > 12 or id(item) in seen:
            return
        if isinstance(item, bool | float | enum.Enum | bytes) or item is None:
            return
        if isinstance(item, int):
            if item == user_id:
                hits.append(path)
            return
        if isinstance(item, str):
            if needle in item:
                hits.append(f"{path} = {item[:120]!r}")
            return
        seen.add(id(item))
        if isinstance(item, dict):
            for key, value in item.items():
                walk(f"{path}[{key!r}]", key, depth + 1)
                walk(f"{path}[{key!r}]", value, depth + 1)
        elif isinstance(item, list | tuple | set | frozenset):
            for index, value in enumerate(item):
                walk(f"{path}[{index}]", value, depth + 1)
        elif isinstance(item, asyncio.Handle):
            # A timer armed by a feature (a turn, a purge, a deadline) and what it will be
            # called with.
            walk(f"{path}.args", getattr(item, "_args", None), depth + 1)
        elif ours(item):
            if dataclasses.is_dataclass(item):
                names = [f.name for f in dataclasses.fields(item)]
            else:
                names = list(getattr(item, "__dict__", {}))
            for name in names:
                walk(f"{path}.{name}", getattr(item, name, None), depth + 1)

    for name, root in roots:
        walk(name, root, 0)
    return hits


async def assert_forgotten(world: World, who: MemberActor, when: str) -> None:
    bot = world.bot()
    stored = await stored_places(bot, who.id)
    assert stored == [], f"{when}: the database still holds {who.name}'s id: {stored}"
    memory = remembered(bot, who.id)
    assert memory == [], f"{when}: Chorus' memory still holds {who.name}'s id: {memory}"


# ------------------------------------------------------------------------- driving the bot


def step_message(world: World, title: str) -> discord.Message:
    return find_message(world.channel, title)


async def click_agreeing(member: MemberActor, message: discord.Message, label: str) -> str:
    shown = await member.click(message, label=label)
    embeds = reply_to(shown).embeds if shown.response else []
    if embeds and (embeds[0].title or "").startswith("Before your first"):
        shown = await member.click(reply_to(shown).message, label="Agree")
    return str(reply_to(shown).content or "")


async def write_line(member: MemberActor, message: discord.Message, text: str) -> None:
    shown = await member.click(message, label="Write my line")
    assert shown.modal is not None, reply_to(shown).content if shown.response else "no modal"
    saved = await member.submit_modal(shown, {"line": text})
    assert "Your line is added" in reply_to(saved).content, reply_to(saved).content


async def reflect(member: MemberActor, message: discord.Message, text: str) -> None:
    shown = await member.click(message, label="Reflect")
    assert shown.modal is not None
    saved = await member.submit_modal(shown, {"answer": text, "share": True})
    assert "saved" in reply_to(saved).content, reply_to(saved).content


async def rate_goals(world: World, member: MemberActor) -> None:
    shown = await member.click(step_message(world, "F goal"), label="Rate my goals")
    assert shown.ephemeral
    prompts = [
        m
        for m in world.channel.history(viewer=member)
        if m.flags.ephemeral and "How did today go for" in (m.content or "")
    ]
    assert prompts, "no goal to rate"
    done = await member.click(prompts[-1], label="4 · Good")
    assert "Your answer:" in (reply_to(done).content or "")


Step = Callable[[World, list[MemberActor]], Awaitable[None]]


async def in_checkin(world: World, people: list[MemberActor]) -> None:
    """The first answers low and asks Chorus to let the facilitator know (the mark that they
    were told is theirs too), and adds a note; the others answer."""
    for value, person in zip(("1", "6", "7"), people, strict=False):
        content = await click_agreeing(person, step_message(world, "F checkin"), value)
        assert "Your answer is saved" in content, content
    [care] = [
        m
        for m in world.channel.history(viewer=people[0])
        if m.embeds and "honest about how you are" in (m.embeds[0].title or "")
    ]
    told = await people[0].click(care, label="Let the facilitator know")
    said = reply_to(told).content or ""
    # A facilitator taking part is not told about themselves.
    assert "I've let the facilitator know privately" in said or "You're the facilitator" in said
    reply = [
        m
        for m in world.channel.history(viewer=people[0])
        if m.flags.ephemeral and "Your answer is saved" in (m.content or "")
    ][-1]
    shown = await people[0].click(reply, label="Add a note")
    await people[0].submit_modal(shown, {"note": "slow morning"})


async def in_listen(world: World, people: list[MemberActor]) -> None:
    await world.env.advance_time(31)  # countdown and piece are over: reactions are open
    card = step_message(world, "F listen")
    for person in people:
        result = await person.click(card, label="calm")
        assert "calm" in reply_to(result).content, reply_to(result).content
    await reflect(people[0], card, f"{people[0].name} heard the rain")


async def in_write(world: World, people: list[MemberActor]) -> None:
    """The first writer's turn times out (a timed-out turn keeps who it was), the others
    write, then the first writes: their id is in the order, the lines, `last` and timeouts."""
    sheet = step_message(world, "F write")
    await world.env.advance_time(31)
    for person in [*people[1:], people[0]]:
        await write_line(person, sheet, f"{person.name} sings of home")


async def in_reflect(world: World, people: list[MemberActor]) -> None:
    for person in people:
        await reflect(person, step_message(world, "F reflect"), f"{person.name}-word")


async def in_breathe(world: World, people: list[MemberActor]) -> None:
    for person in people[:2]:
        result = await person.click(step_message(world, "F breathe"), label="Done")
        assert "Something went wrong" not in (reply_to(result).content or "")


async def in_vote(world: World, people: list[MemberActor]) -> None:
    nominations = await world.bot().store.media.playlist(1)
    first = f"n{nominations[0].id}"  # the first member's suggestion
    for person in people:
        result = await person.select(step_message(world, "F vote"), [first])
        assert "Your vote is" in reply_to(result).content, reply_to(result).content


async def in_piece(world: World, people: list[MemberActor]) -> None:
    await world.env.advance_time(11)  # the countdown is over
    card = step_message(world, "F piece")
    result = await people[0].click(card, label="moved")
    assert "moved" in reply_to(result).content, reply_to(result).content


async def in_goal(world: World, people: list[MemberActor]) -> None:
    for person in people[:2]:
        await rate_goals(world, person)


async def in_round(world: World, people: list[MemberActor]) -> None:
    """The first speaker answers in the form (posted with their name), the second is done: the
    ids are in the order, the turns and the speaker."""
    shown = await people[0].click(step_message(world, "F round"), label="Answer")
    assert shown.modal is not None, reply_to(shown).content if shown.response else "no modal"
    saved = await people[0].submit_modal(shown, {"answer": f"{people[0].name} leaves lighter"})
    assert "Thank you for your answer" in reply_to(saved).content, reply_to(saved).content
    done = await people[1].click(step_message(world, "F round"), label="Done")
    assert "The floor moves on" in reply_to(done).content, reply_to(done).content


async def nothing(world: World, people: list[MemberActor]) -> None:
    return None


# Step title -> what members do there, in the activity's order (every kind once; the vote's
# winner is played by a second listen step, whose card credits the member who suggested it).
STEPS: list[tuple[str, Step]] = [
    ("F prompt", nothing),
    ("F checkin", in_checkin),
    ("F listen", in_listen),
    ("F write", in_write),
    ("F reflect", in_reflect),
    ("F breathe", in_breathe),
    ("F vote", in_vote),
    ("F piece", in_piece),
    ("F goal", in_goal),
    ("F round", in_round),
]


async def prepare_member(world: World, person: MemberActor) -> None:
    """Data outside the activity: a goal (with consent), a nomination, a reminder choice, a
    check-in schedule, the pattern notice and a tagged /checkin now."""
    result = await person.slash(world.channel, "goal set", text=f"goal of {person.name}")
    if reply_to(result).embeds and reply_to(result).embeds[0].title == "Before your first goal":
        result = await person.click(reply_to(result).message, label="Agree")
    assert "Your goal is saved" in (reply_to(result).content or ""), reply_to(result).content
    added = await person.slash(
        world.channel,
        "listen suggest",
        title=f"Song of {person.name}",
        artist="Someone",
        url="https://example.test/song",
    )
    assert "Added **" in reply_to(added).content, reply_to(added).content
    reminded = await person.slash(world.channel, "remind me", state="on")
    assert reminded.ephemeral
    await choose_series_reminder(world, person)
    scheduled = await person.slash(
        world.channel, "checkin schedule set", days="daily", time="19:00", timezone="UTC"
    )
    assert "Your private check-ins" in reply_to(scheduled).content, reply_to(scheduled).content
    noticed = await person.slash(world.channel, "checkin notice on")
    assert "notice is on" in reply_to(noticed).content, reply_to(noticed).content
    now = await person.slash(world.channel, "checkin now")
    await person.click(reply_to(now).message, label="5")
    tagged = await person.slash(world.channel, "checkin tag add", tags="played music")
    assert "tagged" in reply_to(tagged).content, reply_to(tagged).content


async def choose_series_reminder(world: World, person: MemberActor) -> None:
    """Interested in a scheduled session, with their own reminder time for its series."""
    store = world.bot().store.schedule
    reminders = world.bot().store.reminders
    if not await store.upcoming(world.guild.id, 1):
        # Led by the server's manager, so the facilitator who forgets leads no schedule.
        manager = world.manager()
        shown = await manager.slash(
            world.channel, "session schedule create", title="Friday circle", when="in 3 days"
        )
        await manager.click(reply_to(shown).message, label="Confirm")
    [occurrence] = await store.upcoming(world.guild.id, 1)
    assert occurrence.event_id is not None
    await person.subscribe_event(occurrence.event_id)
    [offer] = [m for m in person.user.dm_channel.history() if m.embeds and not m.content]
    chosen = await person.user.click(offer, label="2 hours before")
    assert "2 hours before" in (reply_to(chosen).content or ""), reply_to(chosen).content
    assert person.id in await reminders.series_choices(occurrence.series_id)


async def run_until(world: World, people: list[MemberActor], stop_at: int) -> None:
    """Open the session, start the activity and take part in every step up to `stop_at`."""
    result = await world.facilitator.slash(world.channel, "session start", title="Tuesday circle")
    assert result.ephemeral
    # The facilitator holds the space; the members are the circle (and take turns writing).
    await world.facilitator.slash(world.channel, "session leave")
    for person in people:
        await person.slash(world.channel, "session join")
        await prepare_member(world, person)
    started = await world.facilitator.slash(world.channel, "activity start", activity=ACTIVITY)
    assert "Starting" in reply_to(started).content, reply_to(started).content
    for index, (title, act) in enumerate(STEPS[: stop_at + 1]):
        run = await world.bot().runner.live_run(1)
        assert run is not None and run.step_index == index, (title, run)
        await act(world, people)
        if index < stop_at:
            moved = await world.facilitator.slash(world.channel, "activity next")
            assert moved.ephemeral, reply_to(moved).content


async def forget(world: World, who: MemberActor) -> None:
    asked = await who.slash(world.channel, "forget")
    done = await who.click(reply_to(asked).message, label="Delete my data")
    assert "has been deleted" in reply_to(done).content, reply_to(done).content


async def held_somewhere(world: World, who: MemberActor) -> list[str]:
    return await stored_places(world.bot(), who.id)


# ------------------------------------------------------------------------------- the tests


def test_the_activity_has_every_step_kind(catalog: Catalog) -> None:
    activity = catalog.get(ACTIVITY)
    assert activity is not None
    assert {step.type for step in activity.steps} == {kind.name for kind in step_kinds()}
    assert [s.title for s in activity.steps][: len(STEPS)] == [t for t, _ in STEPS]


@pytest.mark.parametrize("stop_at", range(len(STEPS)), ids=[t for t, _ in STEPS])
async def test_forget_in_the_middle_of_every_step_kind(
    world: World, settings: Settings, catalog: Catalog, stop_at: int
) -> None:
    ana, ben, cai = world.members
    await run_until(world, [ana, ben, cai], stop_at)
    before = await held_somewhere(world, ana)
    assert before, "ana's id should be stored somewhere before she forgets"

    await forget(world, ana)
    await assert_forgotten(world, ana, f"mid {STEPS[stop_at][0]}")
    # The step's live message is drawn again without her name: no "**ana**", and on the lyric
    # sheet her line is no longer signed "· ana".
    live = find_message(world.channel, STEPS[stop_at][0])
    shown = " ".join([live.content or ""] + [str(e.to_dict()) for e in live.embeds])
    assert "**ana**" not in shown and "· ana*" not in shown, shown
    board = find_message(world.channel, "Tuesday circle").embeds[0]
    assert {f.name: f.value for f in board.fields}["Here now (2)"] == "ben, cai"
    # The others keep theirs.
    assert await held_somewhere(world, ben)

    # The activity goes on without her, then stops; the session ends; the bot restarts.
    if stop_at + 1 < len(STEPS):
        await world.facilitator.slash(world.channel, "activity next")
        await assert_forgotten(world, ana, "after the next step began")
    await world.facilitator.slash(world.channel, "activity stop")
    await assert_forgotten(world, ana, "after the activity stopped")
    await world.facilitator.slash(world.channel, "session end")
    await assert_forgotten(world, ana, "after the session ended")
    await restart(world, settings, catalog)
    await assert_forgotten(world, ana, "after a restart")


async def test_facilitator_forgets_mid_session(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    """The facilitator takes part in every step, then forgets in the middle of the song: the
    session carries on, led by another facilitator, and nothing names them any more."""
    fran = world.facilitator
    ana, ben, _ = world.members
    gil = world.guild.add_member(world.env.create_user("gil"), roles=[world.facilitator_role])
    result = await fran.slash(world.channel, "session start", title="Tuesday circle")
    assert result.ephemeral
    for person in (ana, ben):
        await person.slash(world.channel, "session join")
    for person in (fran, ana, ben):
        await prepare_member(world, person)
    started = await fran.slash(world.channel, "activity start", activity=ACTIVITY)
    assert "Starting" in reply_to(started).content, reply_to(started).content
    circle = [fran, ana, ben]  # fran joined first: she is first in the turn order too
    stop_at = [t for t, _ in STEPS].index("F write")
    for index, (_, act) in enumerate(STEPS[: stop_at + 1]):
        await act(world, circle)
        if index < stop_at:
            await fran.slash(world.channel, "activity next")
    session = await world.bot().store.sessions.get(1)
    assert session is not None and session.facilitator_id == fran.id
    assert remembered(world.bot(), fran.id), "the runner knows who facilitates before"

    await forget(world, fran)
    await assert_forgotten(world, fran, "facilitator mid-session")
    session = await world.bot().store.sessions.get(1)
    assert session is not None and session.status == "open" and not session.has_facilitator
    board = find_message(world.channel, "Tuesday circle").embeds[0]
    assert "fran" not in str(board.to_dict()), board.to_dict()

    # Another facilitator carries on; the song goes on without fran's turn.
    await write_line(ana, step_message(world, "F write"), "ana carries on")
    moved = await gil.slash(world.channel, "activity next")
    assert moved.ephemeral, reply_to(moved).content
    await assert_forgotten(world, fran, "facilitator: after the next step began")
    await gil.slash(world.channel, "activity stop")
    await assert_forgotten(world, fran, "facilitator: after the activity stopped")
    ended = await gil.slash(world.channel, "session end")
    assert reply_to(ended).embeds, reply_to(ended).content
    await assert_forgotten(world, fran, "facilitator: after the session ended")
    await restart(world, settings, catalog)
    await assert_forgotten(world, fran, "facilitator: after a restart")


async def test_forget_on_ones_own_turn_passes_the_turn_on(world: World) -> None:
    """ana forgets while it is her turn to write: the next writer may write at once, nobody is
    recorded as timed out when her turn's timer fires, and nothing names her."""
    ana, ben, cai = world.members
    await world.facilitator.slash(world.channel, "session start", title="Song night")
    await world.facilitator.slash(world.channel, "session leave")
    for person in (ana, ben, cai):
        await person.slash(world.channel, "session join")
    await world.facilitator.slash(world.channel, "activity start", activity="test-write-circle")
    bot = world.bot()
    run = await bot.runner.live_run(1)
    assert run is not None and json.loads(run.step_state)["turn"] == ana.id

    await forget(world, ana)
    await assert_forgotten(world, ana, "on her own turn")
    await world.env.advance_time(61)  # her turn's timer fires: nobody timed out
    run = await bot.runner.live_run(1)
    assert run is not None
    state = json.loads(run.step_state)
    assert state["timeouts"] == [] and state["turn"] == ben.id
    await write_line(ben, step_message(world, "Our song"), "ben takes the first line")
    await world.env.advance_time(61)  # cai's turn runs out: that one is recorded
    run = await bot.runner.live_run(1)
    assert run is not None
    state = json.loads(run.step_state)
    assert [t["user"] for t in state["timeouts"]] == [cai.id]
    assert state["turn"] == ben.id
    await assert_forgotten(world, ana, "after the turns went on")


async def test_forget_while_waiting_asking_or_taken_out_of_a_closed_session(world: World) -> None:
    """The waitlist (session_waitlist) holds ids in each of its states; /forget reaches them."""
    ana, ben, cai = world.members
    await world.facilitator.slash(
        world.channel, "session start", title="Tuesday circle", capacity=1
    )
    assert "You've joined" in reply_to(await ben.slash(world.channel, "session join")).content
    waiting = await ana.slash(world.channel, "session join")
    assert "number **1** in line" in reply_to(waiting).content
    assert any("session_waitlist" in place for place in await held_somewhere(world, ana))
    await forget(world, ana)
    await assert_forgotten(world, ana, "while waiting for a place")
    board = find_message(world.channel, "Tuesday circle")
    assert "Waitlist" not in {f.name for f in board.embeds[0].fields}

    # Taken out by the facilitator: the 'removed' row goes too.
    manage = await world.facilitator.click(board, label="Manage")
    await world.facilitator.select(reply_to(manage).message, [f"remove:{ben.id}"])
    assert any("session_waitlist" in place for place in await held_somewhere(world, ben))
    await forget(world, ben)
    await assert_forgotten(world, ben, "after being taken out")
    assert await held_somewhere(world, cai) == []

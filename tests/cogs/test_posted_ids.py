"""Ids already posted on servers keep working: every custom_id shape Chorus posts, written here
literally as today's format, is posted in a message pointing at real rows; the bot restarts on the
current code, and a click on each is answered by its handler.

The ids are strings on purpose: if a button family changes how it builds its ids, the messages
already on servers still carry these, so the new code must keep parsing them. A guard at the end
reads every `Click(...)` id here and fails when a registered family matches none of them (a new
family needs its literal id here) or an id matches no family (a format changed).
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path

import discord
import simcord
from simcord.actors import MemberActor

import bot.ui
from bot.core import activity_builder as builder
from bot.core.activities import Catalog
from bot.settings import Settings
from bot.ui.activity_builder import draft_embed
from bot.ui.components import FAMILIES
from tests.cogs.conftest import pause_catalog
from tests.cogs.test_checkin_schedule import agree as checkin_consent_agree
from tests.cogs.test_checkin_tags import answer_now
from tests.cogs.test_checkins import rows
from tests.cogs.test_pools import start as start_pool
from tests.cogs.test_reflect_review import WORDS as REVIEW_WORDS
from tests.cogs.test_reflect_review import everything_seen as answer_of
from tests.cogs.test_reflect_review import reflect as reflect_for_review
from tests.cogs.test_round import card as round_card
from tests.cogs.test_round import name as round_name
from tests.cogs.test_round import start as start_round
from tests.cogs.test_round import text as round_text
from tests.cogs.test_schedule import now, schedule, set_zone
from tests.cogs.test_session_flow import board, open_session
from tests.cogs.test_steps import to_the_pause
from tests.conftest import World, find_message, restart
from tests.conftest import open_session as conftest_open_session
from tests.responses import reply_to

GONE = "belongs to a feature that is no longer here"


@dataclass(frozen=True)
class Click:
    """One posted id, who clicks it after the restart, and a piece of the handler's answer."""

    custom_id: str
    who: MemberActor
    expect: str
    values: tuple[str, ...] = ()  # for a select: the options offered and the one chosen first
    embed: discord.Embed | None = None


async def post(world: World, click: Click) -> discord.Message:
    """A message with one component carrying the literal id, sent by the bot as on a server."""
    channel = world.bot().get_channel(world.channel.id)
    assert isinstance(channel, discord.TextChannel)
    view = discord.ui.View(timeout=None)
    if click.values:
        view.add_item(
            discord.ui.Select(
                custom_id=click.custom_id,
                options=[discord.SelectOption(label=v, value=v) for v in click.values],
            )
        )
    else:
        view.add_item(discord.ui.Button(label="Posted earlier", custom_id=click.custom_id))
    embed = click.embed if click.embed is not None else discord.utils.MISSING
    return await channel.send(f"posted `{click.custom_id}`", embed=embed, view=view)


def answer_text(result: object) -> str:
    """Everything the interaction answered: a modal's title, a reply or edit (its embeds' titles,
    descriptions and footers), its follow-ups."""
    parts: list[str] = []
    modal = getattr(result, "modal", None)
    if modal:
        parts.append(f"modal: {modal.get('title', '')}")
    messages = [getattr(result, "response", None), *getattr(result, "followups", [])]
    for message in messages:
        if message is None:
            continue
        parts.append(message.content or "")
        for embed in message.embeds:
            parts += [embed.title or "", embed.description or "", embed.footer.text or ""]
    return "\n".join(parts)


async def post_restart_click(
    world: World, settings: Settings, catalog: Catalog, clicks: list[Click]
) -> None:
    """Post every id, restart the bot, then click each in order and check who answered."""
    posted = [(click, await post(world, click)) for click in clicks]
    await restart(world, settings, catalog)
    for click, message in posted:
        if click.values:
            result = await click.who.select(message, [click.values[0]], custom_id=click.custom_id)
        else:
            result = await click.who.click(message, custom_id=click.custom_id)
        text = answer_text(result)
        assert result.acknowledged, f"{click.custom_id}: not answered"
        assert GONE not in text, f"{click.custom_id}: {text}"
        assert click.expect in text, f"{click.custom_id}: expected {click.expect!r} in {text!r}"


async def start_walk(world: World) -> tuple[MemberActor, ...]:
    """A session with five members joined, running test-posted-ids at its first step."""
    extra = [world.guild.add_member(world.env.create_user(n)) for n in ("dee", "eli")]
    people = (*world.members, *extra)
    await open_session(world)
    for person in people:
        await person.click(board(world), label="Join")
    await world.facilitator.slash(world.channel, "activity start", activity="test-posted-ids")
    return people


async def next_step(world: World) -> None:
    moved = await world.facilitator.click(board(world), label="Next")
    assert "Step" in (reply_to(moved).content or ""), reply_to(moved).content


async def test_step_ids_posted_before_a_restart_are_answered(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    ana, ben, cai, dee, eli = await start_walk(world)
    fran = world.facilitator
    # Step 0, a 0-10 check-in with an optional note.
    await post_restart_click(
        world,
        settings,
        catalog,
        [
            Click("chorus:checkin:1:0:7", ana, "Before your first check-in"),
            Click("chorus:consent:yes:1:0:7", ana, "Your answer is saved"),
            Click("chorus:checkin:1:0:pass", ana, "You passed"),
            Click("chorus:consent:no:1:0:3", ben, "No problem"),
            Click("chorus:consent:yes:1:0:8", cai, "Your answer is saved"),
        ],
    )
    ana_id = int(
        str((await rows(world, "SELECT id FROM checkins WHERE user_id = ?", ana.id))[0][0])
    )
    cai_id = int(
        str((await rows(world, "SELECT id FROM checkins WHERE user_id = ?", cai.id))[0][0])
    )
    await world.bot().store.checkins.get(cai_id)  # it exists: the ids below point at real rows
    await post_restart_click(
        world,
        settings,
        catalog,
        [
            Click("chorus:checkin:1:0:6", cai, "Your answer is updated"),
            Click(f"chorus:checkin_note:{cai_id}", cai, "modal: A note with your check-in"),
            Click(f"chorus:checkin_share:{cai_id}", cai, "Shared with the group"),
            Click("chorus:checkin_tell:1", cai, "facilitator"),
            Click("chorus:checkin:1:0:1", dee, "Before your first check-in"),
            Click("chorus:consent:no:1:0:1", dee, "honest about how you are"),
        ],
    )
    assert ana_id != cai_id
    # Step 1, a two-part (sam) check-in.
    await next_step(world)
    await post_restart_click(
        world,
        settings,
        catalog,
        [
            Click("chorus:checkin:1:1:6", cai, "energy"),
            Click("chorus:checkin:1:1:6:4", cai, "Your answer is saved"),
            Click("chorus:consent:yes:1:1:3:7", eli, "Your answer is saved"),
            Click("chorus:consent:no:1:1:2", dee, "No problem"),
        ],
    )
    # Step 2, goals: ana sets one first (she agreed to saving at the check-in).
    await next_step(world)
    saved = await ana.slash(world.channel, "goal set", text="sleep better")
    assert "Your goal is saved" in (reply_to(saved).content or "")
    goal_id = int(str((await rows(world, "SELECT id FROM goals WHERE user_id = ?", ana.id))[0][0]))
    await post_restart_click(
        world,
        settings,
        catalog,
        [
            Click("chorus:goal:1:2:rate", ana, "How did today go for"),
            Click(f"chorus:goal_rate:{goal_id}:1:2:4", ana, "Your answer:"),
            Click(f"chorus:goal_rate:{goal_id}:1:2:pass", ana, "Your answer:"),
            Click("chorus:goal:1:2:set", cai, "modal: Set a personal goal"),
            Click("chorus:goal:1:2:pass", ben, "You passed on the goal check"),
            Click("chorus:goal:1:2:set", dee, "Before your first goal"),
            Click("chorus:goal_consent:no:step:1:2", dee, "no goal was saved"),
            Click("chorus:goal_consent:yes:step:1:2", eli, "modal: Set a personal goal"),
            Click("chorus:goal_consent:yes:cmd", eli, "modal: Set a personal goal"),
            Click("chorus:goal_consent:no:cmd", dee, "no goal was saved"),
        ],
    )
    # Steps 3 and 4, reflect and breathe.
    await next_step(world)
    await post_restart_click(
        world, settings, catalog, [Click("chorus:reflect:1:3", ana, "modal: Your reflection")]
    )
    await next_step(world)
    await post_restart_click(
        world, settings, catalog, [Click("chorus:breathe:1:4", ana, "Well done")]
    )
    # Step 5, listening: its buttons come once the track has played.
    await next_step(world)
    await world.env.advance_time(30)
    await post_restart_click(
        world,
        settings,
        catalog,
        [
            Click("chorus:react:1:5:0", ana, "you reacted"),
            Click("chorus:listenreflect:1:5", ben, "modal: After the music"),
        ],
    )
    # Step 6, an open song.
    await next_step(world)
    write = find_message(world.channel, "P write")
    shown = await ana.click(write, label="Write my line")
    await ana.submit_modal(shown, {"line": "the kettle sings"})
    await post_restart_click(
        world,
        settings,
        catalog,
        [
            Click("chorus:lyrics:write:1:6", ben, "modal: Line 2"),
            Click("chorus:lyrics:edit:1:6", ana, "modal: Edit line 1"),
            Click("chorus:lyrics:withdraw:1:6", ana, "Your line is withdrawn"),
            Click("chorus:lyrics:pass:1:6", cai, "Passed"),
        ],
    )
    # Step 7, a vote (a select).
    await next_step(world)
    await post_restart_click(
        world,
        settings,
        catalog,
        [Click("chorus:vote:1:7", ana, "Your vote is **Evening**", values=("o1", "o0"))],
    )
    # The board's controls, the facilitator's last.
    await post_restart_click(
        world,
        settings,
        catalog,
        [
            Click("chorus:board:leave:1", ana, "You've left"),
            Click("chorus:board:join:1", ana, "You've joined"),
            Click("chorus:board:pause:1", fran, "Paused"),
            Click("chorus:board:resume:1", fran, "Resumed"),
            Click("chorus:board:extend:1", fran, "Added 2 min"),
            Click("chorus:board:next:1", fran, "Step 9 of 9"),
            Click("chorus:board:stop:1", fran, "Activity stopped"),
        ],
    )


async def test_checkin_now_and_consent_ids_posted_before_a_restart_are_answered(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    ana, ben, cai = world.members
    dee, eli = (world.guild.add_member(world.env.create_user(n)) for n in ("dee", "eli"))
    await post_restart_click(
        world,
        settings,
        catalog,
        [
            Click("chorus:checkin_now:0-10:new:5", ana, "Before your first check-in"),
            Click("chorus:consent:yes:now:0-10:new:5", ana, "Your answer is saved"),
            Click("chorus:consent:no:now:0-10:new:2", ben, "No problem"),
            Click("chorus:consent:yes:now:sam:new:5:5", cai, "Your answer is saved"),
            Click("chorus:consent:yes:cmd", dee, "will be saved from now on"),
            Click("chorus:consent:no:cmd", eli, "No problem"),
        ],
    )
    found = await rows(world, "SELECT id FROM checkins WHERE user_id = ? ORDER BY id", ana.id)
    checkin_id = int(str(found[0][0]))
    await post_restart_click(
        world,
        settings,
        catalog,
        [
            Click("chorus:checkin_now:0-10:new:7", ana, "Your answer is saved"),
            Click("chorus:checkin_now:sam:new:3", ana, "energy"),
            Click("chorus:checkin_now:sam:new:3:8", ana, "Your answer is saved"),
            Click(f"chorus:checkin_now:0-10:change:{checkin_id}", ana, "How are you right now?"),
            Click(f"chorus:checkin_now:0-10:r{checkin_id}:6", ana, "Your answer is updated"),
            Click(f"chorus:checkin_now:sam:r{checkin_id}:6", ana, "energy"),
            Click(f"chorus:checkin_now:sam:r{checkin_id}:6:2", ana, "Your answer is updated"),
            Click(f"chorus:consent:yes:now:0-10:r{checkin_id}:4", ana, "Your answer is updated"),
            Click(f"chorus:consent:yes:now:sam:r{checkin_id}:3:7", ana, "Your answer is updated"),
            Click(f"chorus:checkin_note:{checkin_id}", ana, "modal: A note with your check-in"),
            Click(f"chorus:checkin_share:{checkin_id}", ana, "Shared with the group"),
        ],
    )


async def test_command_ids_posted_before_a_restart_are_answered(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    ana, ben, _ = world.members
    fran = world.facilitator
    occurrence = await schedule(world, when="in 1 hour", plan="test-flow")
    await world.env.advance_time(occurrence.starts_at - now(world).timestamp() + 1)
    draft = builder.new_draft("our-start", "Our start", "A gentle start.", 10)
    draft_message = draft_embed(builder.fenced(builder.render(draft)), "Our start", 0, "en")
    step = builder.step_from_form("prompt", {"title": "Arrive", "text": "Settle in."})
    one_step = {**draft, "steps": [step]}
    saved_draft = draft_embed(builder.fenced(builder.render(one_step)), "Our start", 1, "en")
    await post_restart_click(
        world,
        settings,
        catalog,
        [
            Click(f"chorus:schedule:start:{occurrence.id}", fran, "has begun"),
            Click(
                "chorus:draft_add:step",
                fran,
                "modal: Add a prompt step",
                values=("prompt",),
                embed=draft_message,
            ),
            Click("chorus:draft_pop:draft", fran, "steps: []", embed=saved_draft),
            Click("chorus:draft_save:draft", fran, "Saved **Our start**", embed=saved_draft),
            Click(f"chorus:forget:no:{ben.id}", ben, "Nothing was deleted"),
            Click(f"chorus:forget:yes:{ana.id}", ana, "has been deleted"),
        ],
    )


async def test_manage_tag_and_schedule_preview_ids_posted_before_a_restart_are_answered(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    ana, ben, _ = world.members
    fran = world.facilitator
    await fran.slash(world.channel, "session start", title="Tuesday circle", invite_only=True)
    asked = await ana.click(board(world), label="Join")
    assert "join by invitation" in (reply_to(asked).content or "")
    await checkin_consent_agree(world, ben)
    await answer_now(world, ben, "6")
    checkin_id = int(
        str((await rows(world, "SELECT id FROM checkins WHERE user_id = ?", ben.id))[0][0])
    )
    await set_zone(world)
    for _ in range(2):
        await fran.slash(
            world.channel, "session schedule create", title="Friday", when="friday 18:00"
        )
    (first, first_key), (second, second_key) = [
        (int(str(r[0])), int(str(r[1])))
        for r in await world.bot().store.db.fetch_all(
            "SELECT id, key FROM schedule_drafts ORDER BY id", ()
        )
    ]
    await post_restart_click(
        world,
        settings,
        catalog,
        [
            Click("chorus:manage:1", fran, "is in", values=(f"admit:{ana.id}",)),
            Click(
                f"chorus:checkin_tag_pick:{checkin_id}",
                ben,
                "`slept badly`",
                values=("slept badly",),
            ),
            Click(f"chorus:schedule:confirm:{first}:{first_key}", fran, "Friday"),
            Click(f"chorus:schedule:cancel:{second}:{second_key}", fran, "nothing was scheduled"),
        ],
    )
    present = {a.user_id for a in await world.bot().store.sessions.present(1)}
    assert ana.id in present
    assert await rows(world, "SELECT tag FROM checkin_tags WHERE user_id = ?", ben.id) == [
        ("slept badly",)
    ]
    assert len(await world.bot().store.db.fetch_all("SELECT id FROM schedule_series", ())) == 1


async def test_ids_posted_in_dms_before_a_restart_are_answered(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    # The DM buttons carry their server (a DM has none); here they are posted in the channel.
    ana, ben, _ = world.members
    guild_id = world.guild.id
    await checkin_consent_agree(world, ana)
    occurrence = await schedule(world, when="in 3 days", repeat="weekly")
    for member in (ana, ben):
        await member.subscribe_event(occurrence.event_id)
    series_id = occurrence.series_id
    await post_restart_click(
        world,
        settings,
        catalog,
        [
            Click(f"chorus:checkin_dm:{guild_id}:0-10:7", ana, "Saved: **7"),
            Click(f"chorus:checkin_dm:{guild_id}:1-5:pass", ana, "You passed on today's"),
            Click(f"chorus:series_remind:{series_id}:120", ana, "2 hours before"),
            Click(f"chorus:series_remind:{series_id}:none", ben, "No reminders for"),
        ],
    )
    saved = await world.bot().store.checkins.for_member(guild_id, ana.id, 0.0)
    assert [c.value for c in saved] == [7]
    choices = await world.bot().store.reminders.series_choices(series_id)
    assert choices == {ana.id: 120, ben.id: None}


async def test_round_ids_posted_before_a_restart_are_answered(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    ana, ben, cai = world.members
    await start_round(world)
    await post_restart_click(
        world,
        settings,
        catalog,
        [
            Click("chorus:round:answer:1:0", ana, "modal: "),
            Click("chorus:round:done:1:0", ana, "The floor moves on"),
            Click("chorus:round:pass:1:0", ben, "Passed"),
            Click("chorus:round:done:1:0", ben, "It isn't your turn"),
        ],
    )
    assert f"🎤 {round_name(cai)} has the floor now." in round_text(round_card(world))


async def test_review_ids_posted_before_a_restart_are_answered(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    fran = world.facilitator
    await fran.slash(world.channel, "session start", title="Review night")
    for member in world.members:
        await member.slash(world.channel, "session join")
    await fran.slash(world.channel, "activity start", activity="test-review")
    for member in world.members:
        await reflect_for_review(member, world)
    ids = await rows(world, "SELECT id FROM contributions ORDER BY id")
    bens = int(str(ids[1][0]))
    await post_restart_click(
        world,
        settings,
        catalog,
        [
            Click("chorus:reflect_review:1:0", fran, REVIEW_WORDS["ben"]),
            Click(f"chorus:reflect_hold:1:0:{bens}", fran, "~~held back~~"),
            Click("chorus:reflect_release:1:0", fran, "Released to the group"),
        ],
    )
    shared = [m for m in world.channel.history() if "What we shared" in answer_of(m)]
    assert len(shared) == 1
    assert REVIEW_WORDS["ana"] in answer_of(shared[0])
    assert REVIEW_WORDS["ben"] not in answer_of(shared[0])


async def test_another_question_id_posted_before_a_restart_is_answered(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    await conftest_open_session(world, "Form night", joining=world.members[:1])
    await start_pool(world)
    await post_restart_click(
        world,
        settings,
        catalog,
        [
            Click("chorus:another:1:0", world.members[0], "Only facilitators"),
            Click("chorus:another:1:0", world.facilitator, "Drawn another question"),
        ],
    )


async def test_a_plug_in_kinds_step_id_posted_before_a_restart_is_answered(
    pause_env: simcord.Env,
    settings: Settings,
) -> None:
    # Built-in kinds have families of their own; a plug-in kind's buttons are `StepButton`s
    # (the trial kind `pause`, session 1, run 1, its second step).
    world = await to_the_pause(pause_env)
    await post_restart_click(
        world,
        settings,
        pause_catalog(settings),
        [
            Click("chorus:step:1:1:1:skip", world.members[0], "Only the facilitator can end"),
            Click("chorus:step:1:1:1:skip", world.facilitator, "You ended the pause"),
        ],
    )
    assert "Welcome back." in (
        find_message(world.channel, "After the pause").embeds[0].description or ""
    )


async def test_an_id_no_feature_claims_any_more_gets_a_polite_private_answer(
    world: World,
) -> None:
    # A button of a feature since removed (or a hand-made id): never "interaction failed".
    member = world.members[0]
    for custom_id in ("chorus:gone:1:2", "chorus:board:join"):
        message = await post(world, Click(custom_id, member, GONE))
        result = await member.click(message, custom_id=custom_id)
        assert result.acknowledged, custom_id
        assert result.response is not None and reply_to(result).ephemeral
        assert GONE in answer_text(result), answer_text(result)


def clicked_ids() -> list[str]:
    """Every id this module posts and clicks after a restart, read from its `Click(...)` calls;
    an f-string's placeholders (row ids) read as 1."""
    source = Path(__file__).read_text(encoding="utf-8")
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and ast.unparse(node.func) == "Click" and node.args):
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.append(first.value)
        elif isinstance(first, ast.JoinedStr):
            found.append(
                "".join(
                    str(part.value) if isinstance(part, ast.Constant) else "1"
                    for part in first.values
                )
            )
    return found


def test_every_button_family_has_a_posted_id_clicked_after_a_restart() -> None:
    # A guard, not a list: a new family (or a changed id format) without a literal id above fails.
    for module in pkgutil.walk_packages(bot.ui.__path__, "bot.ui."):
        importlib.import_module(module.name)
    posted = clicked_ids()
    unclaimed = [
        custom_id
        for custom_id in posted
        if not any(f.__discord_ui_compiled_template__.fullmatch(custom_id) for f in FAMILIES)
    ]
    assert unclaimed == [], f"posted ids no family parses: {unclaimed}"
    missing = [
        family.__name__
        for family in FAMILIES
        if family.__module__.startswith("bot.")
        and not any(family.__discord_ui_compiled_template__.fullmatch(i) for i in posted)
    ]
    assert len(FAMILIES) > 40
    assert missing == [], f"no posted id clicked for: {missing}"

"""Every form (modal) is answered whatever time the member took and across a restart; when its
step has ended meanwhile, the member is told so privately and gets their words back in full.

One parametrised test per case, for every kind of form: the check-in note, the reflection, the
goal, the reflection after the music, a lyric line, a lyric edit and the facilitator's remove.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import discord
import pytest
from simcord.actors import MemberActor
from simcord.results import InteractionResult

import bot.ui
from bot.core.activities import Catalog
from bot.settings import Settings
from bot.ui.form_ids import FORM_FAMILIES
from tests.cogs.test_activity_builder import start_draft
from tests.cogs.test_checkins import agree
from tests.cogs.test_example_kind import HUM_NOTE_FORM
from tests.cogs.test_posted_ids import Click, post
from tests.cogs.test_round import start as round_start
from tests.conftest import World, find_message, restart
from tests.responses import reply_to

SIXTEEN_MINUTES = 16 * 60
LONG_WORDS = "I kept thinking about the song my grandmother sang while she cooked. " * 12


def board(world: World) -> discord.Message:
    return find_message(world.channel, "Form night")


async def go_to(world: World, step: int, *people: MemberActor) -> None:
    """A session with `people`, the test-forms activity started and moved to `step`."""
    opened = await world.facilitator.slash(world.channel, "session start", title="Form night")
    assert "is open" in reply_to(opened).content
    for person in people:
        await person.slash(world.channel, "session join")
    started = await world.facilitator.slash(world.channel, "activity start", activity="test-forms")
    assert "Starting" in reply_to(started).content, reply_to(started).content
    for _ in range(step):
        moved = await world.facilitator.click(board(world), label="Next")
        assert "Step" in reply_to(moved).content, reply_to(moved).content


@dataclass(frozen=True)
class Form:
    """How to open one kind of form, what to type into it, and how to find what was saved."""

    step: int
    open: Callable[[World], Awaitable[tuple[MemberActor, InteractionResult]]]
    values: dict[str, Any]
    saved: str
    """Words of the private reply once saved."""
    stored: Callable[[World], Awaitable[list[str]]]
    typed: str
    """The member's words that must never be lost."""
    posted: str
    """The form's custom_id exactly as Chorus built it before the typed form ids (copied from
    main, 5ae81c6): a form opened before an update is submitted with it after the restart."""


async def _rows(world: World, sql: str) -> list[str]:
    return [str(r[0]) for r in await world.bot().store.db.fetch_all(sql, ())]


async def open_note(world: World) -> tuple[MemberActor, InteractionResult]:
    ana = world.members[0]
    await agree(world, ana, "Forms check-in", "6")
    reply = [
        m
        for m in world.channel.history(viewer=ana)
        if m.flags.ephemeral and "Your answer is saved" in (m.content or "")
    ][-1]
    return ana, await ana.click(reply, label="Add a note")


async def open_reflect(world: World) -> tuple[MemberActor, InteractionResult]:
    ana = world.members[0]
    return ana, await ana.click(find_message(world.channel, "Forms reflection"), label="Reflect")


async def open_goal(world: World) -> tuple[MemberActor, InteractionResult]:
    ana = world.members[0]
    consent = await ana.click(find_message(world.channel, "Forms goals"), label="Rate my goals")
    return ana, await ana.click(reply_to(consent).message, label="Agree")


async def open_listen(world: World) -> tuple[MemberActor, InteractionResult]:
    ana = world.members[0]
    await world.env.advance_time(21)  # the piece is over: reactions and Reflect appear
    return ana, await ana.click(find_message(world.channel, "Forms listen"), label="Reflect")


async def open_line(world: World) -> tuple[MemberActor, InteractionResult]:
    ana = world.members[0]
    return ana, await ana.click(find_message(world.channel, "Forms song"), label="Write my line")


async def _one_line(world: World, member: MemberActor) -> None:
    shown = await member.click(find_message(world.channel, "Forms song"), label="Write my line")
    saved = await member.submit_modal(shown, {"line": "a kettle on the stove"})
    assert "added" in reply_to(saved).content, reply_to(saved).content


async def open_edit(world: World) -> tuple[MemberActor, InteractionResult]:
    ana = world.members[0]
    await _one_line(world, ana)
    return ana, await ana.click(find_message(world.channel, "Forms song"), label="Edit my line")


async def open_remove(world: World) -> tuple[MemberActor, InteractionResult]:
    """The remove form is opened from the "Remove a line" button of song sheets posted by older
    versions (ids already posted keep working); such a sheet is posted here by the bot."""
    await _one_line(world, world.members[0])
    bot = world.bot()
    session = await bot.sessions.get(1)
    run = await bot.store.runs.live_for_session(session.id)
    assert run is not None
    # The id exactly as older versions wrote it.
    older = discord.ui.View(timeout=None)
    older.add_item(
        discord.ui.Button(
            label="Remove a line", custom_id=f"chorus:lyrics:remove:{run.id}:{run.step_index}"
        )
    )
    await bot.live.channel(session).send("An older song sheet", view=older)
    posted = world.channel.last_message
    assert posted is not None
    fran = world.facilitator
    return fran, await fran.click(posted, label="Remove a line")


async def stored_note(world: World) -> list[str]:
    return await _rows(world, "SELECT note FROM checkins WHERE note IS NOT NULL")


async def stored_reflections(world: World) -> list[str]:
    return await _rows(
        world,
        "SELECT json_extract(payload, '$.text') FROM contributions WHERE kind = 'reflection'",
    )


async def stored_goals(world: World) -> list[str]:
    return await _rows(world, "SELECT text FROM goals")


async def stored_lines(world: World) -> list[str]:
    return await _rows(world, "SELECT text FROM song_lines WHERE removed_at IS NULL")


async def removed_lines(world: World) -> list[str]:
    return await _rows(world, "SELECT text FROM song_lines WHERE removed_at IS NOT NULL")


NOTE = "slept badly but glad to be here with everyone tonight"
LINE = "the window fogged with everything unsaid"
FORMS = {
    "checkin-note": Form(
        0, open_note, {"note": NOTE}, "note is saved", stored_note, NOTE, "chorus:form_note:1"
    ),
    "reflect": Form(
        1,
        open_reflect,
        {"answer": LONG_WORDS},
        "reflection is saved",
        stored_reflections,
        LONG_WORDS,
        "chorus:form_reflect:1:1",
    ),
    "goal": Form(
        2,
        open_goal,
        {"goal_text": "walk by the river"},
        "goal is saved",
        stored_goals,
        "walk by the river",
        "chorus:form_goal:step:1:2",
    ),
    "listen-reflect": Form(
        3,
        open_listen,
        {"answer": "the low hum", "share": True},
        "reflection is saved",
        stored_reflections,
        "the low hum",
        "chorus:form_listen:1:3",
    ),
    "lyric-line": Form(
        4,
        open_line,
        {"line": LINE},
        "Your line is added",
        stored_lines,
        LINE,
        "chorus:form_line:line:1:4:0",
    ),
    "lyric-edit": Form(
        4,
        open_edit,
        {"line": LINE},
        "Your line is updated",
        stored_lines,
        LINE,
        "chorus:form_line:edit:1:4:0",
    ),
    "lyric-remove": Form(
        4, open_remove, {"number": "1"}, "was removed", removed_lines, "1", "chorus:form_remove:1:4"
    ),
}


def _joiners(world: World) -> list[MemberActor]:
    return list(world.members)


@pytest.mark.parametrize("kind", sorted(FORMS))
async def test_a_form_submitted_after_sixteen_minutes_is_saved(world: World, kind: str) -> None:
    form = FORMS[kind]
    await go_to(world, form.step, *_joiners(world))
    person, shown = await form.open(world)
    assert shown.modal is not None, reply_to(shown).content if shown.response else "no modal"
    await world.env.advance_time(SIXTEEN_MINUTES)
    saved = await person.submit_modal(shown, form.values)
    assert saved.ephemeral and form.saved in reply_to(saved).content, reply_to(saved).content
    stored = await form.stored(world)
    expected = "a kettle on the stove" if kind == "lyric-remove" else form.typed.strip()
    assert any(expected in s for s in stored), stored


@pytest.mark.parametrize("kind", sorted(FORMS))
async def test_a_form_submitted_after_a_restart_is_saved(
    world: World, settings: Settings, catalog: Catalog, kind: str
) -> None:
    form = FORMS[kind]
    await go_to(world, form.step, *_joiners(world))
    person, shown = await form.open(world)
    assert shown.modal is not None
    # The id already posted (today's format) is the one the new code builds and answers.
    assert shown.modal["custom_id"] == form.posted
    await restart(world, settings, catalog)
    saved = await person.submit_modal(shown, form.values)
    assert saved.ephemeral and form.saved in reply_to(saved).content, reply_to(saved).content
    stored = await form.stored(world)
    expected = "a kettle on the stove" if kind == "lyric-remove" else form.typed.strip()
    assert any(expected in s for s in stored), stored


@pytest.mark.parametrize("kind", sorted(FORMS))
async def test_a_form_for_a_step_that_ended_gives_the_words_back(world: World, kind: str) -> None:
    form = FORMS[kind]
    await go_to(world, form.step, *_joiners(world))
    person, shown = await form.open(world)
    assert shown.modal is not None
    before = await form.stored(world)
    moved = await world.facilitator.click(board(world), label="Next")
    assert "Step" in reply_to(moved).content
    answer = await person.submit_modal(shown, form.values)
    assert answer.ephemeral
    content = reply_to(answer).content or ""
    assert "ended" in content or "has closed" in content, content
    assert "wasn't saved" in content or form.typed == "1", content
    given = "\n".join(e.description or "" for e in reply_to(answer).embeds) + content
    if form.typed != "1":  # a line number is not words to keep
        assert form.typed.strip() in given, given
    assert await form.stored(world) == before  # nothing saved for a closed step


async def test_a_question_longer_than_a_label_is_shown_whole(world: World) -> None:
    await go_to(world, 1, *_joiners(world))
    _, shown = await open_reflect(world)
    assert shown.modal is not None
    spec = shown.modal
    assert spec is not None
    texts = [c.get("content", "") for c in spec["components"] if c.get("type") == 10]
    assert any("what was playing, where were you, and what changed for you?" in t for t in texts)
    labels = [c.get("label", "") for c in spec["components"] if c.get("type") == 18]
    assert all(len(label) <= 45 for label in labels)


async def test_listen_form_shows_every_question(world: World) -> None:
    await go_to(world, 3, *_joiners(world))
    _, shown = await open_listen(world)
    spec = shown.modal
    assert spec is not None
    shown_text = " ".join(c.get("content", "") for c in spec["components"])
    assert "What did you notice?" in shown_text
    assert "Where in your body did you feel it?" in shown_text


async def test_a_goal_waiting_for_consent_survives_a_restart(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    """/goal set asks for consent first; the goal typed in the command is kept in that private
    message, so Agree after a restart still saves it (nothing is stored before consent)."""
    ana = world.members[0]
    asked = await ana.slash(world.channel, "goal set", text="sing in the car again")
    assert reply_to(asked).embeds[0].title == "Before your first goal"
    assert await stored_goals(world) == []
    await restart(world, settings, catalog)
    saved = await ana.click(reply_to(asked).message, label="Agree")
    assert "Your goal is saved" in (reply_to(saved).content or ""), reply_to(saved).content
    assert await stored_goals(world) == ["sing in the car again"]


def as_posted(shown: InteractionResult, custom_id: str) -> InteractionResult:
    """The shown form as a member's client submits it when it carries `custom_id`: a form opened
    before an update (an older version's id) or a hand-made one. simcord submits the id of the
    modal it recorded as shown; only that id is replaced, the questions stay as shown."""
    modal = shown._interaction.modal
    assert modal is not None
    shown._interaction.modal = {**modal, "custom_id": custom_id}
    return shown


async def open_round_answer(world: World) -> tuple[MemberActor, InteractionResult]:
    """The speaker's answer form in a text-only round (test-round: step 0, the first turn)."""
    await round_start(world)
    ana = world.members[0]
    return ana, await ana.click(find_message(world.channel, "Check-in round"), label="Answer")


async def open_step_form(world: World) -> tuple[MemberActor, InteractionResult]:
    """/activity new's form for a prompt step."""
    draft = await start_draft(world)
    return world.facilitator, await world.facilitator.select(draft, ["prompt"])


async def open_goal_by_command(world: World) -> tuple[MemberActor, InteractionResult]:
    """The /goal set form, opened from the Agree button of a consent message with no goal text
    waiting (the id older versions posted)."""
    ana = world.members[0]
    message = await post(world, Click("chorus:goal_consent:yes:cmd", ana, ""))
    return ana, await ana.click(message, custom_id="chorus:goal_consent:yes:cmd")


@dataclass(frozen=True)
class Posted:
    """A form family outside the test-forms activity: how to open it, the id it was posted with
    before the typed form ids (copied from main, 5ae81c6), what to type and the saved reply."""

    open: Callable[[World], Awaitable[tuple[MemberActor, InteractionResult]]]
    posted: str
    values: dict[str, Any]
    saved: str


OTHER_FORMS = {
    "round-answer": Posted(
        open_round_answer, "chorus:form_round:1:0:1", {"answer": "here"}, "Thank you"
    ),
    "activity-step": Posted(
        open_step_form,
        "chorus:form_draft_step:prompt",
        {"title": "Welcome", "text": "Hello, all."},
        "type: prompt",
    ),
    "goal-command": Posted(
        open_goal_by_command,
        "chorus:form_goal:cmd",
        {"goal_text": "sing in the car"},
        "Your goal is saved",
    ),
}


def reply_text(result: InteractionResult) -> str:
    """The reply's content and its embeds' texts."""
    message = result.response
    assert message is not None
    return "\n".join([message.content or "", *(e.description or "" for e in message.embeds)])


@pytest.mark.parametrize("kind", sorted(OTHER_FORMS))
async def test_a_form_posted_with_todays_id_is_answered_after_a_restart(
    world: World, settings: Settings, catalog: Catalog, kind: str
) -> None:
    form = OTHER_FORMS[kind]
    person, shown = await form.open(world)
    assert shown.modal is not None, reply_to(shown).content if shown.response else "no modal"
    assert shown.modal["custom_id"] == form.posted
    await restart(world, settings, catalog)
    saved = await person.submit_modal(as_posted(shown, form.posted), form.values)
    assert saved.response is not None and reply_to(saved).ephemeral  # a reply or the private draft
    assert form.saved in reply_text(saved), reply_text(saved)


@pytest.mark.parametrize(
    ("custom_id", "reason"),
    [
        # A known form's id with values it can't hold (hand-made, or a broken client).
        ("chorus:form_reflect:one:1", "This form is out of date; please open it again."),
        ("chorus:form_reflect:1", "This form is out of date; please open it again."),
        ("chorus:form_goal:step:1:x", "This form is out of date; please open it again."),
        # A form of a feature since removed, and an id Chorus never builds.
        ("chorus:form_gone:1:1", "This form belongs to a feature that is no longer here."),
        ("someone-else:42", "This form belongs to a feature that is no longer here."),
    ],
)
async def test_a_malformed_or_foreign_form_id_is_refused_privately_with_the_words_back(
    world: World, custom_id: str, reason: str
) -> None:
    await go_to(world, 1, *_joiners(world))
    person, shown = await open_reflect(world)
    before = await stored_reflections(world)
    answer = await person.submit_modal(as_posted(shown, custom_id), {"answer": LONG_WORDS})
    assert answer.ephemeral
    assert reason in reply_text(answer), reply_text(answer)
    assert LONG_WORDS.strip() in reply_text(answer)  # given back, in full
    assert await stored_reflections(world) == before


def test_every_form_family_has_a_posted_id_submitted_after_a_restart() -> None:
    # A guard, not a list: a new form family without a literal id in FORMS or OTHER_FORMS (both
    # submitted after a restart above) fails here, as the button families do in test_posted_ids.
    for module in pkgutil.walk_packages(bot.ui.__path__, "bot.ui."):
        importlib.import_module(module.name)
    posted = [form.posted for form in FORMS.values()] + [f.posted for f in OTHER_FORMS.values()]
    # A kind's form (`AnswerFormId`): the example kind's, submitted after a restart there.
    posted.append(HUM_NOTE_FORM)
    missing = [
        family.__name__
        for family in FORM_FAMILIES
        if family.__module__.startswith("bot.")
        and not any(family.parse(custom_id) is not None for custom_id in posted)
    ]
    assert len(FORM_FAMILIES) >= 10
    assert missing == [], f"no posted id submitted for: {missing}"

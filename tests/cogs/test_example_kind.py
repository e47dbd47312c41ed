"""Adding a step kind is two files: the example `hum` kind (tests/steps_example) runs in the bot.

The kind is defined only in the tests, registered the way shipped kinds are found, and taken
through a real session in simcord: its card is posted, members press its button (or fill in the
form another of its buttons opens, also after a restart), the auto step completes and the
activity moves on.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import discord
import pytest
import simcord

from bot.chorus_bot import ChorusBot
from bot.cogs.steps import answer_modal
from bot.core.activities import Catalog, activity_json_schema
from bot.core.activity_builder import step_forms, step_from_form
from bot.core.errors import InvalidInput
from bot.core.steps import step_type_names
from bot.settings import Settings
from bot.ui import limits
from bot.ui.activity_builder import AddStepSelect, kind_select
from bot.ui.steps.base import AnswerField, AnswerForm, AnswerFormId
from tests.conftest import World, build_world, find_message, make_bot, restart
from tests.responses import reply_to
from tests.steps_example import HERE, kind_added


@pytest.fixture
def hum_kind() -> Iterator[None]:
    with kind_added():
        yield


@pytest.fixture
def hum_catalog(hum_kind: None, settings: Settings) -> Catalog:
    catalog = Catalog.load([HERE], settings.media_dir)
    assert not catalog.errors, catalog.errors
    return catalog


@pytest.fixture
def hum_bot(hum_catalog: Catalog, settings: Settings) -> ChorusBot:
    return make_bot(settings, hum_catalog)


@pytest.fixture
async def hum_env(hum_bot: ChorusBot) -> AsyncIterator[simcord.Env]:
    environment = simcord.Env(hum_bot, check_errors=True)
    await environment.start()
    try:
        yield environment
    finally:
        await environment.shutdown()
        await hum_bot.store.close()


def test_the_added_kind_reaches_the_model_schema_and_names(hum_kind: None, tmp_path: Path) -> None:
    assert step_type_names()[-1] == "hum"
    schema = activity_json_schema()
    assert "HumStep" in schema["$defs"]
    assert schema["$defs"]["HumStep"]["properties"]["type"]["const"] == "hum"
    loaded = Catalog.load([HERE], tmp_path)
    assert [step.type for step in loaded.activities["hum-circle"].steps] == ["hum", "prompt"]


def test_without_the_package_the_kind_is_unknown(tmp_path: Path) -> None:
    assert "hum" not in step_type_names()
    loaded = Catalog.load([HERE], tmp_path)
    assert "hum-circle" not in loaded.activities
    assert any('got "hum"' in error.message for error in loaded.errors), loaded.errors


def test_the_added_kind_is_offered_by_the_activity_builder(hum_kind: None) -> None:
    assert list(step_forms())[-1] == "hum"
    select = kind_select("en")
    assert isinstance(select, AddStepSelect) and isinstance(select.item, discord.ui.Select)
    assert [option.value for option in select.item.options][-1] == "hum"
    step = step_from_form("hum", {"title": " Hum ", "tune": "a lullaby ", "time_limit": "2m"})
    assert step == {"type": "hum", "title": "Hum", "tune": "a lullaby", "time_limit": "2m"}


def test_without_the_package_the_builder_does_not_offer_it() -> None:
    assert "hum" not in step_forms()
    with pytest.raises(InvalidInput, match="no step kind called"):
        step_from_form("hum", {"title": "Hum", "tune": "a lullaby"})


async def test_a_session_runs_the_example_kind(hum_env: simcord.Env) -> None:
    world = build_world(hum_env, members=2)
    ana, ben = world.members
    opened = await world.facilitator.slash(world.channel, "session start", title="Hum session")
    assert "is open" in reply_to(opened).content
    for person in (ana, ben):
        joined = await person.click(find_message(world.channel, "Hum session"), label="Join")
        assert "You've joined" in reply_to(joined).content
    started = await world.facilitator.slash(world.channel, "activity start", activity="hum-circle")
    assert "Starting **Hum circle**" in reply_to(started).content

    card = find_message(world.channel, "Hum together")
    assert "Hum along: the first line of a song you love" in (card.embeds[0].description or "")
    first = await ana.click(card, label="Hum")
    assert first.ephemeral and "your answer is saved" in reply_to(first).content
    again = await ana.click(find_message(world.channel, "Hum together"), label="Hum")
    assert "your answer is updated" in reply_to(again).content

    # The last member present hums: the auto step is complete and the activity moves on.
    await ben.click(find_message(world.channel, "Hum together"), label="Hum")
    after = find_message(world.channel, "After humming")
    assert "How did that feel?" in (after.embeds[0].description or "")
    closed = find_message(world.channel, "Hum together")
    assert "We hummed together (2 of us)" in (closed.embeds[0].description or "")
    assert not closed.components


async def hum_started(env: simcord.Env) -> World:
    """Two members joined and the hum-circle activity at its hum step."""
    world = build_world(env, members=2)
    await world.facilitator.slash(world.channel, "session start", title="Hum session")
    for person in world.members:
        await person.click(find_message(world.channel, "Hum session"), label="Join")
    await world.facilitator.slash(world.channel, "activity start", activity="hum-circle")
    return world


async def test_a_kinds_button_opens_its_form_and_the_answer_is_saved_and_shown(
    hum_env: simcord.Env,
) -> None:
    world = await hum_started(hum_env)
    ana, ben = world.members
    shown = await ana.click(
        find_message(world.channel, "Hum together"), label="Say what you hummed"
    )
    assert shown.modal is not None, reply_to(shown).content if shown.response else "no modal"
    assert shown.modal["custom_id"].startswith("chorus:form_step:")
    assert shown.modal["title"] == "What you hummed"

    empty = await ana.submit_modal(shown, {"note": "   "})
    assert empty.ephemeral and "Say what you hummed in a few words" in reply_to(empty).content

    shown = await ana.click(
        find_message(world.channel, "Hum together"), label="Say what you hummed"
    )
    saved = await ana.submit_modal(shown, {"note": " a lullaby "})
    assert saved.ephemeral and "your answer is saved" in reply_to(saved).content
    await ben.click(find_message(world.channel, "Hum together"), label="Hum")
    closed = find_message(world.channel, "Hum together")
    body = closed.embeds[0].description or ""
    assert "We hummed together (2 of us)" in body
    assert "ana: a lullaby" in body, body
    assert find_message(world.channel, "After humming")


async def test_a_kinds_form_opened_before_a_restart_is_saved_after_it(
    hum_env: simcord.Env, hum_catalog: Catalog, settings: Settings
) -> None:
    world = await hum_started(hum_env)
    ana = world.members[0]
    shown = await ana.click(
        find_message(world.channel, "Hum together"), label="Say what you hummed"
    )
    assert shown.modal is not None
    # Today's id format (tests/cogs/test_forms.py's guard reads this literal too).
    assert shown.modal["custom_id"] == HUM_NOTE_FORM
    await restart(world, settings, hum_catalog)
    saved = await ana.submit_modal(shown, {"note": "a sea shanty"})
    assert saved.ephemeral and "your answer is saved" in reply_to(saved).content
    contributions = await world.bot().store.contributions.for_step(1, 0)
    assert [(c.kind, c.payload) for c in contributions] == [("note", {"note": "a sea shanty"})]


def boxes(count: int, label: str = "What did you hum?") -> tuple[AnswerField, ...]:
    """`count` boxes asking `label`, each with a key of its own."""
    return tuple(AnswerField(f"note{n}", label, 200) for n in range(count))


def test_an_answer_form_holds_one_to_five_boxes_of_discords_length() -> None:
    assert len(AnswerForm("What you hummed", boxes(5)).fields) == 5
    for fields in ((), boxes(6), (AnswerField("note", "Long", 4001),)):
        with pytest.raises(ValueError, match=r"a (form|box) holds 1 to"):
            AnswerForm("What you hummed", fields)
    box = AnswerField("note", "What did you hum?", 200)
    with pytest.raises(ValueError, match="a key of its own"):
        AnswerForm("What you hummed", (box, box))


def test_long_questions_keep_a_form_within_discords_five_components() -> None:
    """A question over a label's description (100) goes above its box as text while there is
    room; past five components Discord refuses the modal, so the rest are cut to a description."""
    form_id = AnswerFormId(session_id=1, run_id=1, step_index=0, action="note")
    long = (
        "What did you hum, and where were you when you first heard it, and who sang it to you? " * 2
    )
    for count in range(1, 6):
        modal = answer_modal(AnswerForm("What you hummed", boxes(count, long)), form_id, "en")
        assert len(modal.children) == min(5, 2 * count)
        assert len(modal.to_components()) <= limits.MODAL_COMPONENTS


HUM_NOTE_FORM = "chorus:form_step:1:1:0:note"

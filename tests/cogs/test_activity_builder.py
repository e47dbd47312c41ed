"""/activity new through the real bot: an activity written in Discord, a step at a time."""

from __future__ import annotations

from typing import Any

from bot.core.activities import Catalog
from bot.settings import Settings
from tests.cogs.test_library import followup_text
from tests.conftest import World, find_message, restart
from tests.responses import reply_to


def draft_of(result: Any) -> Any:
    message = reply_to(result).message
    assert message is not None and message.embeds, result
    return message


def draft_text(message: Any) -> str:
    return message.embeds[0].description or ""


async def start_draft(world: World) -> Any:
    started = await world.facilitator.slash(
        world.channel,
        "activity new",
        id="our-start",
        title="Our start",
        summary="A gentle start for our group.",
        minutes=10,
    )
    assert started.ephemeral
    message = draft_of(started)
    assert message.embeds[0].title == "New activity: Our start"
    assert "id: our-start" in draft_text(message) and "steps: []" in draft_text(message)
    return message


async def add_step(world: World, draft: Any, kind: str, values: dict[str, str]) -> Any:
    shown = await world.facilitator.select(draft, [kind])
    return await world.facilitator.submit_modal(shown, values)


async def test_write_an_activity_step_by_step_save_and_run_it(world: World) -> None:
    draft = await start_draft(world)
    added = await add_step(world, draft, "prompt", {"title": "Welcome", "text": "Hello, all."})
    draft = draft_of(added)
    assert "type: prompt" in draft_text(draft) and "Hello, all." in draft_text(draft)
    added = await add_step(
        world,
        draft,
        "checkin",
        {"title": "Arriving", "question": "How are you arriving?", "scale": "0-10"},
    )
    draft = draft_of(added)
    assert "type: checkin" in draft_text(draft)
    added = await add_step(
        world, draft, "vote", {"title": "Pick", "question": "Which?", "options": "Calm\nBright"}
    )
    draft = draft_of(added)
    assert "- Calm" in draft_text(draft)
    removed = await world.facilitator.click(draft, label="Remove the last step")
    draft = draft_of(removed)
    assert "type: vote" not in draft_text(draft)
    saved = await world.facilitator.click(draft, label="Save for this server")
    assert "Saved **Our start** (`our-start`, version 1, 2 steps)" in reply_to(saved).content
    exported = await world.facilitator.slash(world.channel, "activity export", activity="our-start")
    text = (await reply_to(exported).attachments[0].read()).decode()
    assert text.startswith("id: our-start\ntitle: Our start\n") and "How are you arriving?" in text
    await world.facilitator.slash(world.channel, "session start", title="Tuesday circle")
    await world.facilitator.slash(world.channel, "activity start", activity="our-start")
    assert "Hello, all." in (find_message(world.channel, "Welcome").embeds[0].description or "")


async def test_a_bad_answer_is_refused_and_given_back(world: World) -> None:
    draft = await start_draft(world)
    refused = await add_step(
        world, draft, "breathe", {"title": "Slow", "inhale": "slowly", "exhale": "6", "cycles": "6"}
    )
    text = followup_text(refused)
    assert "Breathe in should be a number, like 4" in text
    assert "slowly" in text  # what was typed comes back to keep
    checkin = await add_step(
        world, draft, "checkin", {"title": "Arriving", "question": "How?", "scale": "1-50"}
    )
    assert "can't be added yet: steps[0].scale" in followup_text(checkin)


async def test_a_draft_survives_a_restart(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    draft = await start_draft(world)
    await restart(world, settings, catalog)
    added = await add_step(world, draft, "reflect", {"title": "One word", "question": "A word?"})
    assert "type: reflect" in draft_text(draft_of(added))


async def test_new_refuses_a_taken_or_malformed_id(world: World) -> None:
    taken = await world.facilitator.slash(
        world.channel, "activity new", id="lyric-circle", title="x", summary="y", minutes=5
    )
    assert "`lyric-circle` is already taken here" in followup_text(taken)
    bad = await world.facilitator.slash(
        world.channel, "activity new", id="Our Start", title="x", summary="y", minutes=5
    )
    assert "An activity id is up to 64 lowercase letters" in followup_text(bad)
    member = await world.members[0].slash(
        world.channel, "activity new", id="mine", title="x", summary="y", minutes=5
    )
    assert "Only facilitators" in followup_text(member)

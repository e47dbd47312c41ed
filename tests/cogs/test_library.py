"""Each server's own activity library through the real bot: upload, run, export, copy, versions,
delete, shadowing, limits, and no server ever seeing another's."""

from __future__ import annotations

from typing import Any

from bot.core.activities import Catalog
from bot.settings import Settings
from tests.cogs.test_setup import other_world, reply
from tests.conftest import ROOT, World, find_message, open_session, restart
from tests.responses import reply_to

OUR_CIRCLE = """\
id: our-circle
title: Our circle
summary: A short circle of our own.
version: 1
duration_minutes: 5
steps:
  - type: prompt
    title: Welcome to our circle
    text: Take a breath and look around the room.
"""

BROKEN = """\
id: Our Circle
title: Our circle
summary: A short circle of our own.
version: 1
duration_minutes: five
steps:
  - type: promt
    title: Welcome
"""


def followup_text(result: Any) -> str:
    texts = []
    for message in [result.response, *(getattr(result, "followups", None) or [])]:
        if message is None:
            continue
        texts.append(message.content or "")
        texts += [(e.title or "") + "\n" + (e.description or "") for e in message.embeds]
    return "\n".join(texts)


async def upload(world: World, text: str, name: str = "our-circle.yaml") -> Any:
    return await world.facilitator.slash(
        world.channel, "activity upload", file=(name, text.encode("utf-8"))
    )


async def test_upload_a_valid_file_and_run_it(world: World) -> None:
    saved = await upload(world, OUR_CIRCLE)
    text = followup_text(saved)
    assert "Saved **Our circle** (`our-circle`, version 1, 1 step)" in text, text
    choices = await world.facilitator.autocomplete(
        world.channel, "activity start", "activity", "our"
    )
    assert [c["value"] for c in choices] == ["our-circle"]
    await open_session(world)
    started = await world.facilitator.slash(world.channel, "activity start", activity="our-circle")
    assert "Starting **Our circle**" in reply_to(started).content
    card = find_message(world.channel, "Welcome to our circle")
    assert "Take a breath" in (card.embeds[0].description or "")


async def test_a_broken_file_shows_every_located_error_and_saves_nothing(world: World) -> None:
    refused = await upload(world, BROKEN, "broken.yaml")
    text = followup_text(refused)
    assert "broken.yaml wasn't saved: 3 problems to fix" in text, text
    assert "`1:5` id:" in text  # line:column, field, and what is wrong
    assert "`5:19` duration_minutes: expected a whole number" in text
    assert "`7:11` steps[0].type: expected one of" in text and "did you mean 'prompt'" in text
    assert world.bot().library.own_ids(world.guild.id) == []
    syntax = await upload(world, "id: x\ntags: [calm, slow\nsummary: hi\n", "syntax.yaml")
    assert "`2:7` YAML syntax: the '[' opened here is never closed" in followup_text(syntax)
    not_yaml = await upload(world, "hello", "notes.txt")
    assert "isn't a .yaml file" in followup_text(not_yaml)
    member = await world.members[0].slash(
        world.channel, "activity upload", file=("our-circle.yaml", OUR_CIRCLE.encode())
    )
    assert "Only facilitators" in followup_text(member)


async def test_servers_never_see_each_others_activities(world: World) -> None:
    other = other_world(world.env)
    await upload(world, OUR_CIRCLE)
    there = await other.facilitator.autocomplete(other.channel, "activity start", "activity", "our")
    assert there == []
    await other.facilitator.slash(other.channel, "session start", title="Theirs")
    refused = await other.facilitator.slash(other.channel, "activity start", activity="our-circle")
    assert "There's no activity called `our-circle`" in reply(refused)
    listed = await other.facilitator.slash(other.channel, "activity list")
    assert "Our circle" not in reply(listed)
    exported = await other.facilitator.slash(
        other.channel, "activity export", activity="our-circle"
    )
    assert "There's no activity called `our-circle`" in reply(exported)


async def test_own_activity_shadows_a_shipped_one_in_that_server_only(world: World) -> None:
    other = other_world(world.env)
    shipped = (ROOT / "activities" / "lyric-circle.yaml").read_text(encoding="utf-8")
    # The shipped title is translated ({en: Lyric circle, de: ..., es: ...}): change its English.
    ours = shipped.replace("  en: Lyric circle\n", "  en: Our lyric circle\n", 1)
    assert ours != shipped
    saved = await upload(world, ours, "lyric-circle.yaml")
    assert "replaces the shipped activity with the same id" in followup_text(saved)
    here = await world.facilitator.slash(world.channel, "activity info", activity="lyric-circle")
    there = await other.facilitator.slash(other.channel, "activity info", activity="lyric-circle")
    assert "Our lyric circle" in reply(here)
    assert "Our lyric circle" not in reply(there) and "Lyric circle" in reply(there)
    deleted = await world.facilitator.slash(
        world.channel, "activity delete", activity="lyric-circle"
    )
    assert "shipped activity with that id is available here again" in reply(deleted)
    back = await world.facilitator.slash(world.channel, "activity info", activity="lyric-circle")
    assert "Our lyric circle" not in reply(back)


async def test_delete_and_versions_offer_only_the_servers_own_activities(world: World) -> None:
    await upload(world, OUR_CIRCLE)
    for command in ("activity delete", "activity versions"):
        offered = await world.facilitator.autocomplete(world.channel, command, "activity", "OUR")
        assert offered == [{"name": "our-circle", "value": "our-circle"}], offered
        shipped = await world.facilitator.autocomplete(world.channel, command, "activity", "lyr")
        assert shipped == [], shipped


async def test_versions_export_and_a_running_activity_keeps_its_version(world: World) -> None:
    await upload(world, OUR_CIRCLE)
    await open_session(world)
    await world.facilitator.slash(world.channel, "activity start", activity="our-circle")
    second = OUR_CIRCLE.replace("look around the room", "notice your feet on the floor")
    saved = await upload(world, second)
    assert "version 2" in followup_text(saved)
    assert "keep the version they started with" in followup_text(saved)
    card = find_message(world.channel, "Welcome to our circle")
    assert "look around the room" in (card.embeds[0].description or "")
    run = await world.bot().runner.live_run(1)
    assert run is not None
    assert "look around the room" in str(world.bot().runner.step(run).model_dump())
    versions = await world.facilitator.slash(
        world.channel, "activity versions", activity="our-circle"
    )
    text = reply(versions)
    assert text.index("**v2**") < text.index("**v1**")
    assert f"<@{world.facilitator.id}>" in text
    exported = await world.facilitator.slash(
        world.channel, "activity export", activity="our-circle"
    )
    files = reply_to(exported).attachments
    assert files[0].filename == "our-circle.yaml"
    assert (await files[0].read()).decode() == second
    shipped = await world.facilitator.slash(
        world.channel, "activity export", activity="lyric-circle"
    )
    data = await reply_to(shipped).attachments[0].read()
    assert data == (ROOT / "activities" / "lyric-circle.yaml").read_bytes()
    assert "the shipped file" in reply(shipped)


async def test_copy_a_shipped_activity_under_a_new_id(world: World) -> None:
    copied = await world.facilitator.slash(
        world.channel, "activity copy", activity="lyric-circle", new_id="our-lyrics"
    )
    assert "Copied **Lyric circle** (`our-lyrics`, version 1" in reply(copied), reply(copied)
    exported = await world.facilitator.slash(
        world.channel, "activity export", activity="our-lyrics"
    )
    text = (await reply_to(exported).attachments[0].read()).decode()
    original = (ROOT / "activities" / "lyric-circle.yaml").read_text(encoding="utf-8")
    assert text == original.replace("id: lyric-circle", "id: our-lyrics", 1)
    taken = await world.facilitator.slash(
        world.channel, "activity copy", activity="lyric-circle", new_id="our-lyrics"
    )
    assert "`our-lyrics` is already taken here" in reply(taken)
    bad = await world.facilitator.slash(
        world.channel, "activity copy", activity="lyric-circle", new_id="Our Lyrics"
    )
    assert "An activity id is up to 64 lowercase letters" in reply(bad)


async def test_uploads_survive_a_restart(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    await upload(world, OUR_CIRCLE)
    fresh = await restart(world, settings, catalog)
    assert fresh.library.get(world.guild.id, "our-circle") is not None
    assert fresh.library.get(world.guild.id + 1, "our-circle") is None

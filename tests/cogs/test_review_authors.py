"""Reviewed anonymous sharing keeps who wrote each anonymous answer apart, through the real bot:
after a restart the author of an answer held back is still told (privately, named to nobody);
the link is in their /mydata, goes with /forget (scanned) and by retention once the step ends."""

from __future__ import annotations

import json
from typing import Any

from bot.core.activities import Catalog
from bot.settings import Settings
from tests.cogs.test_lyrics import dm_texts
from tests.cogs.test_privacy_scan import stored_places
from tests.cogs.test_reflect_review import WORDS, everything_seen, reflect
from tests.conftest import World, find_message, restart
from tests.responses import reply_to


async def start(world: World) -> None:
    await world.facilitator.slash(world.channel, "session start", title="Review night")
    for member in world.members:
        await member.slash(world.channel, "session join")
    started = await world.facilitator.slash(world.channel, "activity start", activity="test-review")
    assert started.ephemeral, reply_to(started).content
    for member in world.members:
        await reflect(member, world)


async def hold_back(world: World, number: int) -> None:
    card = find_message(world.channel, "Reviewed reflection")
    review = await world.facilitator.click(card, label="Review answers")
    private = reply_to(review).message
    assert private is not None
    held = await world.facilitator.click(private, label=f"Hold back {number}")
    assert "~~held back~~" in everything_seen(reply_to(held).message or private)


async def test_the_author_is_told_after_a_restart(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    ana, ben, cai = world.members
    await start(world)
    await restart(world, settings, catalog)
    await hold_back(world, 2)  # ben's answer, the second given
    told = [t for t in dm_texts(ben) if "held yours back" in t]
    assert len(told) == 1 and "Nobody was told it was yours" in told[0]
    assert dm_texts(ana) == [] and dm_texts(cai) == []
    # Told once: the link has served and is gone; the other two stay until the step ends.
    rows = await world.bot().store.db.fetch_all("SELECT user_id FROM review_authors", ())
    assert sorted(int(r[0]) for r in rows) == sorted([ana.id, cai.id])


async def test_the_link_is_in_mydata_and_goes_with_forget(world: World) -> None:
    _, ben, cai = world.members
    await start(world)
    exported = await ben.slash(world.channel, "mydata")
    data = json.loads(await reply_to(exported).attachments[0].read())
    [mine] = data["anonymous_answers_under_review"]
    run = await world.bot().store.runs.live_for_session(1)
    assert run is not None
    answers = await world.bot().store.contributions.for_step(run.id, 0)
    ben_answer = next(c for c in answers if c.payload.get("text") == WORDS["ben"])
    assert mine["contribution_id"] == ben_answer.id and ben_answer.author_id is None
    asked = await ben.slash(world.channel, "forget")
    done = await ben.click(reply_to(asked).message, label="Delete my data")
    assert "has been deleted" in reply_to(done).content
    assert await stored_places(world.bot(), ben.id) == []
    await hold_back(world, 2)  # nobody can be told now, and nobody is
    assert not [t for t in dm_texts(ben) if "held yours back" in t]
    await hold_back(world, 3)
    assert len([t for t in dm_texts(cai) if "held yours back" in t]) == 1


async def test_retention_removes_the_links_once_the_step_has_ended(world: World) -> None:
    await start(world)
    bot = world.bot()
    cog: Any = bot.get_cog("PrivacyCog")
    await cog.purge()  # the step still runs: the links stay
    assert len(await bot.store.db.fetch_all("SELECT 1 FROM review_authors", ())) == 3
    await world.facilitator.click(find_message(world.channel, "Review night"), label="Next")
    await cog.purge()
    assert await bot.store.db.fetch_all("SELECT 1 FROM review_authors", ()) == []

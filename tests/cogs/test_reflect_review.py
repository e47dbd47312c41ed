"""Reviewed anonymous sharing through the real bot: the facilitator reads the shared answers
privately without authors, holds one back (its author is told privately and named to nobody),
and releases the rest; and an anonymous song's line can be removed after it was shown."""

from __future__ import annotations

import logging

import discord
import pytest
from simcord.actors import MemberActor

from tests.cogs.test_lyrics import dm_texts, sheet, write
from tests.cogs.test_lyrics import start as start_song
from tests.conftest import World, find_message
from tests.responses import reply_to

WORDS = {
    "ana": "I finally slept through the night this week",
    "ben": "something I should not have written about a named person",
    "cai": "the humming in the kitchen made me smile",
}


def labels(message: discord.Message) -> list[str]:
    return [
        str(child.label)
        for row in message.components
        for child in getattr(row, "children", [])
        if isinstance(child, discord.Button)
    ]


def everything_seen(message: discord.Message) -> str:
    parts = [message.content or ""]
    for embed in message.embeds:
        parts += [embed.title or "", embed.description or "", embed.footer.text or ""]
        parts += [f"{f.name} {f.value}" for f in embed.fields]
        parts.append(embed.author.name or "")
    parts += labels(message)
    return "\n".join(parts)


async def reflect(member: MemberActor, world: World) -> str:
    card = find_message(world.channel, "Reviewed reflection")
    shown = await member.click(card, label="Reflect")
    assert shown.modal is not None
    saved = await member.submit_modal(shown, {"answer": WORDS[member.user.name], "share": True})
    assert saved.ephemeral
    return str(reply_to(saved).content)


async def test_the_facilitator_reviews_holds_one_back_and_releases_the_rest(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    ana, ben, cai = world.members
    await world.facilitator.slash(world.channel, "session start", title="Review night")
    for member in world.members:
        await member.slash(world.channel, "session join")
    started = await world.facilitator.slash(world.channel, "activity start", activity="test-review")
    assert started.ephemeral, reply_to(started).content
    card = find_message(world.channel, "Reviewed reflection")
    assert "reads shared answers first, without names" in everything_seen(card)
    assert labels(card) == ["Reflect", "Review answers"]

    for member in (ana, ben, cai):
        saved = await reflect(member, world)
        assert "saved anonymously" in saved and "reads shared answers first" in saved

    refused = await ana.click(card, label="Review answers")
    assert refused.ephemeral and "Only facilitators" in reply_to(refused).content

    review = await world.facilitator.click(card, label="Review answers")
    assert review.ephemeral
    private = reply_to(review).message
    assert private is not None
    seen = everything_seen(private)
    for words in WORDS.values():
        assert words in seen
    assert labels(private) == ["Hold back 1", "Hold back 2", "Hold back 3", "Release"]
    assert seen.index(WORDS["ben"]) > seen.index("**2.**")  # answers in the order given

    # Nothing is in the channel yet: reviewed answers wait for the facilitator.
    assert not [m for m in world.channel.history() if "What we shared" in everything_seen(m)]

    # Members never see the review; a copy of its button (a crafted id) is refused, privately.
    hold_id = next(
        child.custom_id
        for row in private.components
        for child in getattr(row, "children", [])
        if isinstance(child, discord.Button) and child.label == "Hold back 2"
    )
    channel = world.bot().get_channel(world.channel.id)
    assert isinstance(channel, discord.TextChannel) and hold_id is not None
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="Hold back 2", custom_id=hold_id))
    copy = await channel.send("a copy of the review's button", view=view)
    refused = await ana.click(copy, label="Hold back 2")
    assert refused.ephemeral and "Only facilitators" in reply_to(refused).content
    held = await world.facilitator.click(private, label="Hold back 2")
    private = reply_to(held).message or private
    assert "~~held back~~" in everything_seen(private)
    told = [t for t in dm_texts(ben) if "held yours back" in t]
    assert len(told) == 1 and "Nobody was told it was yours" in told[0]
    assert dm_texts(ana) == [] and dm_texts(cai) == []

    released = await world.facilitator.click(private, label="Release")
    assert "Released to the group" in everything_seen(reply_to(released).message or private)
    shared = [m for m in world.channel.history() if "What we shared" in everything_seen(m)]
    assert len(shared) == 1
    text = everything_seen(shared[0])
    assert WORDS["ana"] in text and WORDS["cai"] in text and WORDS["ben"] not in text
    assert "— Someone" in text

    card = find_message(world.channel, "Reviewed reflection")
    assert "has released the shared answers" in everything_seen(card)
    assert "reads shared answers first" not in everything_seen(card)
    again = await world.facilitator.click(card, label="Review answers")
    assert reply_to(again).message is not None
    assert "Released to the group" in everything_seen(reply_to(again).message)
    assert labels(reply_to(again).message) == ["Remove 1", "Remove 2", "Remove 3"]

    # Removal after the release: the posted answers are edited, the author told privately.
    removed = await world.facilitator.click(reply_to(again).message, label="Remove 3")
    assert removed.ephemeral or removed.response is not None
    shared = [m for m in world.channel.history() if "What we shared" in everything_seen(m)]
    assert len(shared) == 1
    text = everything_seen(shared[0])
    assert WORDS["ana"] in text and WORDS["cai"] not in text and WORDS["ben"] not in text
    told = [t for t in dm_texts(cai) if "removed your shared answer" in t]
    assert len(told) == 1 and "Nobody was told it was yours" in told[0]

    # The step ends: nothing more is posted (the release was the sharing).
    moved = await world.facilitator.click(find_message(world.channel, "Review night"), label="Next")
    assert "Step 2" in reply_to(moved).content
    assert len([m for m in world.channel.history() if "What we shared" in everything_seen(m)]) == 1
    closed = find_message(world.channel, "Reviewed reflection")
    assert "Only answers the facilitator released were shared" in everything_seen(closed)
    ended = await world.facilitator.slash(world.channel, "session end")
    assert ended.response is not None

    # Ben's identity is in no message anyone else was shown, including the facilitator's own
    # private review and the session summary they receive, and in no log line at INFO or above.
    ben_marks = (str(ben.id), "ben", f"<@{ben.id}>")
    for viewer in (world.facilitator, ana, cai):
        for message in world.channel.history(viewer=viewer):
            shown = everything_seen(message)
            assert not any(mark in shown for mark in ben_marks if mark != "ben") and (
                "ben" not in shown.replace("benefit", "")
            ), shown
    for message in world.facilitator.user.dm_channel.history():
        shown = everything_seen(message)
        assert str(ben.id) not in shown and "ben" not in shown, shown
    for record in caplog.records:
        if record.levelno >= logging.INFO:
            line = record.getMessage()
            assert str(ben.id) not in line and WORDS["ben"] not in line, line
    # Nothing stored ties ben to his answer: the reflection row has no author.
    rows = await world.bot().store.db.fetch_all(
        "SELECT author_id FROM contributions WHERE kind = 'reflection'", ()
    )
    assert [r[0] for r in rows] == [None, None, None]


async def test_a_shown_anonymous_song_line_can_be_removed(world: World) -> None:
    ana, ben, _ = world.members
    await start_song(world, "test-write-open-anon", [ana, ben])
    await write(ana, sheet(world, "Anonymous open lines"), "a line that hurt someone")
    await write(ben, sheet(world, "Anonymous open lines"), "the second line")
    shown = sheet(world, "Anonymous open lines")
    assert "hurt someone" in (shown.embeds[0].description or "")
    done = await world.facilitator.slash(world.channel, "song remove", line_number=1)
    assert "Line 1 was removed" in reply_to(done).content
    assert str(ana.id) not in reply_to(done).content and "ana" not in reply_to(done).content
    shown = sheet(world, "Anonymous open lines")
    assert "hurt someone" not in (shown.embeds[0].description or "")
    assert "the second line" in (shown.embeds[0].description or "")
    lines = await world.bot().store.songs.lines(1, include_removed=True)
    assert [line.author_id for line in lines] == [None, None], "anonymous lines name nobody"
    assert [line.text for line in await world.bot().store.songs.lines(1)] == ["the second line"]

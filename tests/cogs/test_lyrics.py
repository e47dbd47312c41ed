"""Writing songs together through simcord: turns, pings, passes, removal, hidden reveal, export."""

from __future__ import annotations

import asyncio
import json
from collections import Counter

import discord
import pytest
from simcord.actors import MemberActor

from bot.core.activities import Catalog
from bot.core.errors import Conflict
from bot.core.lyrics import song_lines
from bot.core.steps.write import WriteStep
from bot.demo.controls import modal_fields
from bot.settings import Settings
from bot.ui.lyrics import who as name_in_embed
from tests.conftest import World, find_message, restart
from tests.responses import fields_of, reply_to


async def start(world: World, activity: str, members: list[MemberActor] | None = None) -> None:
    await world.facilitator.slash(world.channel, "session start", title="Song night")
    # The facilitator is in the circle too when they stay; here they hold the space instead.
    await world.facilitator.slash(world.channel, "session leave")
    for member in members if members is not None else world.members:
        await member.slash(world.channel, "session join")
    started = await world.facilitator.slash(world.channel, "activity start", activity=activity)
    assert started.ephemeral, reply_to(started).content


def sheet(world: World, title: str) -> discord.Message:
    return find_message(world.channel, title)


async def write(member: MemberActor, message: discord.Message, text: str) -> str:
    shown = await member.click(message, label="Write my line")
    assert shown.modal is not None, reply_to(shown).content if shown.response else "no modal"
    saved = await member.submit_modal(shown, {"line": text})
    assert saved.ephemeral
    return str(reply_to(saved).content)


def now_field(embed: discord.Embed) -> str:
    return str(fields_of(embed)["Now"])


def buttons(message: discord.Message) -> dict[str, bool]:
    """Button label -> enabled."""
    return {
        str(child.label): not getattr(child, "disabled", False)
        for row in message.components
        for child in getattr(row, "children", [])
        if getattr(child, "label", None)
    }


def dm_texts(member: MemberActor) -> list[str]:
    return [m.content or "" for m in member.user.dm_channel.history()]


def pings(world: World) -> list[discord.Message]:
    return [m for m in world.channel.history() if "it's your turn" in (m.content or "")]


async def test_round_robin_song_to_the_end(world: World) -> None:
    ana, ben, cai = world.members
    await start(world, "test-write-circle")
    step = sheet(world, "Our song")
    embed = step.embeds[0]
    assert "verse 3 lines, chorus 3 lines" in (embed.description or "")
    assert "**ana** is writing **line 1 of 6 (verse)**" in now_field(embed)

    # The first writer is pinged, and only them.
    ping = pings(world)[-1]
    assert ping.content.startswith(f"✍ <@{ana.id}>, it's your turn")
    assert [u.id for u in ping.mentions] == [ana.id]

    # Out of turn: refused before the form opens, and through /line too.
    early = await ben.click(step, label="Write my line")
    assert (
        early.modal is None and early.ephemeral and f"<@{ana.id}>'s turn" in reply_to(early).content
    )
    early = await ben.slash(world.channel, "line", text="me first")
    assert early.ephemeral and "turn" in reply_to(early).content

    reply = await write(ana, step, "A house with a red **door** <@1> @everyone")
    assert "added" in reply and "syllables" in reply
    step = sheet(world, "Our song")
    assert "A house with a red door everyone" in (step.embeds[0].description or "")
    assert "@everyone" not in (step.embeds[0].description or "")
    assert pings(world)[-1].content.startswith(f"✍ <@{ben.id}>")
    assert len(pings(world)) == 1  # the old ping was tidied away

    # The writer may edit their line until the next one is written.
    shown = await ana.click(step, label="Edit my line")
    assert shown.modal is not None
    edited = await ana.submit_modal(shown, {"line": "A house with a bright red door"})
    assert "updated" in reply_to(edited).content

    await write(ben, sheet(world, "Our song"), "The kettle on the stove")
    late = await ana.click(sheet(world, "Our song"), label="Edit my line")
    assert late.ephemeral and "only until the next line" in reply_to(late).content
    await cai.slash(world.channel, "line", text="My sister on the stairs")
    await write(ana, sheet(world, "Our song"), "Someone calls my name")
    await write(ben, sheet(world, "Our song"), "And I am coming home")
    await write(cai, sheet(world, "Our song"), "I am coming home")

    # Full: the auto step moved on and the song sheet was posted with credits and a file.
    assert find_message(world.channel, "After the song")
    song = find_message(world.channel, "🎶")
    body = song.embeds[0].description or ""
    assert "**Verse**\nA house with a bright red door\nThe kettle on the stove" in body
    assert "**Chorus**\nSomeone calls my name" in body
    credits = fields_of(song.embeds[0])["Words by"]
    assert credits == "**ana**, **ben** and **cai**"
    assert song.attachments and song.attachments[0].filename.endswith(".md")
    markdown = (await song.attachments[0].read()).decode()
    assert "## Chorus" in markdown and "Words by ana, ben and cai." in markdown
    closed = sheet(world, "Our song")
    assert closed.components == [] and "6 of 6" in (closed.embeds[0].description or "")

    # Saved: list, show, export as text and Markdown.
    listed = await ana.slash(world.channel, "song list")
    assert "#1" in (reply_to(listed).embeds[0].description or "")
    shown_song = await ben.slash(world.channel, "song show", song_id=1)
    assert "The kettle on the stove" in (reply_to(shown_song).embeds[0].description or "")
    exported = await cai.slash(world.channel, "song export", song_id=1, format="text")
    assert exported.ephemeral and reply_to(exported).attachments[0].filename.endswith(".txt")
    text = (await reply_to(exported).attachments[0].read()).decode()
    assert "[Verse]\nA house with a bright red door" in text
    missing = await cai.slash(world.channel, "song show", song_id=99)
    assert "no song #99" in reply_to(missing).content


async def test_credit_opt_out_and_title(world: World) -> None:
    ana, ben, _ = world.members
    await ben.slash(world.channel, "song credit", setting="off")
    await start(world, "test-write-circle", [ana, ben])
    await world.facilitator.slash(world.channel, "song title", title="Red door")
    for who, text in ((ana, "one"), (ben, "two"), (ana, "three"), (ben, "four")):
        await who.slash(world.channel, "line", text=text)
    await world.facilitator.slash(world.channel, "activity next")
    song = find_message(world.channel, "Red door")
    credits = fields_of(song.embeds[0])["Words by"]
    assert credits == "**ana** and the group"
    exported = await ana.slash(world.channel, "song export", song_id=1)
    assert (
        "Words by ana and the group." in (await reply_to(exported).attachments[0].read()).decode()
    )


async def test_timeout_passes_the_turn(world: World) -> None:
    ana, ben, _ = world.members
    bot = world.bot()
    await start(world, "test-write-circle", [ana, ben])
    await world.env.advance_time(61)
    assert pings(world)[-1].content.startswith(f"✍ <@{ben.id}>")
    step = sheet(world, "Our song")
    assert "**ben** is writing **line 1 of 6" in now_field(step.embeds[0])
    rows = await bot.store.songs.lines(1, include_removed=True)
    assert [(r.passed, r.author_id, r.event_key) for r in rows] == [(True, ana.id, "t1")]
    # A pass by choice is recorded too, and the turn comes back to ana.
    passed = await ben.click(step, label="Pass")
    assert "Passed" in reply_to(passed).content
    assert pings(world)[-1].content.startswith(f"✍ <@{ana.id}>")


async def test_facilitator_removes_a_line(world: World) -> None:
    ana, ben, _ = world.members
    bot = world.bot()
    await start(world, "test-write-circle", [ana, ben])
    await ana.slash(world.channel, "line", text="a line that hurt someone")
    await ben.slash(world.channel, "line", text="the second line")
    refused = await ana.slash(world.channel, "song remove", line_number=1)
    assert "Only facilitators" in reply_to(refused).content
    # Taking a line out is the facilitator's command, not a button every member sees.
    step = sheet(world, "Our song")
    assert "Remove a line" not in buttons(step)
    assert "/song remove" in (step.embeds[0].footer.text or "")
    done = await world.facilitator.slash(world.channel, "song remove", line_number=1)
    assert "Line 1 was removed" in reply_to(done).content
    step = sheet(world, "Our song")
    assert "hurt someone" not in (step.embeds[0].description or "")
    assert "◀ next" in (step.embeds[0].description or "")
    rows = await bot.store.songs.lines(1, include_removed=True)
    removed = [r for r in rows if r.removed_at is not None]
    assert len(removed) == 1 and removed[0].removed_by == world.facilitator.id
    assert [r.text for r in await bot.store.songs.lines(1)] == ["the second line"]
    again = await world.facilitator.slash(world.channel, "song remove", line_number=1)
    assert "hasn't been written" in reply_to(again).content


async def test_hidden_mode_reveals_at_the_end(world: World) -> None:
    ana, ben, cai = world.members
    bot = world.bot()
    await start(world, "test-write-hidden")
    await write(ana, sheet(world, "Hidden lines"), "the river took my shoes")
    step = sheet(world, "Hidden lines")
    assert "shoes" not in (step.embeds[0].description or "")
    assert "1 of 3" in (step.embeds[0].description or "")
    shown = await ben.click(step, label="Write my line")
    assert shown.modal is not None
    labels = str(shown.modal)
    assert "ends with “shoes”" in labels and "river" not in labels
    await ben.submit_modal(shown, {"line": "shoes of glass and thunder"})
    await write(cai, sheet(world, "Hidden lines"), "thunder is a lullaby")
    await world.facilitator.slash(world.channel, "activity next")
    song = find_message(world.channel, "🎶")
    body = song.embeds[0].description or ""
    assert "the river took my shoes\nshoes of glass and thunder\nthunder is a lullaby" in body
    assert fields_of(song.embeds[0])["Words by"] == "the group"
    rows = await bot.store.songs.lines(1, include_removed=True)
    assert rows and all(r.author_id is None for r in rows)
    contributions = await bot.store.contributions.for_step(1, 0)
    assert all(c.author_id is None and "writer" not in c.payload for c in contributions)


async def test_round_robin_race_accepts_only_the_writer(world: World) -> None:
    """simcord runs one action at a time, so the race goes straight at the runner's door."""
    ana, ben, _ = world.members
    bot = world.bot()
    await start(world, "test-write-circle", [ana, ben])
    run = await bot.store.runs.live_for_session(1)
    assert run is not None
    results = await asyncio.gather(
        bot.runner.contribute(run.id, 0, ben.id, "line", {"writer": ben.id, "text": "ben"}),
        bot.runner.contribute(run.id, 0, ana.id, "line", {"writer": ana.id, "text": "ana"}),
        return_exceptions=True,
    )
    assert isinstance(results[0], Conflict) and f"<@{ana.id}>'s turn" in results[0].message
    assert not isinstance(results[1], BaseException)
    lines = [c.payload["text"] for c in await bot.store.contributions.for_step(run.id, 0)]
    assert lines == ["ana"]


async def test_open_race_keeps_both_in_commit_order(world: World) -> None:
    ana, ben, _ = world.members
    bot = world.bot()
    await start(world, "test-write-open", [ana, ben])
    run = await bot.store.runs.live_for_session(1)
    assert run is not None
    results = await asyncio.gather(
        *(
            bot.runner.contribute(
                run.id,
                0,
                who.id,
                "line",
                {"writer": who.id, "text": f"{who.name} at once", "expected_position": 0},
            )
            for who in (ana, ben)
        )
    )
    assert [r.record.payload["pos"] for r in results] == [0, 1]
    fresh = await bot.store.runs.get(run.id)
    assert fresh is not None
    texts = [line["text"] for _, line in sorted(song_lines(json.loads(fresh.step_state)).items())]
    assert texts == ["ana at once", "ben at once"]
    # The sheet catches up with both lines at the next refresh.
    await ana.slash(world.channel, "line", text="ana again")
    body = sheet(world, "Open lines").embeds[0].description or ""
    assert "ana at once" in body and "ben at once" in body and "ana again" in body


async def test_rhyme_command(world: World) -> None:
    result = await world.members[0].slash(world.channel, "rhyme", word="home")
    assert result.ephemeral
    fields = fields_of(reply_to(result).embeds[0])
    assert "roam" in fields["Rhymes"]


@pytest.mark.parametrize(
    ("activity", "title", "fills"),
    [
        ("lyric-circle", "Verse and chorus", None),
        ("exquisite-corpse", "Hidden lines", None),
        ("twelve-bar-blues", "Two blues verses", None),
        ("gratitude-song", "Small good things", {3: "my coffee / it went cold", 7: "the rain"}),
    ],
)
async def test_shipped_song_activities_run_end_to_end(
    world: World, activity: str, title: str, fills: dict[int, str] | None
) -> None:
    bot = world.bot()
    await start(world, activity)
    if find_message(world.channel, "step 1").embeds[0].title != title:
        await world.facilitator.slash(world.channel, "activity next")
    sheet(world, title)
    run = await bot.store.runs.live_for_session(1)
    assert run is not None
    activity_def = bot.runner.definition(run)
    step = activity_def.steps[run.step_index]
    assert isinstance(step, WriteStep), step
    total = step.total_lines
    people = world.members
    for number in range(total):
        state_run = await bot.store.runs.live_for_session(1)
        assert state_run is not None
        turn = json.loads(state_run.step_state).get("turn")
        writer = next((p for p in people if p.id == turn), people[number % len(people)])
        text = (fills or {}).get(number, f"small good thing {number + 1}")
        shown = await writer.click(sheet(world, title), label="Write my line")
        assert shown.modal is not None, reply_to(shown).content
        values = (
            {f"line{i}": part.strip() for i, part in enumerate(text.split("/"))}
            if "/" in text
            else {"line": text}
        )
        saved = await writer.submit_modal(shown, values)
        assert "added" in reply_to(saved).content, reply_to(saved).content
    closed = sheet(world, title)
    assert f"{total} of {total}" in (closed.embeds[0].description or "") or "Every line" in str(
        closed.embeds[0].fields
    )
    await world.facilitator.slash(world.channel, "activity next")
    song = find_message(world.channel, "🎶")
    assert "small good thing 1" in (song.embeds[0].description or "") or fills
    rows = await bot.store.songs.lines(1)
    assert len(rows) == total


async def test_anonymous_song_never_ties_a_writer_to_a_line(world: World) -> None:
    """exquisite-corpse style (hidden, anonymous): the sheet, refusals and pings name nobody;
    the writer hears privately, and a ping that must go in the channel names no line."""
    ana, ben, cai = world.members
    await start(world, "test-write-hidden")
    step = sheet(world, "Hidden lines")
    now = now_field(step.embeds[0])
    assert "Someone is writing **line 1 of 3" in now and "ana" not in now
    assert not [m for m in world.channel.history() if "your turn" in (m.content or "")]
    assert [t for t in dm_texts(ana) if "your turn to write **line 1 of 3" in t]
    assert f"<#{world.channel.id}>" in dm_texts(ana)[-1]

    # Out of turn: refused without naming whose turn it is (button and /line).
    early = await ben.click(step, label="Write my line")
    assert early.modal is None and "Someone else is writing" in reply_to(early).content
    assert str(ana.id) not in reply_to(early).content and "ana" not in reply_to(early).content
    early = await ben.slash(world.channel, "line", text="me first")
    assert "Someone else is writing" in reply_to(early).content
    assert str(ana.id) not in reply_to(early).content

    await write(ana, step, "the river took my shoes")
    assert dm_texts(ana) == []  # the old turn message is tidied away
    assert [t for t in dm_texts(ben) if "**line 2 of 3" in t]
    assert "Someone is writing **line 2 of 3" in now_field(sheet(world, "Hidden lines").embeds[0])
    # cai's DMs are closed: a ping in the channel for cai alone, with no line number in it.
    closed = f"/channels/{cai.user.dm_channel.id}/messages"
    world.env.inject_error("POST", closed, status=403, code=50007, times=None)
    await write(ben, sheet(world, "Hidden lines"), "shoes of glass and thunder")
    assert dm_texts(ben) == [] and dm_texts(cai) == []
    fallback = [m for m in world.channel.history() if "your turn" in (m.content or "")]
    assert len(fallback) == 1 and [u.id for u in fallback[0].mentions] == [cai.id]
    assert "line" not in fallback[0].content.replace("Write my line", "").replace("/line", "")


async def test_turn_ping_goes_when_the_song_is_full(world: World) -> None:
    """A song that waits for the facilitator keeps no stale "your turn" ping once it's full."""
    ana, ben, cai = world.members
    for member in world.members:
        closed = f"/channels/{member.user.dm_channel.id}/messages"
        world.env.inject_error("POST", closed, status=403, code=50007, times=None)
    await start(world, "test-write-hidden")
    for member, text in ((ana, "one line"), (ben, "two lines"), (cai, "three lines")):
        assert len(pings_anywhere(world)) == 1
        await write(member, sheet(world, "Hidden lines"), text)
    assert pings_anywhere(world) == []
    full = sheet(world, "Hidden lines")
    assert "Every line is written" in now_field(full.embeds[0])
    assert not any(buttons(full).values())  # write, pass, edit, withdraw: all disabled


def pings_anywhere(world: World) -> list[discord.Message]:
    return [m for m in world.channel.history() if "your turn" in (m.content or "")]


async def test_edit_and_withdraw_only_when_a_line_can_change(world: World) -> None:
    ana, ben, _ = world.members
    await start(world, "test-write-circle", [ana, ben])
    shown = buttons(sheet(world, "Our song"))
    assert "Remove a line" not in shown
    assert shown["Write my line"] and not shown["Edit my line"] and not shown["Withdraw my line"]
    await write(ana, sheet(world, "Our song"), "a house with a red door")
    shown = buttons(sheet(world, "Our song"))
    assert shown["Edit my line"] and shown["Withdraw my line"]
    await ana.click(sheet(world, "Our song"), label="Withdraw my line")
    shown = buttons(sheet(world, "Our song"))
    assert not shown["Edit my line"] and not shown["Withdraw my line"]


async def test_line_form_limits(world: World) -> None:
    """Discord stops the writer at the step's limit while typing (strict lyric-circle: 80)."""
    ana = world.members[0]
    await start(world, "lyric-circle", [ana])
    if find_message(world.channel, "step 1").embeds[0].title != "Verse and chorus":
        await world.facilitator.slash(world.channel, "activity next")
    shown = await ana.click(sheet(world, "Verse and chorus"), label="Write my line")
    assert [f.get("max_length") for f in modal_fields(shown)] == [80]
    # /line has no such guard: a refused line comes back to the writer, ready to copy.
    words = "a very long line " * 8
    refused = await ana.slash(world.channel, "line", text=words)
    assert refused.ephemeral and "limit here is 80" in reply_to(refused).content
    assert words.strip() in reply_to(refused).content


async def test_a_line_costs_one_response_and_at_most_one_edit_per_message(world: World) -> None:
    """The API budget (issue 9): in open mode a line is answered by its interaction response
    alone (no followup, no ping, no extra message); the sheet and the board are each edited at
    most once for it; and a step just posted is not edited again to show what it already shows."""
    ana, ben, cai = world.members
    seen = len(world.env.http_requests)
    await start(world, "test-write-open")
    step = sheet(world, "Open lines")
    board = find_message(world.channel, "Song night")
    posted_then = [
        r
        for r in world.env.http_requests[seen:]
        if r.method == "PATCH" and r.path.endswith(f"/messages/{step.id}")
    ]
    assert posted_then == []
    for n, member in enumerate((ana, ben, cai)):
        seen = len(world.env.http_requests)
        reply = await member.slash(world.channel, "line", text=f"line number {n}")
        assert "added" in reply_to(reply).content
        made = world.env.http_requests[seen:]
        responses = [r for r in made if r.path.startswith("/interactions/")]
        assert len(responses) == 1 and responses[0].path.endswith("/callback")
        others = [r for r in made if r not in responses]
        assert not [r for r in others if r.method != "PATCH"], others  # no followup, post, ping
        edited = Counter(r.path.rsplit("/", 1)[-1] for r in others)
        assert set(edited) <= {str(step.id), str(board.id)} and max(edited.values()) == 1
    body = sheet(world, "Open lines").embeds[0].description or ""
    assert all(f"line number {n}" in body for n in range(3))


def test_unknown_names_are_never_raw_mentions_in_embeds() -> None:
    assert name_in_embed(7, {}, "en") == "a member"
    assert name_in_embed(7, {7: "ana"}, "en") == "**ana**"


async def test_a_turn_is_pinged_once_by_the_process_that_passed_it_after_a_restart(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    """The sheet keeps no turn timer: a process that didn't start the current turn (restarted
    here; adopted, with shards) never pings it again, and the turn that runs out is pinged by
    the process whose runner passed it (from the deadline stored in the run)."""
    ana, ben, _ = world.members
    await start(world, "test-write-circle", [ana, ben])
    assert [p.content[:30] for p in pings(world)] == [f"✍ <@{ana.id}>, it's your turn"[:30]]
    await restart(world, settings, catalog)
    await world.env.advance_time(30)
    assert len(pings(world)) == 1  # ana's turn, already pinged, isn't pinged again
    await world.env.advance_time(31)
    found = [p.content.split(",")[0] for p in pings(world)]
    # The old process's ping stays (the new one doesn't know its message); one ping for ben.
    assert found == [f"✍ <@{ana.id}>", f"✍ <@{ben.id}>"]


async def test_a_turn_whose_process_stopped_before_its_ping_is_pinged_after_a_restart(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    """ana passes and the process stops after the pass is committed, before ben's ping went
    out: the next process pings ben (the ping is claimed in the run, not in memory), once."""
    ana, ben, _ = world.members
    await start(world, "test-write-circle", [ana, ben])
    assert len(pings(world)) == 1
    bot = world.bot()
    run = await bot.runner.live_run((await bot.store.sessions.all_open())[0].id)
    assert run is not None
    # The pass as the lyrics cog commits it, without the Discord side that would follow.
    await bot.runner.contribute(
        run.id, run.step_index, ana.id, "pass", {"writer": ana.id}, anonymous=False
    )
    assert len(pings(world)) == 1  # the process "stopped" before pinging ben
    await restart(world, settings, catalog)
    await world.env.advance_time(1)
    found = [p.content.split(",")[0] for p in pings(world)]
    assert found == [f"✍ <@{ana.id}>", f"✍ <@{ben.id}>"]
    await restart(world, settings, catalog)
    await world.env.advance_time(1)
    assert len(pings(world)) == 2, "ben's turn pinged twice"

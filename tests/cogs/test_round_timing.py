"""Time in the go-around and the song circle through the real bot: an auto round whose last turn
times out moves on at once; a press during a pause gives the next speaker a whole turn from
Resume; a song's turn deadline on its card is true after pause and resume."""

from __future__ import annotations

import re

from tests.cogs.test_lyrics import now_field, sheet
from tests.cogs.test_lyrics import start as start_song
from tests.cogs.test_round import card, name, start, text
from tests.cogs.test_session_flow import board
from tests.conftest import World, find_message
from tests.responses import reply_to


async def test_auto_round_moves_on_when_the_last_turn_times_out(world: World) -> None:
    ana, ben, cai = world.members
    await start(world, activity="test-round-volunteer")  # 30 s turns, advance: auto, no limit
    await cai.click(card(world, "Who starts"), label="I'll start")
    await cai.click(card(world, "Who starts"), label="Done")
    await ana.click(card(world, "Who starts"), label="Done")
    assert f"🎤 {name(ben)} has the floor now." in text(card(world, "Who starts"))
    await world.env.advance_time(31)  # ben's time runs out: the last turn of the round
    # The step has no time limit: before, it waited for the facilitator; now it moves on.
    assert find_message(world.channel, "After the round")
    assert "We went around: 2 took their turn." in text(card(world, "Who starts"))  # ben: time


async def test_a_press_during_a_pause_gives_the_next_speaker_a_whole_turn(world: World) -> None:
    ana, ben, cai = world.members
    await start(world)  # 60 s turns
    await world.env.advance_time(20)
    await world.facilitator.click(board(world), label="Pause")
    done = await ana.click(card(world), label="Done")  # pressed while paused
    assert "The floor moves on" in reply_to(done).content
    await world.env.advance_time(120)  # paused: nobody's time runs
    assert f"{name(ben)} has the floor when it resumes, with a whole turn." in text(card(world))
    await world.facilitator.click(board(world), label="Resume")
    await world.env.advance_time(50)  # ana had 40 s left: ben must not inherit them
    assert f"🎤 {name(ben)} has the floor now." in text(card(world))
    await world.env.advance_time(11)  # ben's whole minute, counted from Resume
    body = text(card(world))
    assert f"2. {name(ben)} · time ran out" in body
    assert f"🎤 {name(cai)} has the floor now." in body


def until(field: str) -> int:
    found = re.search(r"until <t:(\d+):t>", field)
    assert found is not None, field
    return int(found.group(1))


async def test_a_song_turn_deadline_is_true_after_pause_and_resume(world: World) -> None:
    ana, ben, _ = world.members
    await start_song(world, "test-write-circle", [ana, ben])  # 60 s turns
    bot = world.bot()
    started = bot.clock().timestamp()
    assert until(now_field(sheet(world, "Our song").embeds[0])) == int(started + 60)
    await world.env.advance_time(20)
    await world.facilitator.slash(world.channel, "activity pause")
    await world.env.advance_time(300)
    await world.facilitator.slash(world.channel, "activity resume")
    await world.env.advance_time(1)  # the sheet's edits are coalesced
    resumed = bot.clock().timestamp() - 1
    # ana had 40 s left when paused: her turn ends 40 s after Resume, and the card says so.
    assert until(now_field(sheet(world, "Our song").embeds[0])) == int(resumed + 40)
    await world.env.advance_time(38)
    assert "**ana** is writing **line 1 of 6" in now_field(sheet(world, "Our song").embeds[0])
    await world.env.advance_time(3)
    assert "**ben** is writing **line 1 of 6" in now_field(sheet(world, "Our song").embeds[0])


async def test_a_late_joiner_is_on_the_card_at_once(world: World) -> None:
    ana, ben, cai = world.members
    await start(world, joined=2)
    assert "Nobody after this turn" not in text(card(world))
    await cai.click(board(world), label="Join")  # joins mid-turn: the card shows them now
    body = text(card(world))
    assert f"3. {name(cai)}" in body
    assert f"**Next:** {name(ben)}, then 1 more" in body
    fields = {f.name: f.value for f in board(world).embeds[0].fields}
    assert fields["Round"] == f"🎤 {name(ana)} has the floor · next {name(ben)}"


async def test_the_first_member_to_join_an_empty_round_gets_the_floor(world: World) -> None:
    ana, _, _ = world.members
    await start(world, joined=0)
    assert "Waiting for members to join" in text(card(world))
    await ana.click(board(world), label="Join")
    assert f"🎤 {name(ana)} has the floor now." in text(card(world))


async def test_the_board_counts_turns_not_the_facilitators_presses(world: World) -> None:
    await start(world)
    answers = {f.name: f.value for f in board(world).embeds[0].fields}["Answers"]
    assert answers == "0 of 3 answered"
    await world.facilitator.click(card(world), label="Pass")  # moves ana's turn on for her
    answers = {f.name: f.value for f in board(world).embeds[0].fields}["Answers"]
    assert answers == "1 of 3 answered"  # ana's turn; the facilitator is not one of them

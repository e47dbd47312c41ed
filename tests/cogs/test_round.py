"""The go-around (`round` step) through the real bot: order, Done, Pass, the answer form, time
moving the floor on, late joiners, leavers, the facilitator, volunteers and a restart mid-turn.
The card's words are checked at each moment (start, mid-way, at a turn's deadline, after)."""

from __future__ import annotations

import discord
from simcord.actors import MemberActor

from bot.core.activities import Catalog
from bot.settings import Settings
from tests.cogs.test_privacy import every_row_with
from tests.cogs.test_session_flow import board, open_session
from tests.conftest import World, find_message, restart
from tests.responses import button_labels, fields_of, reply_to


def card(world: World, title: str = "Check-in round") -> discord.Message:
    return find_message(world.channel, title)


def name(person: MemberActor) -> str:
    """How the card names a member: their display name in bold."""
    return f"**{person.name}**"


def text(message: discord.Message) -> str:
    return message.embeds[0].description or ""


def now_line(world: World) -> str:
    """The card's line saying who has the floor."""
    return next(line for line in text(card(world)).splitlines() if line.startswith(("🎤", "✅")))


async def start(world: World, activity: str = "test-round", joined: int = 3) -> None:
    await open_session(world)
    for person in world.members[:joined]:
        await person.click(board(world), label="Join")
    started = await world.facilitator.slash(world.channel, "activity start", activity=activity)
    assert "Starting" in reply_to(started).content


async def test_members_speak_in_join_order_with_done_and_pass(world: World) -> None:
    ana, ben, cai = world.members
    await start(world)
    # At the start: the first to join has the floor, the next is named, the order is listed.
    body = text(card(world))
    assert "One word for how you arrive today?" in body
    assert f"🎤 {name(ana)} has the floor now." in body
    assert f"**Next:** {name(ben)}, then 1 more" in body
    assert f"1. {name(ana)} · 🎤 now\n2. {name(ben)}\n3. {name(cai)}" in body
    assert "Their time ends <t:" in body
    labels = button_labels(card(world))
    assert labels == ["Answer", "Done", "Pass"]

    # Someone else can't move the floor on.
    refused = await ben.click(card(world), label="Done")
    assert refused.ephemeral and "It isn't your turn" in reply_to(refused).content

    done = await ana.click(card(world), label="Done")
    assert done.ephemeral and "The floor moves on" in reply_to(done).content
    # The session board says who has the floor and who is next too.
    fields = {f.name: f.value for f in board(world).embeds[0].fields}
    assert fields["Round"] == f"🎤 {name(ben)} has the floor · next {name(cai)}"
    body = text(card(world))  # mid-way
    assert f"🎤 {name(ben)} has the floor now." in body
    assert f"1. {name(ana)} · ✓ spoke" in body
    assert f"**Next:** {name(cai)}" in body

    passed = await ben.click(card(world), label="Pass")
    assert "Passed" in reply_to(passed).content
    body = text(card(world))
    assert f"2. {name(ben)} · passed" in body
    assert f"🎤 {name(cai)} has the floor now." in body
    assert "Nobody after this turn" in body

    await cai.click(card(world), label="Done")
    # After: everyone has spoken; the words say so and the buttons are off.
    assert now_line(world).startswith("✅ Everyone has had their turn.")
    assert not card(world).components  # nothing left to press
    # The facilitator moves on: the closed card tells what happened, without instructions.
    await world.facilitator.click(board(world), label="Next")
    closed = card(world)
    assert "We went around: 2 took their turn, 1 passed." in text(closed)
    assert not closed.components
    assert find_message(world.channel, "After the round")


async def test_text_only_answer_is_posted_with_mentions_off(world: World) -> None:
    ana, ben, _ = world.members
    await start(world)
    refused = await ben.click(card(world), label="Answer")
    assert "It isn't your turn yet" in reply_to(refused).content
    shown = await ana.click(card(world), label="Answer")
    saved = await ana.submit_modal(shown, {"answer": "tired but here @everyone"})
    assert "Thank you for your answer" in reply_to(saved).content
    posted = world.channel.last_message
    assert posted is not None
    assert "> tired but here @everyone\n— ana" in (posted.embeds[0].description or "")
    assert f"🎤 {name(ben)} has the floor now." in text(card(world))
    assert f"1. {name(ana)} · ✓ answered" in text(card(world))


async def test_a_form_from_an_earlier_turn_is_refused(world: World) -> None:
    ana, ben, _ = world.members
    await start(world)
    shown = await ana.click(card(world), label="Answer")
    await world.facilitator.click(card(world), label="Done")  # the facilitator moves it on
    late = await ana.submit_modal(shown, {"answer": "I was still typing"})
    assert "Your turn ended before your answer arrived" in reply_to(late).content
    assert late.ephemeral
    kept = [e.description or "" for e in reply_to(late).embeds]
    assert any("I was still typing" in d for d in kept)  # given back to keep
    assert f"🎤 {name(ben)} has the floor now." in text(card(world))


async def test_time_moves_the_floor_on(world: World) -> None:
    ana, ben, _ = world.members
    await start(world)
    await world.env.advance_time(59)
    assert f"🎤 {name(ana)} has the floor now." in text(card(world))
    await world.env.advance_time(2)  # the turn's deadline passes
    body = text(card(world))
    assert f"1. {name(ana)} · time ran out" in body
    assert f"🎤 {name(ben)} has the floor now." in body


async def test_late_joiner_goes_to_the_end_and_leaver_is_skipped(world: World) -> None:
    ana, ben, cai = world.members
    await start(world, joined=2)
    await cai.click(board(world), label="Join")  # joins after the round started
    left = await ben.click(board(world), label="Leave")  # leaves before their turn
    assert "You've left" in reply_to(left).content
    await ana.click(card(world), label="Done")
    body = text(card(world))
    assert f"🎤 {name(cai)} has the floor now." in body
    assert f"2. {name(ben)} · left before their turn" in body
    assert f"3. {name(cai)} · 🎤 now" in body


async def test_facilitator_moves_it_on(world: World) -> None:
    ana, ben, _ = world.members
    await start(world)
    moved = await world.facilitator.click(card(world), label="Pass")
    assert "floor moves on" in reply_to(moved).content
    assert f"🎤 {name(ben)} has the floor now." in text(card(world))
    assert f"1. {name(ana)} · passed" in text(card(world))


async def test_restart_mid_turn_keeps_the_speaker_and_the_time_left(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    ana, ben, _ = world.members
    await start(world)
    await ana.click(card(world), label="Done")
    await world.env.advance_time(30)
    await restart(world, settings, catalog)
    assert f"🎤 {name(ben)} has the floor now." in text(card(world))
    # Buttons of the card posted before the restart still work...
    refused = await ana.click(card(world), label="Done")
    assert "It isn't your turn" in reply_to(refused).content
    # ...and the stored deadline fires with the time that was left (30 s of 60).
    await world.env.advance_time(29)
    assert f"🎤 {name(ben)} has the floor now." in text(card(world))
    await world.env.advance_time(2)
    assert f"2. {name(ben)} · time ran out" in text(card(world))


async def test_volunteer_first_then_join_order_and_auto_advance(world: World) -> None:
    ana, ben, cai = world.members
    await start(world, activity="test-round-volunteer")
    who = card(world, "Who starts")
    assert "🙋 Who would like to start? Press **I'll start**." in text(who)
    started = await cai.click(who, label="I'll start")
    assert "the floor is yours" in reply_to(started).content
    body = text(card(world, "Who starts"))
    assert f"🎤 {name(cai)} has the floor now." in body
    assert f"**Next:** {name(ana)}" in body
    labels = button_labels(card(world, "Who starts"))
    assert labels == ["Answer", "Done"]  # pass_allowed: false
    shown = await cai.click(card(world, "Who starts"), label="Answer")
    await cai.submit_modal(shown, {"answer": "a private answer"})
    # share: private: the answer is not posted in the channel.
    assert all(
        "a private answer" not in (e.description or "")
        for m in world.channel.history()
        for e in m.embeds
    )
    await ana.click(card(world, "Who starts"), label="Done")
    await ben.click(card(world, "Who starts"), label="Done")
    # advance: auto: once everyone had their turn the activity moves on by itself.
    assert find_message(world.channel, "After the round")
    assert "We went around: 3 took their turn." in text(card(world, "Who starts"))


async def test_voice_session_card_says_who_speaks_in_voice(world: World) -> None:
    ana, _, _ = world.members
    opened = await world.facilitator.slash(
        world.channel, "session start", title="Tuesday circle", voice_channel=world.voice
    )
    assert "is open" in reply_to(opened).content
    await ana.click(board(world), label="Join")
    await world.facilitator.slash(world.channel, "activity start", activity="test-round")
    body = text(card(world))
    assert f"🎤 {name(ana)} is speaking in the voice channel now." in body
    labels = button_labels(card(world))
    assert labels == ["Done", "Pass"]


async def test_pause_keeps_the_speaker_and_the_time_left(world: World) -> None:
    ana, ben, _ = world.members
    await start(world)
    await world.env.advance_time(20)
    paused = await world.facilitator.click(board(world), label="Pause")
    assert paused.ephemeral
    assert f"⏸ The activity is paused. {name(ana)} keeps the floor" in text(card(world))
    await world.env.advance_time(120)  # paused: the turn's time doesn't run
    await world.facilitator.click(board(world), label="Resume")
    assert f"🎤 {name(ana)} has the floor now." in text(card(world))
    await world.env.advance_time(39)
    assert f"🎤 {name(ana)} has the floor now." in text(card(world))
    await world.env.advance_time(2)  # 20 s + 40 s of the minute
    assert f"🎤 {name(ben)} has the floor now." in text(card(world))


async def test_forget_mid_round_leaves_no_id_and_the_round_goes_on(world: World) -> None:
    ana, ben, cai = world.members
    await start(world)
    await ana.click(card(world), label="Done")
    asked = await ana.slash(world.channel, "forget")
    done = await ana.click(reply_to(asked).message, label="Delete my data")
    assert "has been deleted" in reply_to(done).content
    rows = await every_row_with(world, ana.id)
    assert rows == [], rows
    await ben.click(card(world), label="Done")
    body = text(card(world))
    assert f"🎤 {name(cai)} has the floor now." in body
    assert "ana" not in body and str(ana.id) not in body


async def test_a_speaker_the_facilitator_skips_is_recorded_skipped_not_spoke(world: World) -> None:
    """`pass_allowed: false` offers Done only: the facilitator's Done on an absent speaker's
    turn is a skip, shown as such on the card and in the closing count, and apart from a pass."""
    ana, ben, cai = world.members
    await start(world, activity="test-round-volunteer")
    await cai.click(card(world, "Who starts"), label="I'll start")
    await cai.click(card(world, "Who starts"), label="Done")
    skipped = await world.facilitator.click(card(world, "Who starts"), label="Done")
    assert "skipped" in reply_to(skipped).content and "floor moves on" in reply_to(skipped).content
    body = text(card(world, "Who starts"))
    assert f"1. {name(cai)} · ✓ spoke" in body
    assert f"2. {name(ana)} · skipped by the facilitator" in body
    fields = fields_of(board(world).embeds[0])
    assert fields["Answers"].startswith("1 of"), fields  # a skip isn't an answer
    await ben.click(card(world, "Who starts"), label="Done")
    closed = text(card(world, "Who starts"))
    assert "We went around: 2 took their turn, 1 was skipped. Thank you all." in closed


async def test_a_pass_and_a_skip_are_counted_apart(world: World) -> None:
    ana, ben, cai = world.members
    await start(world)
    await world.facilitator.click(card(world), label="Done")  # ana is away: skipped
    await ben.click(card(world), label="Pass")
    await cai.click(card(world), label="Done")
    body = text(card(world))
    assert f"1. {name(ana)} · skipped by the facilitator" in body
    assert f"2. {name(ben)} · passed" in body
    await world.facilitator.click(board(world), label="Next")
    closed = text(card(world))
    assert "We went around: 1 took their turn, 1 passed, 1 was skipped. Thank you all." in closed


async def test_in_a_voice_session_the_facilitators_done_keeps_the_turn_spoken(
    world: World,
) -> None:
    """In voice the speaker was heard: the facilitator moving the floor on isn't a skip (one
    who left the voice channel gave up the floor already, see test_round_leaving.py)."""
    ana, ben, _ = world.members
    opened = await world.facilitator.slash(
        world.channel, "session start", title="Tuesday circle", voice_channel=world.voice
    )
    assert "is open" in reply_to(opened).content
    for person in (ana, ben):
        await person.click(board(world), label="Join")
    await world.facilitator.slash(world.channel, "activity start", activity="test-round")
    moved = await world.facilitator.click(card(world), label="Done")
    assert "Thank you. The floor moves on." in reply_to(moved).content
    assert f"1. {name(ana)} · ✓ spoke" in text(card(world))

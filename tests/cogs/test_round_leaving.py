"""A go-around's speaker who leaves (the session, the server, the voice channel) gives up the
floor at once: the channel is told kindly, once, who has the floor now, and the card marks their
turn; a member who left is skipped when their turn comes. The facilitator can move on a turn.
All through the real bot under simcord."""

from __future__ import annotations

import discord
import pytest

from bot.core.activities import Catalog
from bot.core.session import RunRecord
from bot.records.sessions import NewSession
from bot.settings import Settings
from tests.cogs.test_round import card, name, start, text
from tests.cogs.test_session_flow import board
from tests.conftest import World, restart
from tests.responses import reply_to


def notes(world: World, words: str) -> list[discord.Message]:
    """The channel's plain messages containing `words` (the round's notes have no embed)."""
    return [m for m in world.channel.history() if words in (m.content or "")]


async def test_the_speaker_who_leaves_the_session_gives_up_the_floor(world: World) -> None:
    ana, ben, cai = world.members
    await start(world)
    assert f"🎤 {name(ana)} has the floor now." in text(card(world))
    left = await ana.click(board(world), label="Leave")
    assert "You've left" in reply_to(left).content
    # At once, not when ana's minute would have run out.
    body = text(card(world))
    assert f"🎤 {name(ben)} has the floor now." in body
    assert f"1. {name(ana)} · left during their turn" in body
    said = notes(world, "has left the session")
    assert [m.content for m in said] == [
        f"👋 {name(ana)} has left the session. Thank you for being with us, {name(ana)}. "
        f"The floor passes to {name(ben)}."
    ]
    assert "<@" not in said[0].content  # names, never a ping
    fields = {f.name: f.value for f in board(world).embeds[0].fields}
    assert fields["Round"] == f"🎤 {name(ben)} has the floor · next {name(cai)}"
    # The round goes on; ana is not called again, and the note is not repeated.
    await ben.click(card(world), label="Done")
    await world.env.advance_time(61)  # cai's time runs out: the round is complete
    assert text(card(world)).splitlines()[2].startswith("✅ Everyone has had their turn.")
    assert len(notes(world, "has left the session")) == 1
    await world.facilitator.click(board(world), label="Next")
    # Leaving isn't taking one's turn: the closed card counts ben only (cai's time ran out).
    assert "We went around: 1 took their turn. Thank you all." in text(card(world))


async def test_the_last_speaker_leaving_ends_the_round(world: World) -> None:
    ana, ben, _ = world.members
    await start(world, joined=2)
    await ana.click(card(world), label="Done")
    await ben.click(board(world), label="Leave")
    assert text(card(world)).splitlines()[2].startswith("✅ Everyone has had their turn.")
    assert [m.content for m in notes(world, "has left the session")] == [
        f"👋 {name(ben)} has left the session. Thank you for being with us, {name(ben)}. "
        "That was the last turn of the round."
    ]


async def test_the_speaker_who_leaves_the_server_gives_up_the_floor(world: World) -> None:
    ana, ben, cai = world.members
    await start(world)
    world.guild.remove_member(ana)
    await world.env.settle()
    body = text(card(world))
    assert f"🎤 {name(ben)} has the floor now." in body
    assert f"1. {name(ana)} · left during their turn" in body
    assert f"**Next:** {name(cai)}" in body
    assert len(notes(world, f"{name(ana)} has left the session")) == 1
    bot = world.bot()
    session = (await bot.sessions.all_open())[0]
    assert ana.id not in {a.user_id for a in await bot.sessions.present(session)}


async def test_a_member_who_left_the_server_is_skipped_at_their_turn(world: World) -> None:
    ana, ben, cai = world.members
    await start(world)
    world.guild.remove_member(ben)  # not the speaker: no note, skipped later
    await world.env.settle()
    assert not notes(world, "has left")
    await ana.click(card(world), label="Done")
    body = text(card(world))
    assert f"🎤 {name(cai)} has the floor now." in body
    assert f"2. {name(ben)} · left before their turn" in body


async def test_the_facilitator_taking_the_speaker_out_moves_the_floor_on(world: World) -> None:
    ana, ben, _ = world.members
    opened = await world.facilitator.slash(
        world.channel, "session start", title="Tuesday circle", capacity=8
    )
    assert "is open" in reply_to(opened).content
    for person in (ana, ben):
        await person.click(board(world), label="Join")
    await world.facilitator.slash(world.channel, "activity start", activity="test-round")
    assert f"🎤 {name(ana)} has the floor now." in text(card(world))
    manage = await world.facilitator.click(board(world), label="Manage")
    assert manage.ephemeral
    removed = await world.facilitator.select(reply_to(manage).message, [f"remove:{ana.id}"])
    assert "can't rejoin" in reply_to(removed).content
    assert f"🎤 {name(ben)} has the floor now." in text(card(world))


async def voice_round(world: World) -> None:
    """A voice session's round with all three members in the voice channel."""
    opened = await world.facilitator.slash(
        world.channel, "session start", title="Tuesday circle", voice_channel=world.voice
    )
    assert "is open" in reply_to(opened).content
    for person in world.members:
        await person.click(board(world), label="Join")
        await person.join_voice(world.voice)
    await world.facilitator.slash(world.channel, "activity start", activity="test-round")
    assert f"🎤 {name(world.members[0])} is speaking in the voice channel now." in text(card(world))


async def test_the_speaker_who_leaves_the_voice_channel_gives_up_the_floor(world: World) -> None:
    ana, ben, cai = world.members
    await voice_round(world)
    # Muting oneself changes nothing.
    await ana.set_voice(self_mute=True)
    assert f"🎤 {name(ana)} is speaking in the voice channel now." in text(card(world))
    # cai steps out of voice before his turn: no word in the channel, he's no longer next-but-one.
    await cai.leave_voice()
    assert f"**Next:** {name(ben)}\n" in text(card(world)) + "\n"
    assert not notes(world, "has left")
    await ana.leave_voice()
    body = text(card(world))
    assert f"🎤 {name(ben)} is speaking in the voice channel now." in body
    assert f"1. {name(ana)} · left during their turn" in body
    assert [m.content for m in notes(world, "has left the voice channel")] == [
        f"👋 {name(ana)} has left the voice channel, so we'll move on for now. "
        f"The floor passes to {name(ben)}."
    ]
    # Coming back doesn't take the floor back, and ana is still in the session.
    await ana.join_voice(world.voice)
    assert f"🎤 {name(ben)} is speaking in the voice channel now." in text(card(world))
    await ben.click(card(world), label="Done")
    # cai is still out of voice: skipped at his turn, and the round is complete.
    body = text(card(world))
    assert body.splitlines()[2].startswith("✅ Everyone has had their turn.")
    assert f"3. {name(cai)} · left before their turn" in body
    assert len(notes(world, "has left the voice channel")) == 1
    # The leaving is stored as bookkeeping of the turn, not as an answer the board counts.
    bot = world.bot()
    run = await bot.runner.live_run((await bot.sessions.all_open())[0].id)
    assert run is not None
    kinds = [c.kind for c in await bot.runner.contributions(run)]
    assert kinds == ["left_voice", "left_voice", "spoke"]


async def test_a_member_back_in_voice_before_their_turn_gets_it(world: World) -> None:
    ana, ben, cai = world.members
    await voice_round(world)
    await ben.leave_voice()
    assert f"**Next:** {name(cai)}" in text(card(world))
    await ben.join_voice(world.voice)
    assert f"**Next:** {name(ben)}, then 1 more" in text(card(world))
    await ana.click(card(world), label="Done")
    assert f"🎤 {name(ben)} is speaking in the voice channel now." in text(card(world))
    # Moving to another voice channel is leaving this one.
    other = world.guild.create_voice_channel("Another room")
    await ben.join_voice(other)
    assert f"🎤 {name(cai)} is speaking in the voice channel now." in text(card(world))


async def test_the_facilitator_can_move_on_a_speaker_who_is_silent(world: World) -> None:
    """Skipping exists: the facilitator's Done (and Pass, when the round allows it) moves the
    floor on from whoever has it (`test_round.py::test_facilitator_moves_it_on` for Pass)."""
    _, ben, _ = world.members
    await start(world)
    moved = await world.facilitator.click(card(world), label="Done")
    assert "floor moves on" in reply_to(moved).content
    assert f"🎤 {name(ben)} has the floor now." in text(card(world))
    assert not notes(world, "has left")


async def test_the_note_that_the_speaker_left_is_posted_once_across_restart_pause_and_extend(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    """Within the minute the note is news, a restart, a pause, a resume and +2 min each redraw
    the card from the stored state: none of them says it again (the state records it told)."""
    ana, ben, _ = world.members
    await start(world)
    await ana.click(board(world), label="Leave")
    assert len(notes(world, "has left the session")) == 1
    await world.env.advance_time(5)
    await restart(world, settings, catalog)
    await world.facilitator.click(board(world), label="Pause")
    await world.facilitator.click(board(world), label="Resume")
    await world.facilitator.click(board(world), label="+2 min")
    assert f"🎤 {name(ben)} has the floor now." in text(card(world))
    assert len(notes(world, "has left the session")) == 1


async def test_a_voice_change_reads_only_its_own_servers_sessions(world: World) -> None:
    """Voice comes and goes all evening in every server: a member moving reads the open sessions
    of their server's channels they moved between, never every server's (SQLite's trace of the
    reading connection shows each statement with its values)."""
    _, ben, cai = world.members
    await voice_round(world)
    bot = world.bot()
    await bot.store.sessions.create(
        NewSession(
            guild_id=world.guild.id + 1,
            channel_id=world.channel.id + 1,
            voice_channel_id=world.voice.id + 1,
            title="Another server's circle",
            facilitator_id=world.facilitator.id,
        ),
        0.0,
    )
    statements: list[str] = []
    await bot.store.db.conn.set_trace_callback(statements.append)
    try:
        await ben.leave_voice()
    finally:
        # aiosqlite annotates the callback as a Callable, yet passes None on to sqlite3,
        # which documents None as the way to remove it.
        await bot.store.db.conn.set_trace_callback(None)  # type: ignore[arg-type]
    assert f"**Next:** {name(cai)}" in text(card(world))  # ben will be skipped: it was read
    sessions_read = [s for s in statements if "FROM sessions" in s]
    assert sessions_read, statements
    own = await bot.sessions.in_channel(world.channel.id)
    for statement in sessions_read:  # this server's open sessions in voice, or its own by id
        where = statement.split(" WHERE ", 1)[1]
        assert where.startswith((f"guild_id = {world.guild.id} ", f"id = {own.id}")), statement
    assert not any("status = 'open' ORDER BY id" in s for s in statements)


async def test_a_voice_move_just_as_the_session_ends_is_let_go(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The speaker leaves voice as the facilitator ends the session: the round cog has read the
    live run, the session ends, then its contribution finds the run over (NotFound). That is
    nothing to tell anyone: no unhandled error in the voice-state listener (simcord records
    one), no note in the channel, no move written. The end is made to fall exactly
    between the cog's read and its write by ending the session right after the read (the real
    runner and session service do both)."""
    ana, _, _ = world.members
    await voice_round(world)
    bot = world.bot()
    session = await bot.sessions.in_channel(world.channel.id)
    run = await bot.runner.live_run(session.id)
    assert run is not None
    read_live_run = bot.runner.live_run
    ended: list[int] = []

    async def ends_right_after_the_read(session_id: int) -> RunRecord | None:
        found = await read_live_run(session_id)
        if found is not None and not ended:
            ended.append(session_id)
            await bot.runner.stop(found.id)
            await bot.sessions.end(session, "en")
        return found

    monkeypatch.setattr(bot.runner, "live_run", ends_right_after_the_read)
    cursor = world.env.error_cursor
    await ana.leave_voice()
    monkeypatch.undo()
    # Nothing escaped the voice-state listener (the env fixture fails a refusal escaping a
    # listener too; this names the listener's own moment).
    assert world.env.errors_since(cursor) == ()
    assert ended == [session.id]  # the cog did read the live run, and then the session ended
    assert (await bot.sessions.get(session.id)).status == "ended"
    kinds = [c.kind for c in await bot.runner.contributions(run)]
    assert "left_voice" not in kinds
    assert not notes(world, "has left the voice channel")

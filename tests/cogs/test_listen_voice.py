"""Voice in a listen step, through simcord: when the bot joins, when the music starts, what a
restart does, and every way voice can fail (each ends in one facilitator message and the card).

simcord can't carry audio and its bot can't join voice, so these tests inject `RecordingVoice`
(which runs the same channel checks as the real player and waits for the announced second like
it). The real player, `DiscordVoice`, is proven against a voice protocol peer in
tests/voice/test_discord_voice.py.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import discord
import pytest
from simcord.backend.models.channel import Overwrite
from simcord.enums import ChannelType, OverwriteType

from bot.app import create_bot
from bot.chorus_bot import ChorusBot
from bot.core.activities import Catalog
from bot.settings import Settings
from bot.voice.player import VoiceUnavailable
from bot.voice.recording import RecordingVoice
from bot.voice.refusals import AUDIO_BROKE, FFMPEG_MISSING, channel_problem
from tests.conftest import ROOT, World, find_message
from tests.conftest import open_session as open_session_as
from tests.responses import reply_to

# The media fixture is made by FFmpeg, and the player probes with ffprobe.
pytestmark = pytest.mark.requires_program("ffmpeg", "ffprobe")

VOICE_ACTIVITY = """
id: test-listen-voice
title: Test listen voice
summary: A file track played in voice.
version: 1
duration_minutes: 5
steps:
  - type: listen
    title: Tone
    track: {title: Tone, artist: Generator, file: tones/tone.ogg, duration: 20}
    countdown_seconds: 8  # over 5 s: simcord runs it in virtual time only
    no_skip: true
    volume: 0.4
    text_card: A steady A at 440 Hz.
  - type: prompt
    title: Done
    text: Thanks.
"""

SET_ACTIVITY = """
id: test-listen-set
title: Test listen set
summary: Two files back to back.
version: 1
duration_minutes: 5
steps:
  - type: listen
    title: Two tones
    track: {title: First tone, artist: Generator, file: tones/tone.ogg, duration: 20}
    then:
      - {title: Second tone, artist: Generator, file: tones/tone2.ogg, duration: 10}
    countdown_seconds: 8
  - type: prompt
    title: Done
    text: Thanks.
"""

VOTE_ACTIVITY = """
id: test-listen-vote-voice
title: Test listen vote voice
summary: A vote between two files, then the chosen one in voice.
version: 1
duration_minutes: 5
steps:
  - type: vote
    title: Pick
    question: Which tone?
    options:
      - {label: First, track: {title: First tone, artist: G, file: tones/tone.ogg, duration: 20}}
      - {label: Second, track: {title: Second tone, artist: G, file: tones/tone2.ogg, duration: 10}}
    time_limit: 1m
    advance: auto
  - type: listen
    title: Chosen tone
    track: from_vote
    countdown_seconds: 8
    no_skip: true
  - type: prompt
    title: Done
    text: Thanks.
"""

TIMED_ACTIVITY = """
id: test-timed
title: Test timed
summary: A step that ends by itself after ten seconds.
version: 1
duration_minutes: 5
steps:
  - type: prompt
    title: Ten seconds
    text: Wait.
    time_limit: 10s
    advance: auto
  - type: prompt
    title: Next one
    text: Done.
"""


def make_tone(path: Path, seconds: float = 1.0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"sine=duration={seconds}", str(path)],
        check=True,
    )
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    extra = tmp_path / "activities"
    extra.mkdir()
    (extra / "test-listen-voice.yaml").write_text(VOICE_ACTIVITY)
    (extra / "test-timed.yaml").write_text(TIMED_ACTIVITY)
    (extra / "test-listen-vote-voice.yaml").write_text(VOTE_ACTIVITY)
    (extra / "test-listen-set.yaml").write_text(SET_ACTIVITY)
    media = tmp_path / "media"
    built = Settings(
        database_path=tmp_path / "data" / "chorus.db",
        activities_dirs=(ROOT / "activities", ROOT / "tests" / "cogs", extra),
        media_dir=media,
        board_edit_interval=0,
    )
    if shutil.which("ffmpeg"):
        make_tone(media / "tones" / "tone.ogg")
        make_tone(media / "tones" / "tone2.ogg")
    return built


@pytest.fixture
def bot(voice_bot: ChorusBot) -> ChorusBot:
    """This module's bot plays through the shared `voice` (tests/cogs/conftest.py)."""
    return voice_bot


# ------------------------------------------------------------------ helpers


async def open_session(world: World, voice: Any = True, channel: Any = None) -> None:
    """The shared helper with this module's circle: "Listening circle", everyone joined, in the
    world's voice channel by default (`voice` another one, or False for none)."""
    await open_session_as(
        world,
        "Listening circle",
        voice=world.voice if voice is True else (voice or None),
        channel=channel,
        joining=world.members,
    )


async def start(world: World, activity: str, channel: Any = None) -> float:
    result = await world.facilitator.slash(
        channel or world.channel, "activity start", activity=activity
    )
    assert "Starting" in reply_to(result).content, reply_to(result).content
    return world.bot().clock().timestamp()


def card_text(message: discord.Message) -> str:
    embed = message.embeds[0]
    parts = [embed.title or "", embed.description or "", embed.footer.text or ""]
    parts += [f"{f.name}: {f.value}" for f in embed.fields]
    return "\n".join(parts)


def tone_card(world: World) -> str:
    return card_text(find_message(world.channel, "Tone"))


def dms(world: World) -> list[str]:
    return [m.content for m in world.facilitator.user.dm_channel.history()]


async def plays(world: World) -> list[tuple[str, str | None]]:
    return [(p.mode, p.file_name) for p in await world.bot().store.media.plays(1)]


def place_bot_in_voice(world: World, channel_id: int | None) -> None:
    """What Discord does when the bot joins, or a moderator moves or disconnects it.

    simcord's bot can't open a voice connection, so its voice state is set the way the
    gateway would report it (a VOICE_STATE_UPDATE for the bot's own member)."""
    backend = world.env.backend
    backend.set_voice_state(world.guild.id, backend.bot_user.id, channel_id)


async def restart_with(
    world: World, settings: Settings, catalog: Catalog, voice: RecordingVoice
) -> ChorusBot:
    old = world.bot()
    await world.env.restart_bot(create_bot(settings, catalog=catalog, voice=voice))
    await old.store.close()
    return world.bot()


# -------------------------------------------------------------- timing


async def test_bot_joins_during_the_countdown_and_starts_at_the_second(
    world: World, voice: RecordingVoice
) -> None:
    ana = world.members[0]
    await open_session(world)
    await ana.join_voice(world.voice)
    began = await start(world, "test-listen-voice")
    assert f"It plays in <#{world.voice.id}>" in tone_card(world)
    # Joined when the step was entered, in its own task; the music waits for the countdown.
    assert voice.calls == [("connect", world.voice.id)]
    assert f"<t:{int(began + 8)}:R>" in tone_card(world)
    await world.env.advance_time(9)
    # Started at the announced second (no offset into the piece, to 0.1 s), at the step's volume.
    assert voice.calls[1:] == [("play", world.voice.id, "tone.ogg", 0.0, 0.4)]
    assert "🔊 Playing now" in tone_card(world)
    await world.facilitator.slash(world.channel, "activity pause")
    await world.facilitator.slash(world.channel, "activity resume")
    assert voice.actions() == ["connect", "play", "pause", "resume"]
    await world.env.advance_time(21)
    await world.facilitator.slash(world.channel, "activity next")
    assert voice.actions()[-1] == "stop" and voice.channel_of(world.guild.id) is None
    assert await plays(world) == [("voice", "tones/tone.ogg")]
    assert dms(world) == []


async def test_a_hanging_voice_connect_never_delays_another_session(
    world: World, voice: RecordingVoice
) -> None:
    """A voice handshake that takes 20 s: another session's step still ends on the second,
    and the music, once connected, starts where the piece should be by then."""
    voice.connect_delay = 20.0
    other = world.guild.create_text_channel("other-circle")
    await open_session(world)
    await open_session(world, voice=False, channel=other)
    begin_a = await start(world, "test-listen-voice")  # countdown 8 s; connect hangs 20 s
    began = await start(world, "test-timed", channel=other)
    assert 0 <= began - begin_a <= 0.5
    await world.env.advance_time(10.5)
    bot = world.bot()
    other_session = 2
    run = await bot.store.runs.live_for_session(other_session)
    assert run is not None and run.step_index == 1, "the other session's step didn't end"
    assert abs(run.step_started_at - (began + 10)) < 1.0, run.step_started_at - began
    assert "Next one" in card_text(find_message(other, "Next one"))
    assert voice.actions() == ["connect"]  # still connecting
    await world.env.advance_time(begin_a + 20.5 - bot.clock().timestamp())
    (play,) = [c for c in voice.calls if c[0] == "play"]
    # Connected 20 s after the step began, 12 s after the music should have started.
    assert play[:3] == ("play", world.voice.id, "tone.ogg") and abs(play[3] - 12.0) <= 0.5
    assert "🔊 Playing now" in tone_card(world)


async def test_listen_now_tells_the_facilitator_what_plays_and_how_long_is_left(
    world: World, voice: RecordingVoice
) -> None:
    await open_session(world)
    nothing = await world.facilitator.slash(world.channel, "listen now")
    assert "Nothing is playing" in reply_to(nothing).content
    await start(world, "test-listen-voice")
    counting = reply_to(await world.facilitator.slash(world.channel, "listen now")).content
    assert "**Tone** by Generator" in counting and "Starts <t:" in counting
    assert "28 s until it ends" in counting and "Volume 40 %" in counting
    await world.env.advance_time(9)
    await world.env.advance_time(5)  # 6 s into the 20 s piece
    playing = await world.facilitator.slash(world.channel, "listen now")
    text = reply_to(playing).content
    assert playing.ephemeral and "14 s left." in text
    assert f"In voice in <#{world.voice.id}>." in text
    await world.facilitator.slash(world.channel, "activity pause")
    paused = reply_to(await world.facilitator.slash(world.channel, "listen now")).content
    assert "Paused, 14 s left." in paused
    member = await world.members[0].slash(world.channel, "listen now")
    assert "Only facilitators" in reply_to(member).content


# ------------------------------------------------------------- restart


async def test_restart_mid_piece_resumes_where_the_piece_is_now(
    world: World, settings: Settings, catalog: Catalog, voice: RecordingVoice
) -> None:
    await open_session(world)
    await start(world, "test-listen-voice")
    await world.env.advance_time(9)
    await world.env.advance_time(7)  # 8 s into the 20 s piece
    after = RecordingVoice()
    await restart_with(world, settings, catalog, after)
    await world.env.advance_time(0.5)
    (play,) = [c for c in after.calls if c[0] == "play"]
    assert play[:3] == ("play", world.voice.id, "tone.ogg") and 8.0 <= play[3] <= 9.0, play
    assert after.actions() == ["connect", "play"]
    assert "🔊 Playing now" in tone_card(world)
    assert dms(world) == []
    await world.env.advance_time(13)
    await world.facilitator.slash(world.channel, "activity next")
    assert after.actions()[-1] == "stop"
    assert await plays(world) == [("voice", "tones/tone.ogg")]


async def test_a_voted_piece_stays_the_same_in_voice_after_a_forget_and_a_restart(
    world: World, settings: Settings, catalog: Catalog, voice: RecordingVoice
) -> None:
    """The from_vote piece is decided when the listen step starts and stored: after a voter's
    /forget (the votes now pick the other file) and a restart during the countdown, the new
    process plays the same file, and the card and /listen now name it."""
    ana, ben = world.members[:2]
    await open_session(world)
    await start(world, "test-listen-vote-voice")
    vote = find_message(world.channel, "Pick")
    await ana.select(vote, ["o0"])
    await ben.select(vote, ["o1"])  # a tie: the first option wins
    await world.env.advance_time(61)  # the listen step's countdown runs
    assert [c[0] for c in voice.calls] == ["connect"]
    asked = await ana.slash(world.channel, "forget")
    done = await ana.click(reply_to(asked).message, label="Delete my data")
    assert "has been deleted" in reply_to(done).content
    after = RecordingVoice()
    await restart_with(world, settings, catalog, after)  # still in the countdown
    await world.env.advance_time(9)
    assert [c[2] for c in after.calls if c[0] == "play"] == ["tone.ogg"], after.calls
    card = card_text(find_message(world.channel, "Chosen tone"))
    assert "First tone" in card and "Second tone" not in card
    now = await world.facilitator.slash(world.channel, "listen now")
    assert "First tone" in reply_to(now).content


async def test_a_voted_piece_is_timed_and_resumes_mid_piece_after_a_restart(
    world: World, settings: Settings, catalog: Catalog, voice: RecordingVoice
) -> None:
    """The voted piece plays for its option's length (Second tone, 10 s) as a fixed track does:
    /listen now and the card count it down, no_skip holds Next until it has ended, and a
    restart mid-piece resumes voice where the piece is now. (Untimed, the step went from the
    countdown straight to the reflection and a restart played nothing.)"""
    ana, ben = world.members[:2]
    await open_session(world)
    began = await start(world, "test-listen-vote-voice")
    vote = find_message(world.channel, "Pick")
    await ana.select(vote, ["o1"])
    await ben.select(vote, ["o1"])
    await world.env.advance_time(61)  # the vote's minute is up: the 8 s countdown runs
    counting = reply_to(await world.facilitator.slash(world.channel, "listen now")).content
    assert "**Second tone** by G" in counting and "17 s until it ends" in counting, counting
    await world.env.advance_time(9)  # 2 s into the piece
    card = card_text(find_message(world.channel, "Chosen tone"))
    assert f"ends <t:{int(began + 78)}:R>" in card and "plays to the end" in card
    early = await world.facilitator.slash(world.channel, "activity next")
    assert "without skipping: 8 s left" in reply_to(early).content
    # 3 s into the piece. (Not 5 s: under simcord a timer within its 5 s settle window keeps a
    # real-time fallback, which restart_bot's settle would wait for; 7 s left is virtual only.)
    await world.env.advance_time(1)
    after = RecordingVoice()
    await restart_with(world, settings, catalog, after)
    await world.env.advance_time(0.5)
    (play,) = [c for c in after.calls if c[0] == "play"]
    assert play[:3] == ("play", world.voice.id, "tone2.ogg") and 3.0 <= play[3] <= 4.0, play
    await world.env.advance_time(8)  # the piece has ended
    assert "How was it?" in card_text(find_message(world.channel, "Chosen tone"))
    assert await plays(world) == [("voice", "tones/tone2.ogg")]


async def test_pause_then_restart_then_resume_keeps_the_position(
    world: World, settings: Settings, catalog: Catalog, voice: RecordingVoice
) -> None:
    await open_session(world)
    await start(world, "test-listen-voice")
    await world.env.advance_time(9)
    await world.env.advance_time(4)  # 5 s into the piece
    await world.facilitator.slash(world.channel, "activity pause")
    await world.env.advance_time(30)
    after = RecordingVoice()
    await restart_with(world, settings, catalog, after)
    assert after.calls == []  # paused: nothing plays
    await world.facilitator.slash(world.channel, "activity resume")
    await world.env.advance_time(0.5)
    (play,) = [c for c in after.calls if c[0] == "play"]
    assert 5.0 <= play[3] <= 6.0, play  # the 30 s pause didn't move the music on


async def test_restart_when_the_file_is_gone_says_so_once(
    world: World, settings: Settings, catalog: Catalog, voice: RecordingVoice
) -> None:
    await open_session(world)
    await start(world, "test-listen-voice")
    await world.env.advance_time(9)
    (settings.media_dir / "tones" / "tone.ogg").unlink()
    after = RecordingVoice()
    await restart_with(world, settings, catalog, after)
    await world.env.advance_time(1)
    messages = dms(world)
    assert len(messages) == 1 and "couldn't read `tones/tone.ogg`" in messages[0], messages
    assert "follow the card" in tone_card(world).lower()
    assert "Playing now" not in tone_card(world)
    assert await plays(world) == [("text", "tones/tone.ogg")]
    await world.env.advance_time(5)
    assert len(dms(world)) == 1


# ------------------------------------------------------------- failures


def _voice_channel_denying(world: World, deny: discord.Permissions, user_limit: int = 0) -> Any:
    """A voice channel with an overwrite for the bot (simcord's builder makes none for voice)."""
    backend = world.env.backend
    channel = backend.create_channel(
        world.guild.id,
        "Locked room",
        type=ChannelType.VOICE,
        user_limit=user_limit,
        overwrites=[
            Overwrite(target_id=backend.bot_user.id, type=OverwriteType.MEMBER, deny=deny.value)
        ],
    )
    return next(c for c in world.guild.channels.values() if c.id == channel.id)


@pytest.mark.parametrize(
    "problem", ["ffmpeg", "unreadable", "no-voice-channel", "permission", "full"]
)
async def test_voice_problems_before_the_start_fall_back_with_one_message(
    world: World, voice: RecordingVoice, settings: Settings, problem: str
) -> None:
    where: Any = True
    if problem == "ffmpeg":
        voice.fail_with = FFMPEG_MISSING
    if problem == "unreadable":
        (settings.media_dir / "tones" / "tone.ogg").unlink()
    if problem == "no-voice-channel":
        where = False
    if problem == "permission":
        where = _voice_channel_denying(world, discord.Permissions(connect=True))
    if problem == "full":
        # Full, and the bot can't join a full channel (no Move Members here).
        where = _voice_channel_denying(world, discord.Permissions(move_members=True), 1)
        await world.members[2].join_voice(where)
    await open_session(world, voice=where)
    await start(world, "test-listen-voice")
    await world.env.advance_time(9)
    messages = dms(world)
    assert len(messages) == 1, messages
    expected = {
        "ffmpeg": "FFmpeg isn't installed",
        "unreadable": "couldn't read `tones/tone.ogg`",
        "no-voice-channel": "has no voice channel",
        "permission": "I don't have the **Connect**",
        "full": "is full (1 people, its user limit)",
    }[problem]
    assert expected in messages[0]
    card = tone_card(world)
    assert "follow the card" in card.lower() and "A steady A at 440 Hz." in card
    assert voice.channel_of(world.guild.id) is None
    assert "play" not in voice.actions()
    await world.env.advance_time(21)
    result = await world.facilitator.slash(world.channel, "activity next")
    assert "Step 2 of 2" in reply_to(result).content  # the session never stalls
    assert [p[0] for p in await plays(world)] == ["text"]
    assert len(dms(world)) == 1


@pytest.mark.parametrize("problem", ["disconnected", "moved", "audio-broke"])
async def test_voice_problems_mid_piece_fall_back_with_one_message(
    world: World, voice: RecordingVoice, problem: str
) -> None:
    other = world.guild.create_voice_channel("Other room")
    await world.members[0].join_voice(world.voice)
    await open_session(world)
    await start(world, "test-listen-voice")
    place_bot_in_voice(world, world.voice.id)  # Discord reports the join
    await world.env.advance_time(9)
    assert "🔊 Playing now" in tone_card(world)
    if problem == "disconnected":
        place_bot_in_voice(world, None)
        expected = "Someone disconnected me from"
    elif problem == "moved":
        place_bot_in_voice(world, other.id)
        expected = f"Someone moved me from <#{world.voice.id}> to <#{other.id}>"
    else:
        # What DiscordVoice reports when FFmpeg fails mid-piece (tested against the peer).
        assert voice.handler is not None
        await voice.handler(world.guild.id, VoiceUnavailable(AUDIO_BROKE))
        expected = "The music stopped in voice"
    await world.env.advance_time(1)
    messages = dms(world)
    assert len(messages) == 1 and expected in messages[0], messages
    assert voice.actions()[-1] == "stop"
    card = tone_card(world)
    assert "follow the card" in card.lower() and "Playing now" not in card
    assert [p[0] for p in await plays(world)] == ["text"]
    # Nothing tries again, and nobody is told twice.
    await world.members[0].leave_voice()
    await world.env.advance_time(15)
    assert len(dms(world)) == 1 and voice.actions().count("play") == 1


async def test_the_player_leaving_by_itself_is_no_problem(
    world: World, voice: RecordingVoice
) -> None:
    """When the piece ends the real player leaves the channel; Discord reports that like a
    disconnect, and nobody should be told anything went wrong."""
    await open_session(world)
    await start(world, "test-listen-voice")
    place_bot_in_voice(world, world.voice.id)
    await world.env.advance_time(9)
    await voice.stop(world.guild.id)  # what DiscordVoice does at the end of the piece
    place_bot_in_voice(world, None)
    await world.env.advance_time(1)
    assert dms(world) == []
    assert "Playing now" in tone_card(world)
    assert [p[0] for p in await plays(world)] == ["voice"]


async def test_stopping_during_the_countdown_leaves_the_channel(
    world: World, voice: RecordingVoice
) -> None:
    await open_session(world)
    await start(world, "test-listen-voice")
    assert voice.actions() == ["connect"]  # joined, waiting for the start
    await world.facilitator.slash(world.channel, "activity stop")
    await world.env.advance_time(10)
    assert voice.actions() == ["connect", "stop"] and voice.channel_of(world.guild.id) is None
    assert await plays(world) == [] and dms(world) == []


async def test_moved_during_the_countdown_falls_back_and_leaves(
    world: World, voice: RecordingVoice
) -> None:
    other = world.guild.create_voice_channel("Other room")
    await open_session(world)
    await start(world, "test-listen-voice")
    place_bot_in_voice(world, world.voice.id)
    place_bot_in_voice(world, other.id)  # a moderator drags the bot elsewhere
    await world.env.advance_time(9)
    messages = dms(world)
    assert len(messages) == 1 and "Someone moved me from" in messages[0], messages
    assert voice.actions() == ["connect", "stop"]
    assert [p[0] for p in await plays(world)] == ["text"]
    assert "follow the card" in tone_card(world).lower()


async def test_voice_stops_when_the_channel_empties(world: World, voice: RecordingVoice) -> None:
    ana, ben, _ = world.members
    await open_session(world)
    await ana.join_voice(world.voice)
    await ben.join_voice(world.voice)
    await start(world, "test-listen-voice")
    await world.env.advance_time(9)
    await ana.leave_voice()
    assert voice.channel_of(world.guild.id) == world.voice.id
    await ben.leave_voice()
    assert voice.actions() == ["connect", "play", "stop"]
    await world.env.advance_time(3)
    assert voice.actions() == ["connect", "play", "stop"]  # no rejoining an empty channel
    assert dms(world) == []


async def test_a_stage_channel_is_refused_with_a_reason(world: World) -> None:
    """/session start offers voice channels only; a stage channel that reaches the player
    anyway is refused with a sentence the facilitator can act on."""
    stage = world.guild.create_stage_channel("Stage")
    channel = world.bot().get_channel(stage.id)
    assert isinstance(channel, discord.StageChannel)
    refused = channel_problem(channel)
    assert refused is not None and f"<#{stage.id}> is a stage channel" in refused.message
    assert "ist ein Stage-Kanal" in refused.text("de")
    with pytest.raises(VoiceUnavailable, match="stage channel"):
        await RecordingVoice().connect(channel)


async def test_a_listening_set_plays_back_to_back_after_one_countdown(
    world: World, settings: Settings, catalog: Catalog, voice: RecordingVoice
) -> None:
    await open_session(world)
    began = await start(world, "test-listen-set")
    card = card_text(find_message(world.channel, "Two tones"))
    assert (
        "Set: 1. **First tone** — Generator · 20 s\n2. **Second tone** — Generator · 10 s" in card
    )
    assert f"<t:{int(began + 8)}:R>" in card  # one countdown, before the first piece
    await world.env.advance_time(9)
    assert voice.calls[1:] == [("play", world.voice.id, "tone.ogg+tone2.ogg", 0.0, 1.0)]
    card = card_text(find_message(world.channel, "Two tones"))
    assert f"ends <t:{int(began + 38)}:R>" in card  # the whole set: 30 s
    await world.env.advance_time(22)  # 23 s into the set: 3 s into the second piece
    now = reply_to(await world.facilitator.slash(world.channel, "listen now")).content
    assert "Piece 2 of 2 of the set: **Second tone**" in now and "7 s left." in now
    after = RecordingVoice()
    await restart_with(world, settings, catalog, after)
    await world.env.advance_time(0.5)
    (play,) = [c for c in after.calls if c[0] == "play"]
    assert play[2] == "tone.ogg+tone2.ogg" and 23.0 <= play[3] <= 24.0, play
    await world.env.advance_time(8)
    plays = await world.bot().store.media.plays(1)
    assert [(p.title, p.mode) for p in plays] == [("First tone · Second tone", "voice")]


async def test_a_voice_problem_reaches_the_facilitator_in_the_server_language(
    world: World, voice: RecordingVoice
) -> None:
    """On a German server the facilitator's message, the card and the play's note are German
    (Discord's own German permission names, joined and pluralised the German way); /listen now
    words the same problem in the asking facilitator's own client language (English here)."""
    changed = await world.manager().slash(world.channel, "setup language", language="de")
    assert changed.ephemeral
    where = _voice_channel_denying(world, discord.Permissions(connect=True, speak=True))
    await open_session(world, voice=where)
    await start(world, "test-listen-voice")
    await world.env.advance_time(9)
    (message,) = dms(world)
    assert message.startswith("Ich konnte das Stück nicht im Sprachkanal abspielen"), message
    assert f"Mir fehlen in <#{where.id}> die Berechtigungen **Verbinden** und **Sprechen**." in (
        message
    )
    assert "I couldn't" not in message and "Connect" not in message
    assert "Die Wiedergabe im Sprachkanal geht gerade nicht" in tone_card(world)
    (played,) = await world.bot().store.media.plays(1)
    assert played.mode == "text" and played.note is not None
    assert played.note.startswith("Ich konnte das Stück nicht")
    now = reply_to(await world.facilitator.slash(world.channel, "listen now")).content
    assert (
        "Not in voice: I couldn't play the track in voice: I don't have the **Connect** and "
        f"**Speak** permissions in <#{where.id}>." in now
    ), now

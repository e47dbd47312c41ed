"""`DiscordVoice` and the real discord.py voice client against a voice protocol peer.

The peer (tests/fakes/discord_voice.py) is a small Discord on 127.0.0.1: REST login, a main
gateway that answers the bot's voice state update with VOICE_STATE_UPDATE and
VOICE_SERVER_UPDATE, a TLS voice gateway (hello, identify, ready, select protocol, session
description with `dave_protocol_version` 0, speaking, heartbeats) and a UDP socket that does IP
discovery and receives RTP. Nothing in discord.py is replaced: only its public endpoints
(`Route.BASE`, `DiscordWebSocket.DEFAULT_GATEWAY`, the ones `bot.run_bot` sets for a proxy)
and the TLS trust of the client's connector point at the peer.

The tests assert what a listener would get: ~50 Opus packets a second for the length of the
piece, decrypted with the session key in the mode discord.py chose and decoded by libopus to
audio at the normalised loudness, starting at the announced second, silence frames on pause,
nothing after the step's end. They run in real time (a few seconds each).
"""

from __future__ import annotations

import array
import asyncio
import itertools
import logging
import math
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import discord
import pytest
import yarl
from discord import gateway, http

from bot.voice.discord_voice import PREPARE_LEAD, DiscordVoice
from bot.voice.player import Piece, VoiceUnavailable
from tests.fakes.discord_voice import (
    OPUS_SILENCE,
    OTHER_VOICE_ID,
    VOICE_ID,
    FakeDiscord,
    Frame,
    self_signed_context,
)
from tests.voice.doubles import make_audio

pytestmark = [
    pytest.mark.requires_program("ffmpeg", "openssl"),  # the audio; the peer's TLS certificate
    pytest.mark.requires_library("opus"),  # to decode what a listener hears
]

FRAME = 0.02  # seconds of audio per Opus packet


def tone(path: Path, seconds: float) -> Path:
    return make_audio(path, "sin(2*PI*440*t)", seconds)


def two_halves(path: Path, seconds: float) -> Path:
    """440 Hz for the first half, 880 Hz for the second: where playback is can be heard."""
    half = seconds / 2
    return make_audio(path, f"sin(2*PI*if(lt(t,{half}),440,880)*t)", seconds)


@pytest.fixture
async def peer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[FakeDiscord, discord.Client]]:
    server_ssl, client_ssl = self_signed_context(tmp_path)
    fake = FakeDiscord(server_ssl)
    await fake.start()
    monkeypatch.setattr(http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url))
    intents = discord.Intents.none()
    intents.guilds = True
    intents.voice_states = True
    client = discord.Client(
        intents=intents,
        connector=aiohttp.TCPConnector(ssl=client_ssl),
        guild_ready_timeout=0.1,
    )
    await client.login("peer-token")
    runner = asyncio.create_task(client.connect(reconnect=False))
    try:
        await asyncio.wait_for(client.wait_until_ready(), 15)
        yield fake, client
    finally:
        await client.close()
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
        await fake.close()


def voice_channel(client: discord.Client, channel_id: int = VOICE_ID) -> discord.VoiceChannel:
    channel = client.get_channel(channel_id)
    assert isinstance(channel, discord.VoiceChannel)
    return channel


def audio_frames(frames: list[Frame]) -> list[Frame]:
    return [f for f in frames if f.opus != OPUS_SILENCE]


def decode(frames: list[Frame]) -> array.array[int]:
    decoder = discord.opus.Decoder()  # type: ignore[no-untyped-call]  # unannotated in discord.py
    samples: array.array[int] = array.array("h")
    for frame in frames:
        samples.frombytes(decoder.decode(frame.opus, fec=False))
    return samples


def level_dbfs(samples: array.array[int]) -> float:
    power = sum(s * s for s in samples) / max(1, len(samples))
    return 10 * math.log10(max(power, 1e-9) / 32768**2)


def frequency(samples: array.array[int]) -> float:
    """Hz from zero crossings of the left channel (48 kHz, interleaved stereo)."""
    left = samples[::2]
    crossings = sum(1 for a, b in itertools.pairwise(left) if (a < 0) != (b < 0))
    return crossings / 2 / (len(left) / 48000)


def collect_problems(voice: DiscordVoice) -> list[str]:
    """The messages of the problems `voice` reports, in order, as they come."""
    problems: list[str] = []

    async def problem(guild_id: int, refused: VoiceUnavailable) -> None:
        problems.append(refused.message)

    voice.on_problem(problem)
    return problems


async def sleep_until(moment: float) -> None:
    await asyncio.sleep(max(0.0, moment - time.time()))


# How much earlier than its scheduled second a frame may arrive: the player's clock and the
# peer's are the same wall clock, read a few microseconds apart (asyncio's timer may wake a
# millisecond early).
EARLY = 0.01
# A hang guard, not a timing claim: on a quiet box a first frame arrives 5-60 ms after its
# second; at load 10 on 2 cores (two busy loops beside other test suites) up to 2.2 s for a set
# (FFmpeg, the audio thread and the peer, which stamps arrivals on the test's own event loop,
# all wait for a CPU).
LATE_GUARD = 5.0


async def heard_to_the_end(fake: FakeDiscord, guard: float = 15.0) -> list[Frame]:
    """Every frame the peer got, once the player's five closing silence frames have come after
    some audio (polled; `guard` seconds is a hang guard: on a loaded box the last frames come
    later than the piece's length says)."""
    for _ in range(int(guard / 0.1)):
        frames = fake.frames()
        if audio_frames(frames) and [f.opus for f in frames[-5:]] == [OPUS_SILENCE] * 5:
            return frames
        await asyncio.sleep(0.1)
    raise AssertionError(f"the piece did not end within {guard} s")


def scheduled(caplog: pytest.LogCaptureFixture) -> tuple[float, float]:
    """(seconds into the set the player seeked to, the Unix second it scheduled the first frame
    for), from its "playing ..." log line (bot/voice/discord_voice.py)."""
    lines = [r for r in caplog.records if r.name == "chorus.voice" and "scheduled" in r.msg]
    assert len(lines) == 1, [r.getMessage() for r in lines]
    args = lines[0].args
    assert isinstance(args, tuple)
    offset, at = args[2], args[3]
    assert isinstance(offset, int | float) and isinstance(at, int | float), args
    return float(offset), float(at)


def assert_where_it_should_be(
    audio: list[Frame], length: float, started: float, asked: float, offset: float, begin: float
) -> float:
    """What a listener hears of a set of `length` seconds asked for at `asked` as if it had
    started at `started` (Unix seconds), against the player's schedule (`offset`, `begin`).

    Held to the schedule, not to the wall clock the frames arrived by: the position heard must
    be where the set is at the scheduled second (within two frames: FFmpeg seeks to a sample,
    the player sends whole frames), and the first frame may not leave before that second. How
    late after it the frame arrived (the audio thread and the peer waiting for a CPU on a
    loaded box) is not the player's choice: it is printed, held only to a hang guard, and
    returned (seconds)."""
    position = length - len(audio) * FRAME  # where the first frame heard is in the set
    late = audio[0].at - begin
    print(
        f"voice peer: asked {asked - started:.2f} s into the set; scheduled "
        f"{(begin - asked) * 1000:.0f} ms later from {offset:.3f} s; heard from {position:.3f} s; "
        f"the first frame arrived {late * 1000:+.0f} ms after its second"
    )
    # It seeks to where the set is at the scheduled second, and FFmpeg starts there.
    assert abs(offset - (begin - started)) <= 0.005, (offset, begin - started)
    assert abs(position - offset) <= 2 * FRAME, (position, offset)
    # The second is far enough ahead for FFmpeg to seek and fill its pipe (not the asking
    # moment, which would leave the music that much behind everyone's clock).
    assert begin >= asked + PREPARE_LEAD, begin - asked
    # Never ahead of the clock everyone was shown; late only by what the machine added.
    assert -EARLY <= late <= LATE_GUARD, late
    return late


async def test_the_piece_reaches_a_listener_on_time_and_at_the_normalised_loudness(
    peer: tuple[FakeDiscord, discord.Client], tmp_path: Path
) -> None:
    fake, client = peer
    piece = tone(tmp_path / "tone.wav", 3.0)
    voice = DiscordVoice(client)
    problems = collect_problems(voice)
    channel = voice_channel(client)
    await voice.connect(channel)  # during the countdown
    assert voice.channel_of(channel.guild.id) == VOICE_ID
    assert (fake.bot_channel, fake.voice.discovery) == (VOICE_ID, 1)
    assert fake.voice.identify["max_dave_protocol_version"] >= 0  # offered; peer says 0
    assert fake.mode == "aead_xchacha20_poly1305_rtpsize"
    start_at = time.time() + 1.5  # the announced second
    await voice.play(channel, [Piece(piece)], start_at=start_at)
    await sleep_until(start_at + 3.0 + 1.5)

    frames = fake.frames()
    audio = audio_frames(frames)
    offset = audio[0].at - start_at
    rate = (len(audio) - 1) / (audio[-1].at - audio[0].at)
    level = level_dbfs(decode(audio[25:-25]))
    print(
        f"voice peer: {len(audio)} Opus packets for 3.0 s, {rate:.1f}/s, first "
        f"{offset * 1000:+.0f} ms against the timestamp, {level:.1f} dBFS"
    )
    assert 0.0 <= offset <= 0.5, offset
    assert 147 <= len(audio) <= 152, len(audio)  # 3 s of 20 ms frames
    assert 45 <= rate <= 55, rate
    assert not any(f.opus.startswith((b"OpusHead", b"OpusTags")) for f in frames)
    assert [f.sequence - audio[0].sequence for f in audio] == list(range(len(audio)))
    assert all(b.timestamp - a.timestamp == 960 for a, b in itertools.pairwise(audio))
    # The input is at -33 dBFS; normalised (-16 LUFS) it comes out at about -18 dBFS.
    assert -19.0 <= level <= -13.0, level
    assert 420 <= frequency(decode(audio[25:75])) <= 460
    # The end: the player's closing silence frames, and the bot leaves the channel.
    assert [f.opus for f in frames[-5:]] == [OPUS_SILENCE] * 5
    speaking = [s for _, s in fake.voice.speaking]
    assert 1 in speaking and speaking[-1] == 0
    for _ in range(50):
        if fake.bot_channel is None:
            break
        await asyncio.sleep(0.05)
    assert fake.bot_channel is None and voice.channel_of(channel.guild.id) is None
    assert problems == []


async def test_pause_sends_silence_and_resume_keeps_the_position(
    peer: tuple[FakeDiscord, discord.Client], tmp_path: Path
) -> None:
    fake, client = peer
    piece = two_halves(tmp_path / "halves.wav", 3.0)
    voice = DiscordVoice(client)
    channel = voice_channel(client)
    start_at = time.time() + 1.2
    await voice.play(channel, [Piece(piece)], start_at=start_at)
    await sleep_until(start_at + 1.0)
    await voice.pause(channel.guild.id)
    await asyncio.sleep(1.0)
    await voice.resume(channel.guild.id)
    resumed_at = time.time()
    await sleep_until(resumed_at + 2.0 + 1.0)

    frames = fake.frames()
    # By order, not by arrival time (a loaded machine may delay a packet): audio, the five
    # silence frames of the pause, a silent gap of about the pause, audio again, the closing
    # silence frames.
    pause = next(i for i, f in enumerate(frames) if f.opus == OPUS_SILENCE)
    before, after = frames[:pause], audio_frames(frames[pause + 5 :])
    assert [f.opus for f in frames[pause : pause + 5]] == [OPUS_SILENCE] * 5
    assert audio_frames(before) == before and 35 <= len(before) <= 65, len(before)
    gap = frames[pause + 5].at - frames[pause + 4].at
    assert 0.7 <= gap <= 1.5, gap  # nothing at all while paused
    assert frames[pause + 4].at <= resumed_at <= frames[pause + 5].at
    heard = len(before) + len(after)
    print(f"voice peer: paused after {len(before)} frames, {gap:.2f} s silent, {heard} in all")
    assert 147 <= heard <= 152, heard  # the whole piece once: resumed, not restarted
    # Resumed where it paused (about 1 s in: 440 Hz), then the second half (880 Hz).
    assert 420 <= frequency(decode(after[:20])) <= 460
    assert 850 <= frequency(decode(after[-40:-5])) <= 910


async def test_the_steps_volume_lowers_the_level(
    peer: tuple[FakeDiscord, discord.Client], tmp_path: Path
) -> None:
    fake, client = peer
    piece = tone(tmp_path / "tone.wav", 2.0)
    voice = DiscordVoice(client)
    channel = voice_channel(client)
    start_at = time.time() + 1.0
    await voice.play(channel, [Piece(piece)], start_at=start_at, volume=0.5)
    await sleep_until(start_at + 2.0 + 1.0)
    level = level_dbfs(decode(audio_frames(fake.frames())[25:-10]))
    print(f"voice peer: volume 0.5 -> {level:.1f} dBFS")
    assert -27.0 <= level <= -21.5, level  # about 6 dB under the normalised -18 dBFS


async def test_a_restart_mid_piece_resumes_from_where_it_should_be_now(
    peer: tuple[FakeDiscord, discord.Client], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """After a restart the cog asks for the piece as it started 2.5 s ago: FFmpeg seeks."""
    caplog.set_level(logging.INFO, logger="chorus.voice")
    fake, client = peer
    piece = two_halves(tmp_path / "halves.wav", 4.0)
    voice = DiscordVoice(client)
    channel = voice_channel(client)
    asked = time.time()
    started = asked - 2.5
    await voice.play(channel, [Piece(piece)], start_at=started)  # joins, then starts
    audio = audio_frames(await heard_to_the_end(fake))
    offset, begin = scheduled(caplog)
    assert_where_it_should_be(audio, 4.0, started, asked, offset, begin)
    # FFmpeg gets PREPARE_LEAD to seek and fill its pipe counted from the end of the join (the
    # peer's session description), not from the asking; and not much more (a guard: the
    # client only has to read that message).
    joined = fake.voice.described[-1]
    print(f"voice peer: scheduled {(begin - joined) * 1000:.0f} ms after the join")
    assert joined + PREPARE_LEAD <= begin <= joined + PREPARE_LEAD + 0.75, begin - joined
    # The second half, not the start; without the stream's last frames, whose zero crossings
    # (loudnorm's and Opus's end) read up to 922 Hz for some offsets (3.525 s; a restart
    # lands anywhere).
    assert 850 <= frequency(decode(audio[5:-5])) <= 910


async def test_the_music_stops_at_the_steps_end(
    peer: tuple[FakeDiscord, discord.Client], tmp_path: Path
) -> None:
    fake, client = peer
    piece = tone(tmp_path / "tone.wav", 5.0)
    voice = DiscordVoice(client)
    channel = voice_channel(client)
    start_at = time.time() + 1.0
    await voice.play(channel, [Piece(piece)], start_at=start_at)
    await sleep_until(start_at + 1.0)
    await voice.stop(channel.guild.id)  # the step ended
    stopped = time.time()
    await asyncio.sleep(1.0)
    late = audio_frames(fake.frames(since=stopped + 0.1))
    assert late == []
    assert 40 <= len(audio_frames(fake.frames())) <= 60
    assert fake.bot_channel is None and fake.voice_state_requests[-1] is None


async def test_stopping_never_waits_for_discord_to_confirm_the_leave(
    peer: tuple[FakeDiscord, discord.Client], tmp_path: Path
) -> None:
    """The step's end stops the music on the timer path: a leave Discord doesn't confirm
    (discord.py waits up to the connect timeout for it) must not hold that path."""
    fake, client = peer
    fake.confirm_leaving = False
    voice = DiscordVoice(client)
    channel = voice_channel(client)
    start_at = time.time() + 1.0
    await voice.play(channel, [Piece(tone(tmp_path / "tone.wav", 5.0))], start_at=start_at)
    await sleep_until(start_at + 0.5)
    asked = time.monotonic()
    await voice.stop(channel.guild.id)
    took = time.monotonic() - asked
    stopped = time.time()
    await asyncio.sleep(0.5)
    assert took < 0.5, took
    assert audio_frames(fake.frames(since=stopped + 0.1)) == []
    assert fake.voice_state_requests[-1] is None  # it did ask to leave


async def test_a_disconnect_mid_piece_is_reported_once(
    peer: tuple[FakeDiscord, discord.Client], tmp_path: Path
) -> None:
    fake, client = peer
    piece = tone(tmp_path / "tone.wav", 5.0)
    voice = DiscordVoice(client)
    problems = collect_problems(voice)
    channel = voice_channel(client)
    start_at = time.time() + 1.0
    await voice.play(channel, [Piece(piece)], start_at=start_at)
    await sleep_until(start_at + 1.0)
    await fake.disconnect_bot()  # a moderator disconnects the bot
    kicked = time.time()
    for _ in range(100):  # polled, a hang guard of 10 s: a loaded box hears of it late
        if problems:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)  # room for a second report, which must not come
    assert len(problems) == 1 and "disconnected" in problems[0], problems
    assert audio_frames(fake.frames(since=kicked + 0.2)) == []
    assert voice.channel_of(channel.guild.id) is None


async def test_joining_another_channel_moves_the_bot(
    peer: tuple[FakeDiscord, discord.Client],
) -> None:
    fake, client = peer
    voice = DiscordVoice(client)
    await voice.connect(voice_channel(client))
    await voice.connect(voice_channel(client, OTHER_VOICE_ID))
    assert fake.voice_state_requests[-1] == OTHER_VOICE_ID
    assert voice.channel_of(voice_channel(client).guild.id) == OTHER_VOICE_ID
    await voice.stop(voice_channel(client).guild.id)


async def test_a_set_plays_back_to_back_from_where_it_should_be(
    peer: tuple[FakeDiscord, discord.Client], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A listening set of two pieces (440 Hz for 3 s, then 880 Hz for 2 s, different formats),
    asked for as if it had started 0.5 s ago: the rest of the first piece, then straight into
    the second, as one stream with no gap."""
    fake, client = peer
    low = make_audio(tmp_path / "low.wav", "sin(2*PI*440*t)", 3.0)
    high = make_audio(tmp_path / "high.ogg", "sin(2*PI*880*t)", 2.0)
    voice = DiscordVoice(client)
    channel = voice_channel(client)
    caplog.set_level(logging.INFO, logger="chorus.voice")
    asked = time.time()
    started = asked - 0.5
    await voice.play(channel, [Piece(low, 3.0), Piece(high, 2.0)], start_at=started)
    frames = await heard_to_the_end(fake)
    audio = audio_frames(frames)
    offset, begin = scheduled(caplog)
    position = 5.0 - len(audio) * FRAME
    assert_where_it_should_be(audio, 5.0, started, asked, offset, begin)
    # One stream: consecutive RTP packets of 960 samples each, no silence frame among them, and
    # sound in every frame across the join (by content, not arrival times: a loaded box
    # delivers packets in bunches).
    first = frames.index(audio[0])
    assert frames[first : first + len(audio)] == audio
    assert [f.sequence - audio[0].sequence for f in audio] == list(range(len(audio)))
    assert all(b.timestamp - a.timestamp == 960 for a, b in itertools.pairwise(audio))
    join = round((3.0 - position) / FRAME)  # the first frame of the second piece
    samples = decode(audio)
    per_frame = 2 * 960  # interleaved stereo samples in one frame
    around = [samples[i * per_frame : (i + 1) * per_frame] for i in range(join - 10, join + 10)]
    assert min(level_dbfs(frame) for frame in around) > -30.0
    assert 420 <= frequency(decode(audio[5 : join - 5])) <= 460  # the end of the first piece
    assert 850 <= frequency(decode(audio[join + 5 : -10])) <= 910  # then the second


async def test_a_new_piece_replaces_the_playing_one_without_leaving(
    peer: tuple[FakeDiscord, discord.Client], tmp_path: Path
) -> None:
    fake, client = peer
    first = tone(tmp_path / "first.wav", 5.0)
    second = make_audio(tmp_path / "second.wav", "sin(2*PI*880*t)", 1.0)
    voice = DiscordVoice(client)
    channel = voice_channel(client)
    start_at = time.time() + 1.0
    await voice.play(channel, [Piece(first)], start_at=start_at)
    await sleep_until(start_at + 0.5)
    await voice.play(channel, [Piece(second)], start_at=time.time() + 1.5)
    await asyncio.sleep(1.0 + 1.0)
    audio = audio_frames(fake.frames())
    assert 850 <= frequency(decode(audio[-40:-5])) <= 910  # the second piece was heard
    assert fake.voice_state_requests == [VOICE_ID, None]  # joined once; left after it

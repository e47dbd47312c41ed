"""Shared listening through simcord: track cards, no-skip, reactions, reflections, playlist
votes, from_vote, voice playback (through the recording fake) and uploads."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import discord
import pytest

from bot.chorus_bot import ChorusBot
from bot.core.activities import Catalog
from bot.core.steps.listen import ListenStep
from bot.records.sessions import ContributionRecord
from bot.settings import Settings
from bot.ui.steps.base import StepScene
from bot.ui.steps.listen import ListenPresenter
from bot.ui.steps.vote import VotePresenter
from tests.conftest import ROOT, World, find_message
from tests.conftest import open_session as open_session_as
from tests.responses import fields_of, reply_to
from tests.steps_example.ui.hum import HumPresenter

needs_ffmpeg = pytest.mark.requires_program("ffmpeg", "ffprobe")

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
    countdown_seconds: 5
    no_skip: true
    text_card: A steady A at 440 Hz.
  - type: prompt
    title: Done
    text: Thanks.
"""


def make_tone(path: Path, seconds: float = 1.0, fmt: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    command = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"sine=duration={seconds}"]
    if fmt:
        command += ["-f", fmt]
    subprocess.run([*command, str(path)], check=True)
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    extra = tmp_path / "activities"
    extra.mkdir()
    (extra / "test-listen-voice.yaml").write_text(VOICE_ACTIVITY)
    media = tmp_path / "media"
    # Settings refuse a media_dir that already exists (see the report), so build them first.
    built = Settings(
        database_path=tmp_path / "data" / "chorus.db",
        activities_dirs=(ROOT / "activities", ROOT / "tests" / "cogs", extra),
        media_dir=media,
        board_edit_interval=0,
    )
    if shutil.which("ffmpeg"):
        make_tone(media / "tones" / "tone.ogg")
    return built


@pytest.fixture
def bot(voice_bot: ChorusBot) -> ChorusBot:
    """This module's bot plays through the shared `voice` (tests/cogs/conftest.py)."""
    return voice_bot


# ------------------------------------------------------------------ helpers


async def open_session(world: World, voice: bool = False) -> None:
    """The shared helper with this module's circle: "Listening circle", everyone joined, in the
    world's voice channel if `voice`."""
    await open_session_as(
        world, "Listening circle", voice=world.voice if voice else None, joining=world.members
    )


async def start(world: World, activity: str) -> None:
    result = await world.facilitator.slash(world.channel, "activity start", activity=activity)
    assert "Starting" in reply_to(result).content, reply_to(result).content


def board(world: World) -> discord.Message:
    return find_message(world.channel, "Listening circle")


async def next_step(world: World) -> str:
    result = await world.facilitator.click(board(world), label="Next")
    return reply_to(result).content


def card_text(message: discord.Message) -> str:
    embed = message.embeds[0]
    parts = [embed.title or "", embed.description or "", embed.footer.text or ""]
    parts += [f"{f.name}: {f.value}" for f in embed.fields]
    return "\n".join(parts)


def labels(message: discord.Message) -> list[str]:
    return [
        child.label or ""
        for row in message.components
        for child in getattr(row, "children", [])
        if hasattr(child, "label")
    ]


def link_urls(message: discord.Message) -> list[str]:
    return [
        child.url
        for row in message.components
        for child in getattr(row, "children", [])
        if getattr(child, "url", None)
    ]


def dms(world: World) -> list[str]:
    return [m.content for m in world.facilitator.user.dm_channel.history()]


# -------------------------------------------------------------------- tests


async def test_track_card_countdown_and_link(world: World) -> None:
    await open_session(world)
    await start(world, "test-listen-link")
    now = world.bot().clock().timestamp()
    card = find_message(world.channel, "Short piece")
    text = card_text(card)
    assert f"<t:{int(now + 10)}:R>" in text and "starts" in text
    assert "Little tune" in text and "Test band" in text and "1 min" in text
    assert "Notice one sound." in text and "A bright little tune in C." in text
    assert "press play when the countdown reaches zero" in text
    assert "Test credit line." in text
    assert link_urls(card) == ["https://example.test/tune.mp3"]
    assert "calm" not in labels(card)  # reactions come after the music


async def test_no_skip_refuses_a_member_and_an_early_next(world: World) -> None:
    ana = world.members[0]
    await open_session(world)
    await start(world, "test-listen-link")
    refused = await ana.click(board(world), label="Next")
    assert refused.ephemeral and "Only facilitators" in reply_to(refused).content
    early = await next_step(world)
    assert "without skipping: 1 min 10 s left" in early
    await world.env.advance_time(30)  # countdown over, 40 s of the piece left
    card = find_message(world.channel, "Short piece")
    assert "ends <t:" in card_text(card)
    assert "40 s left" in await next_step(world)
    await world.env.advance_time(41)
    card = find_message(world.channel, "Short piece")
    assert {"calm", "moved", "Reflect"} <= set(labels(card))
    assert "Step 2 of 2" in await next_step(world)


async def test_reactions_and_reflections_are_saved_and_shown(world: World) -> None:
    bot = world.bot()
    ana, ben, cai = world.members
    await open_session(world)
    await start(world, "test-listen-link")
    await world.env.advance_time(71)
    card = find_message(world.channel, "Short piece")
    first = await ana.click(card, label="calm")
    assert "you reacted 😌 **calm**" in reply_to(first).content
    changed = await ana.click(card, label="moved")
    assert "changed your reaction to 🥹 **moved**" in reply_to(changed).content
    await ben.click(card, label="moved")
    await cai.click(card, label="calm")
    shown = await ana.click(card, label="Reflect")
    assert shown.modal is not None
    saved = await ana.submit_modal(shown, {"answer": "The high note stayed with me", "share": True})
    assert "reflection is saved" in reply_to(saved).content
    shown = await ben.click(card, label="Reflect")
    await ben.submit_modal(shown, {"answer": "private thought"})

    run = await bot.store.runs.live_for_session(1)
    assert run is not None
    saved_rows = await bot.store.contributions.for_step(run.id, 0)
    kinds = sorted((c.kind, c.author_id) for c in saved_rows)
    assert kinds.count(("reaction", ana.id)) == 1  # changed, not added
    assert len([k for k in kinds if k[0] == "reaction"]) == 3
    assert len([k for k in kinds if k[0] == "reflection"]) == 2

    await next_step(world)
    summary = find_message(world.channel, "How the group heard")
    text = card_text(summary)
    assert "moved **2**" in text and "calm **1**" in text
    assert "The high note stayed with me" in text and "private thought" not in text
    closed = find_message(world.channel, "Short piece")
    assert closed.components == [] and "This step has ended." in card_text(closed)
    plays = await bot.store.media.plays(1)
    assert [(p.title, p.mode) for p in plays] == [("Little tune", "link")]
    assert plays[0].ended_at is not None


async def test_song_for_this_week_end_to_end(world: World) -> None:
    bot = world.bot()
    ana, ben, _ = world.members
    await open_session(world)
    await start(world, "song-for-this-week")
    assert "Step 2 of 3" in await next_step(world)
    card = find_message(world.channel, "Gymnopédie No. 1")
    assert "archive.org" in link_urls(card)[0]
    # (A timer under simcord's 5 s settle window runs in real time: let the countdown pass.)
    await world.env.advance_time(15)
    assert "3 min 22 s left" in await next_step(world)  # 3m32s piece, 10 s of it heard
    await world.env.advance_time(203)
    card = find_message(world.channel, "Gymnopédie No. 1")
    assert "• If this piece were a place, what would it look like?" in card_text(card)
    await ana.click(card, label="calm")
    await ben.click(card, label="nostalgic")
    assert "Step 3 of 3" in await next_step(world)
    # Two reactions: fewer than 3 people, so no count per reaction.
    heard = card_text(find_message(world.channel, "How the group heard"))
    assert "2 reactions: fewer than 3" in heard and "calm" not in heard
    word = find_message(world.channel, "One word for the week")
    shown = await ana.click(word, label="Reflect")
    await ana.submit_modal(shown, {"answer": "space"})
    await world.env.advance_time(181)
    assert (await bot.store.runs.live_for_session(1)) is None
    ended = await world.facilitator.slash(world.channel, "session end")
    fields = fields_of(reply_to(ended).embeds[0])
    assert "Gymnopédie No. 1" in fields["Listening"]


async def test_guided_imagery_end_to_end(world: World) -> None:
    bot = world.bot()
    ana = world.members[0]
    await open_session(world)
    await start(world, "guided-imagery")
    await next_step(world)
    card = find_message(world.channel, "The music")
    assert "Clair de lune" in card_text(card)
    await world.env.advance_time(5 + 310)
    card = find_message(world.channel, "The music")
    assert labels(card) == ["Open the track"]  # no reactions or questions configured
    assert "Step 3 of 4" in await next_step(world)
    assert "Step 4 of 4" in await next_step(world)
    shown = await ana.click(find_message(world.channel, "What was it like?"), label="Reflect")
    await ana.submit_modal(shown, {"answer": "a forest path"})
    await world.env.advance_time(301)
    assert (await bot.store.runs.live_for_session(1)) is None


async def test_group_playlist_vote_and_from_vote(world: World) -> None:
    bot = world.bot()
    ana, ben, cai = world.members
    await open_session(world)
    refused = await ana.slash(world.channel, "listen suggest", title="X", url="ftp://nope")
    assert "https://" in reply_to(refused).content
    for who, title, url in (
        (ana, "Harvest Moon", "https://example.test/harvest"),
        (ben, "Blackbird", "https://example.test/blackbird"),
        (cai, "Gone Song", None),
    ):
        options = {"url": url} if url else {}
        added = await who.slash(
            world.channel, "listen suggest", title=title, artist="Someone", **options
        )
        assert "Added **" in reply_to(added).content
    playlist = await ana.slash(world.channel, "listen playlist")
    shown = reply_to(playlist).embeds[0].description or ""
    assert playlist.ephemeral and "Blackbird" in shown
    assert "suggested by ben" in shown and "<@" not in shown
    nominations = await bot.store.media.playlist(1)
    gone = nominations[2]
    assert (
        "Only facilitators"
        in reply_to(await ana.slash(world.channel, "listen remove", entry=gone.id)).content
    )
    removed = await world.facilitator.slash(world.channel, "listen remove", entry=gone.id)
    assert "Removed **Gone Song**" in reply_to(removed).content

    await start(world, "group-playlist")
    assert "Step 2 of 4" in await next_step(world)
    vote = find_message(world.channel, "Choose together")
    text = card_text(vote)
    assert "1.** Harvest Moon" in text and "2.** Blackbird" in text and "Gone Song" not in text
    first, second = (f"n{n.id}" for n in nominations[:2])
    picked = await ana.select(vote, [second])
    assert "Your vote is **Blackbird — Someone**" in reply_to(picked).content
    changed = await ana.select(vote, [first])
    assert "Your vote is now **Harvest Moon" in reply_to(changed).content
    await ben.select(vote, [second])
    # One each: a tie, broken by the earliest nomination (Harvest Moon).
    run = await bot.store.runs.live_for_session(1)
    assert run is not None
    votes = await bot.store.contributions.for_step(run.id, 1)
    assert sorted(c.payload["choice"] for c in votes) == sorted([first, second])
    await world.env.advance_time(121)
    # Two voters: the outcome only, never how the votes fell (not even "a tie").
    result = find_message(world.channel, "The group chose")
    assert "Harvest Moon" in (result.embeds[0].title or "")
    assert "counts aren't shown" in (result.embeds[0].description or "")
    assert "tie" not in (result.embeds[0].description or "")
    closed = card_text(find_message(world.channel, "Choose together"))
    assert "1 vote" not in closed and "counts aren't shown" in closed
    card = find_message(world.channel, "The group's choice")
    assert "Harvest Moon" in card_text(card) and "Suggested by ana" in card_text(card)
    assert "<@" not in card_text(card)
    assert link_urls(card) == ["https://example.test/harvest"]
    await world.env.advance_time(10)
    card = find_message(world.channel, "The group's choice")
    await ben.click(card, label="moved")
    assert "Step 4 of 4" in await next_step(world)
    assert "Step 4 of 4" not in await next_step(world)
    plays = await bot.store.media.plays(1)
    assert [(p.title, p.nomination_id, p.mode) for p in plays] == [
        ("Harvest Moon", nominations[0].id, "link")
    ]


async def test_vote_on_fixed_tracks_and_previous_answers(world: World) -> None:
    ana, ben, _ = world.members
    await open_session(world)
    await start(world, "test-listen-vote")
    vote = find_message(world.channel, "Pick a piece")
    # The option's track title is its label: not said twice.
    assert "**1.** Morning — *Grieg*" in card_text(vote) and "*Morning —" not in card_text(vote)
    await ana.select(vote, ["o1"])
    await ben.select(vote, ["o1"])
    await next_step(world)
    closed = card_text(find_message(world.channel, "Pick a piece"))
    assert "vote" not in closed.replace("This vote has ended", "").replace("voted", "")
    result = find_message(world.channel, "The group chose")
    assert "Evening" in (result.embeds[0].title or "")
    assert "2 votes" not in (result.embeds[0].description or "")
    card = find_message(world.channel, "The chosen piece")
    assert "Evening" in card_text(card) and "Satie" in card_text(card)
    await world.env.advance_time(40)
    await next_step(world)
    words = find_message(world.channel, "Pick words")
    shown = await ana.click(words, label="Reflect")
    await ana.submit_modal(shown, {"answer": "tide", "share": True})
    shown = await ben.click(words, label="Reflect")
    await ben.submit_modal(shown, {"answer": "secret", "share": False})
    await next_step(world)
    best = card_text(find_message(world.channel, "Best word"))
    assert "tide" in best and "secret" not in best


def tone_bytes(tmp_path: Path, fmt: str = "ogg") -> bytes:
    return make_tone(tmp_path / f"upload.{fmt}", 1.0, fmt).read_bytes()


def reply_text(result: object) -> str:
    followups = getattr(result, "followups", None) or []
    texts = [getattr(m, "content", "") for m in followups]
    response = getattr(result, "response", None)
    if response is not None:
        texts.insert(0, response.content or "")
    return "\n".join(texts)


@needs_ffmpeg
async def test_upload_refuses_what_is_not_audio(world: World, settings: Settings) -> None:
    await open_session(world)
    refused = await world.facilitator.slash(
        world.channel, "listen upload", file=("song.mp3", b"just some text, not music\n" * 50)
    )
    text = reply_text(refused)
    assert "isn't an audio file I can play" in text and "song.mp3" in text
    uploads = settings.media_dir / "uploads"
    assert not uploads.exists() or list(uploads.iterdir()) == []
    member = await world.members[0].slash(world.channel, "listen upload", file=("a.ogg", b"x"))
    assert "Only facilitators" in reply_text(member)


async def test_upload_without_ffprobe_says_what_to_install_and_keeps_nothing(
    world: World, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without FFmpeg an upload can't be checked, so it is refused with what to do about it."""
    bare = tmp_path / "no-programs"
    bare.mkdir()
    monkeypatch.setenv("PATH", str(bare))  # a machine without FFmpeg, whatever this one has
    await open_session(world)
    refused = await world.facilitator.slash(
        world.channel, "listen upload", file=("song.ogg", b"OggS" + b"\0" * 400)
    )
    text = reply_text(refused)
    assert "FFmpeg (ffprobe) isn't installed" in text, text
    assert "isn't an audio file" not in text
    uploads = settings.media_dir / "uploads"
    assert not uploads.exists() or list(uploads.iterdir()) == []
    assert await world.bot().store.media.tracks(world.guild.id) == []


@needs_ffmpeg
async def test_upload_saves_audio_under_a_safe_name(
    world: World, settings: Settings, tmp_path: Path
) -> None:
    await open_session(world)
    data = tone_bytes(tmp_path, "wav")
    saved = await world.facilitator.slash(
        world.channel,
        "listen upload",
        file=("../../etc/evil name.txt", data),
        title="Calm tone",
        artist="Test",
    )
    text = reply_text(saved)
    assert "Saved **Calm tone** by Test (1 s)" in text, text
    tracks = await world.bot().store.media.tracks(world.guild.id)
    assert len(tracks) == 1 and tracks[0].file_name is not None
    name = tracks[0].file_name
    assert name.startswith("uploads/") and name.endswith(".wav") and "evil" not in name
    assert (settings.media_dir / name).read_bytes() == data
    library = await world.facilitator.slash(world.channel, "listen library")
    shown = reply_to(library).embeds[0].description or ""
    assert "Calm tone" in shown and name in shown and "tones/tone.ogg" in shown


async def test_upload_size_limit(world: World, settings: Settings) -> None:
    await open_session(world)
    too_big = b"\0" * (settings.upload_max_mb * 1024 * 1024 + 1)
    refused = await world.facilitator.slash(
        world.channel, "listen upload", file=("big.wav", too_big)
    )
    assert "the limit is 25 MB" in reply_text(refused)


def test_every_shared_reflection_appears_however_long() -> None:
    """Twelve long reflections don't fit one embed: they go over several messages, each
    bounded, and nobody's words are dropped."""
    activity = Catalog.load([ROOT / "tests" / "cogs"], ROOT / "media").activities[
        "test-listen-link"
    ]
    step = activity.steps[0]
    assert isinstance(step, ListenStep), step
    run = SimpleNamespace(id=1, step_index=1, live=True, step_state="{}")
    shared = [
        ContributionRecord(
            i,
            1,
            0,
            100 + i,
            "reflection",
            {"text": f"R{i:02d} " + "la " * 300, "shared": True},
            0,
            0,
        )
        for i in range(12)
    ]
    scene = StepScene(
        session=cast(Any, None),
        run=cast(Any, run),
        activity=activity,
        step=step,
        step_index=0,
        contributions=shared,
        names={100: "ana"},
        locale="en",
    )
    payloads = ListenPresenter().after_exit(scene)
    assert len(payloads) > 1
    texts = []
    for payload in payloads:
        assert payload.embed is not None
        text = payload.embed.description or ""
        assert len(text) <= 4096 and len(payload.embed) <= 6000
        texts.append(text)
    joined = "\n".join(texts)
    for i in range(12):
        assert f"R{i:02d}" in joined
    assert joined.count("…") == 12  # each shortened visibly, at 500 characters
    assert "— ana" in joined and "— a member" in joined and "<@" not in joined


async def test_a_kinds_presenter_is_found_by_class(world: World) -> None:
    """A cog reads its kind's presenter by its class (`LiveSessions.presenter_of`), typed as
    that class: a renamed kind or class is a mypy error, not a KeyError while a session runs.
    A presenter put in its place is the one found; a class no registered kind uses is a
    KeyError."""
    bot = world.bot()
    assert bot.live.presenter_of(ListenPresenter) is bot.live.presenters["listen"]
    replaced = ListenPresenter()
    bot.live.presenters[replaced.kind] = replaced
    assert bot.live.presenter_of(ListenPresenter) is replaced
    assert bot.live.presenter_of(VotePresenter) is bot.live.presenters["vote"]
    with pytest.raises(KeyError, match="HumPresenter"):
        bot.live.presenter_of(HumPresenter)  # the example kind, not registered here

"""Shared listening through simcord: track cards, no-skip, reactions, reflections, playlist
votes, from_vote, voice playback (through the recording fake) and uploads."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import discord
import pytest

from bot.app import ChorusBot, create_bot
from bot.core.activities import Catalog
from bot.settings import Settings
from bot.voice import FFMPEG_MISSING, RecordingVoice
from tests.conftest import ROOT, World, find_message

needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg not installed")

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
def voice() -> RecordingVoice:
    return RecordingVoice()


@pytest.fixture
def bot(settings: Settings, catalog: Catalog, voice: RecordingVoice) -> ChorusBot:
    return create_bot(settings, catalog=catalog, voice=voice)


# ------------------------------------------------------------------ helpers


async def open_session(world: World, voice: bool = False) -> None:
    options = {"voice_channel": world.voice} if voice else {}
    result = await world.facilitator.slash(
        world.channel, "session start", title="Listening circle", **options
    )
    assert "is open" in result.response.content
    for member in world.members:
        await member.slash(world.channel, "session join")


async def start(world: World, activity: str) -> None:
    result = await world.facilitator.slash(world.channel, "activity start", activity=activity)
    assert "Starting" in result.response.content, result.response.content


def board(world: World) -> discord.Message:
    return find_message(world.channel, "Listening circle")


async def next_step(world: World) -> str:
    result = await world.facilitator.click(board(world), label="Next")
    return result.response.content


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
    assert refused.ephemeral and "Only facilitators" in refused.response.content
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
    assert "you reacted 😌 **calm**" in first.response.content
    changed = await ana.click(card, label="moved")
    assert "changed your reaction to 🥹 **moved**" in changed.response.content
    await ben.click(card, label="moved")
    await cai.click(card, label="calm")
    shown = await ana.click(card, label="Reflect")
    assert shown.modal is not None
    saved = await ana.submit_modal(shown, {"answer": "The high note stayed with me", "share": True})
    assert "reflection is saved" in saved.response.content
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
    await ana.click(card, label="calm")
    await ben.click(card, label="nostalgic")
    assert "Step 3 of 3" in await next_step(world)
    word = find_message(world.channel, "One word for the week")
    shown = await ana.click(word, label="Reflect")
    await ana.submit_modal(shown, {"answer": "space"})
    await world.env.advance_time(181)
    assert (await bot.store.runs.live_for_session(1)) is None
    ended = await world.facilitator.slash(world.channel, "session end")
    fields = {f.name: f.value for f in ended.response.embeds[0].fields}
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

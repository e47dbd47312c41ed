"""The playlist, votes and plays through ListeningService without Discord, on a real store
(both engines). The playlist caps are checked inside the insert's own write: members suggesting
at the same moment can't get past them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.core.activities import Activity
from bot.core.errors import Conflict, InvalidInput, NotFound
from bot.core.listening_service import PER_MEMBER_MAX, PLAYLIST_MAX, ListeningService
from bot.core.runner import Runner
from bot.core.step_state import StepState
from bot.core.steps import step_handlers
from bot.core.steps.listen import ListenState
from bot.records.media import NewTrack
from bot.records.sessions import NewSession, SessionRecord
from bot.store.store import Store
from bot.ui.format import plain_name
from tests.core.runner_setup import stopped_at
from tests.engines import TestDatabase

GUILD = 1


clock = stopped_at()


PLAYLIST_VOTE = Activity.model_validate(
    {
        "id": "playlist-vote",
        "title": "Playlist vote",
        "summary": "s",
        "version": 1,
        "duration_minutes": 5,
        "version_hash": "abc",
        "steps": [
            {
                "type": "vote",
                "title": "Pick",
                "question": "Which one?",
                "from": "playlist",
                "time_limit": 120,
            },
            {"type": "listen", "title": "The chosen piece", "track": "from_vote"},
        ],
    }
)


@dataclass
class Listening:
    store: Store
    runner: Runner
    service: ListeningService
    session: SessionRecord


@pytest.fixture
async def listening(engine: TestDatabase, tmp_path: Path) -> AsyncIterator[Listening]:
    store = Store(engine.url)
    await store.open()
    runner = Runner(store, clock, step_handlers())
    service = ListeningService(
        store, clock, runner, tmp_path / "media", plain_name, lambda _guild: "en"
    )
    session = await store.sessions.create(
        NewSession(
            guild_id=GUILD, channel_id=2, voice_channel_id=None, title="t", facilitator_id=9
        ),
        0.0,
    )
    yield Listening(store, runner, service, session)
    await store.close()


async def suggest(listening: Listening, user: int, title: str) -> int | str:
    """The nomination's id, or the refusal's text."""
    song = listening.service.suggestion(title, None, None, None)
    try:
        return (await listening.service.suggest(listening.session, user, song)).id
    except Conflict as refused:
        return refused.message


async def test_simultaneous_suggestions_never_pass_the_playlist_cap(listening: Listening) -> None:
    """30 members suggest at the same moment: 25 get in, 5 are told the playlist is full.
    (With the cap read first and the insert written second, all 30 read 0 and got in.)"""
    results = await asyncio.gather(
        *(suggest(listening, user, f"song {user}") for user in range(1, 31))
    )
    added = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, str)]
    assert len(added) == PLAYLIST_MAX
    assert len(refused) == 30 - PLAYLIST_MAX
    assert all("The playlist is full (25 songs)" in r for r in refused)
    assert len(await listening.store.media.playlist(listening.session.id)) == PLAYLIST_MAX


async def test_one_member_suggesting_at_once_never_passes_their_cap(listening: Listening) -> None:
    results = await asyncio.gather(*(suggest(listening, 5, f"song {n}") for n in range(8)))
    added = [r for r in results if isinstance(r, int)]
    assert len(added) == PER_MEMBER_MAX
    assert all("You've already added 3 songs" in r for r in results if isinstance(r, str)), results
    assert len(await listening.store.media.playlist(listening.session.id)) == PER_MEMBER_MAX


async def test_a_removed_song_frees_its_place(listening: Listening) -> None:
    first = await suggest(listening, 5, "one")
    for title in ("two", "three"):
        await suggest(listening, 5, title)
    assert "already added 3" in str(await suggest(listening, 5, "four"))
    assert isinstance(first, int)
    removed = await listening.service.remove(listening.session, first)
    assert removed.title == "one"
    assert isinstance(await suggest(listening, 5, "four"), int)
    with pytest.raises(NotFound, match=f"no entry #{first}"):
        await listening.service.remove(listening.session, first)


def test_a_suggestion_is_cleaned_and_checked(listening: Listening) -> None:
    service = listening.service
    song = service.suggestion("  Clair\n de lune ", "Debussy", " https://example.test/a ", "")
    assert (song.title, song.artist, song.url, song.note) == (
        "Clair de lune",
        "Debussy",
        "https://example.test/a",
        None,
    )
    with pytest.raises(InvalidInput, match="title"):
        service.suggestion("   ", None, None, None)
    with pytest.raises(InvalidInput, match="https://"):
        service.suggestion("Song", None, "javascript:alert(1)", None)
    with pytest.raises(InvalidInput, match="https://"):
        service.suggestion("Song", None, "https://a b", None)


async def test_the_playlist_hides_credit_for_those_who_asked(listening: Listening) -> None:
    await listening.store.members.remember_name(GUILD, 1, "Ana")
    await listening.store.members.remember_name(GUILD, 2, "Bo")
    await listening.store.songs.set_credit_opt_out(GUILD, 2, True)
    await suggest(listening, 1, "one")
    await suggest(listening, 2, "two")
    shown = await listening.service.playlist(listening.session)
    assert [n.title for n in shown.nominations] == ["one", "two"]
    assert shown.hidden_credit == frozenset({2})
    assert shown.names[1] == "Ana"


async def test_a_playlist_vote_picks_the_piece_and_its_play_is_recorded_once(
    listening: Listening,
) -> None:
    store, service, session = listening.store, listening.service, listening.session
    for user in (1, 2, 3):
        await store.sessions.join(session.id, user, 0.0)
    await suggest(listening, 1, "Morning")
    await suggest(listening, 2, "Evening")
    run = (await listening.runner.start(session.id, PLAYLIST_VOTE)).run
    choices = await service.choices_for(session, run, 0, "en")
    assert [c.label for c in choices][:2] == ["Morning", "Evening"]
    with pytest.raises(InvalidInput, match="Pick one"):
        await service.choice(session, run, 0, [], "en")
    with pytest.raises(InvalidInput, match="no longer on the list"):
        await service.choice(session, run, 0, ["gone"], "en")
    evening = await service.choice(session, run, 0, [choices[1].key], "en")
    for user in (1, 2):
        await service.vote(run.id, 0, user, evening)
    track = await service.resolve_track(session, run, 1)
    assert track is not None and track.title == "Evening"
    await listening.runner.advance(run.id, 0)
    live = await service.live_run_of(session.id)
    assert live is not None and live.step_index == 1
    await service.start_play(session, live, 1, None)
    await service.start_play(session, live, 1, "voice failed")
    plays, suggested = await service.summary(session)
    assert [(p.title, p.mode) for p in plays] == [("Evening", "text")] and suggested == 2
    with pytest.raises(Conflict, match="ended"):
        await service.live_step(run.id, 0)


FILE_VOTE = Activity.model_validate(
    {
        "id": "file-vote",
        "title": "File vote",
        "summary": "s",
        "version": 1,
        "duration_minutes": 5,
        "version_hash": "abd",
        "steps": [
            {
                "type": "vote",
                "title": "Pick",
                "question": "Which one?",
                "options": [
                    {
                        "label": "Up",
                        "track": {"title": "Up", "artist": "A", "file": "uploads/u.ogg"},
                    },
                    {"label": "Down", "track": {"title": "Down", "artist": "A", "file": "d.ogg"}},
                ],
            },
            {"type": "listen", "title": "The chosen piece", "track": "from_vote"},
        ],
    }
)


async def test_a_voted_file_without_a_length_takes_the_librarys(listening: Listening) -> None:
    """A vote option's file with no `duration` plays for the length the server's library
    recorded at upload (rounded up to whole seconds), kept with the decided piece, so the
    listen step is timed by it; a file the library doesn't know stays untimed."""
    store, service, session = listening.store, listening.service, listening.session
    upload = NewTrack(
        guild_id=GUILD,
        title="Up",
        artist="A",
        file_name="uploads/u.ogg",
        duration_seconds=41.2,
        uploaded_by=9,
    )
    await store.media.add_track(upload, 0.0)
    await store.sessions.join(session.id, 1, 0.0)
    run = (await listening.runner.start(session.id, FILE_VOTE)).run
    up = await service.choice(session, run, 0, ["o0"], "en")
    assert up.track is not None and up.track.duration is None
    await service.vote(run.id, 0, 1, up)
    moved = await listening.runner.advance(run.id, 0)
    assert moved is not None
    track = await service.resolve_track(session, moved.run, 1)
    assert track is not None and track.file == "uploads/u.ogg" and track.duration == 42
    live = await service.live_run_of(session.id)
    assert live is not None
    assert StepState.of(live).kind(ListenState).duration == 42.0

    other = await store.sessions.create(
        NewSession(
            guild_id=GUILD, channel_id=3, voice_channel_id=None, title="u", facilitator_id=9
        ),
        0.0,
    )
    await store.sessions.join(other.id, 1, 0.0)
    second = (await listening.runner.start(other.id, FILE_VOTE)).run
    down = await service.choice(other, second, 0, ["o1"], "en")
    await service.vote(second.id, 0, 1, down)
    moved = await listening.runner.advance(second.id, 0)
    assert moved is not None
    untimed = await service.resolve_track(other, moved.run, 1)
    assert untimed is not None and untimed.file == "d.ogg" and untimed.duration is None

"""The media repository: tracks, nominations and plays, on a real SQLite file."""

from __future__ import annotations

from typing import Any

from bot.records.media import NewNomination, NewPlay, NewTrack
from bot.records.sessions import NewRun, NewSession
from bot.store.store import Store


async def _session(store: Store) -> int:
    session = await store.sessions.create(
        NewSession(guild_id=1, channel_id=2, voice_channel_id=None, title="t", facilitator_id=3),
        0.0,
    )
    return session.id


async def test_nominations_in_order_and_removable(store: Store) -> None:
    sid = await _session(store)
    a = await store.media.add_nomination(
        NewNomination(session_id=sid, user_id=5, title="A", artist="", url=None, note=None), 1.0
    )
    b = await store.media.add_nomination(
        NewNomination(
            session_id=sid, user_id=6, title="B", artist="x", url="https://b.test", note="n"
        ),
        2.0,
    )
    assert [n.id for n in await store.media.playlist(sid)] == [a.id, b.id]
    assert await store.media.remove_nomination(a.id, 3.0)
    assert not await store.media.remove_nomination(a.id, 4.0)
    assert [n.title for n in await store.media.playlist(sid)] == ["B"]


async def _play(store: Store, sid: int, **piece: Any) -> NewPlay:
    """A play of step 1 of a new run in session `sid`: a voice play of uploads/x.ogg, but
    for the fields in `piece`."""
    run = await store.runs.create(
        NewRun(
            session_id=sid, activity_id="a", version_hash="h", definition="{}", step_deadline=None
        ),
        0.0,
    )
    fields: dict[str, Any] = {
        "title": "T",
        "artist": "A",
        "url": None,
        "file_name": "uploads/x.ogg",
        "nomination_id": None,
        "mode": "voice",
        "note": None,
        **piece,
    }
    return NewPlay(session_id=sid, run_id=run.id, step_index=1, **fields)


async def test_a_step_is_played_once(store: Store) -> None:
    sid = await _session(store)
    play = await _play(store, sid)
    run_id = play.run_id
    first, created = await store.media.record_play(play, 5.0)
    again, created_again = await store.media.record_play(play, 6.0)
    assert created and not created_again and first.id == again.id
    await store.media.end_play(run_id, 1, 9.0)
    plays = await store.media.plays(sid)
    assert len(plays) == 1 and plays[0].ended_at == 9.0 and plays[0].mode == "voice"


async def test_tracks_by_guild(store: Store) -> None:
    t = await store.media.add_track(
        NewTrack(
            guild_id=1,
            title="Tone",
            artist="",
            file_name="uploads/a.ogg",
            duration_seconds=2.0,
            uploaded_by=3,
        ),
        1.0,
    )
    assert await store.media.tracks(1) == [t]
    assert t.file_name == "uploads/a.ogg" and t.uploaded_by == 3
    assert await store.media.tracks(2) == []


async def test_a_play_of_a_forgotten_members_nomination_names_none(store: Store) -> None:
    """The vote chose a member's song, then their /forget deleted it: the play is still
    recorded, with no nomination (as the delete leaves the plays saved before it)."""
    sid = await _session(store)
    song = await store.media.add_nomination(
        NewNomination(session_id=sid, user_id=5, title="A", artist="", url=None, note=None), 1.0
    )
    await store.privacy.forget(1, 5, 2.0)
    assert await store.media.nomination(song.id) is None
    play = await _play(store, sid, title="A", file_name=None, nomination_id=song.id, mode="text")
    recorded, created = await store.media.record_play(play, 3.0)
    assert created and recorded.nomination_id is None and recorded.title == "A"

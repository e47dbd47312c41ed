"""The repositories' shared reads (`bot/store/repository.py`), on both engines: a row by id and
a server's newest rows, each as its record."""

from __future__ import annotations

from bot.records.media import NewTrack, TrackRecord
from bot.store.store import Store


def track(guild_id: int, title: str) -> NewTrack:
    return NewTrack(
        guild_id=guild_id,
        title=title,
        artist="",
        file_name=f"uploads/{title}.ogg",
        duration_seconds=2.0,
        uploaded_by=3,
    )


async def test_a_row_by_id_as_its_record(store: Store) -> None:
    added = await store.media.add_track(track(1, "tone"), 10.0)
    repo = store.media
    assert await repo._by_id(TrackRecord, "tracks", added.id) == added
    assert await repo._by_id(TrackRecord, "tracks", added.id + 1) is None


async def test_a_servers_newest_rows_first_at_most_the_limit(store: Store) -> None:
    # Same created_at for the last two: the later id comes first.
    first = await store.media.add_track(track(1, "first"), 10.0)
    second = await store.media.add_track(track(1, "second"), 20.0)
    third = await store.media.add_track(track(1, "third"), 20.0)
    await store.media.add_track(track(2, "elsewhere"), 30.0)
    repo = store.media
    assert await repo._newest_in_guild(TrackRecord, "tracks", 1, 10) == [third, second, first]
    assert await repo._newest_in_guild(TrackRecord, "tracks", 1, 2) == [third, second]
    assert await repo._newest_in_guild(TrackRecord, "tracks", 3, 10) == []

"""The media library without Discord: the upload limit, uploads that keep nothing, and the media
folder's other audio files (a real store and a real folder)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.errors import InvalidInput
from bot.core.media_library import OTHER_FILES_SHOWN, MediaLibrary, check_upload_size
from bot.store.store import Store

GUILD = 1


def clock() -> datetime:
    return datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_the_upload_limit_is_in_megabytes() -> None:
    check_upload_size(1024 * 1024, 1)
    with pytest.raises(InvalidInput, match=r"That file is 1\.0 MB; the limit is 1 MB"):
        check_upload_size(1024 * 1024 + 1, 1)


async def test_an_upload_over_the_limit_keeps_nothing(store: Store, tmp_path: Path) -> None:
    library = MediaLibrary(store, clock, tmp_path / "media")
    with pytest.raises(InvalidInput, match="the limit is 1 MB"):
        await library.upload(GUILD, 9, b"x" * (1024 * 1024 + 1), "a.mp3", None, None, 1)
    assert await library.library(GUILD) == ([], [])
    assert not (tmp_path / "media").exists()


async def test_other_audio_files_in_the_folder_are_listed(store: Store, tmp_path: Path) -> None:
    media = tmp_path / "media"
    (media / "calm").mkdir(parents=True)
    for name in ("calm/rain.ogg", "Sea.MP3", ".hidden.mp3", "notes.txt"):
        (media / name).write_bytes(b"x")
    library = MediaLibrary(store, clock, media)
    tracks, others = await library.library(GUILD)
    assert tracks == [] and others == ["Sea.MP3", "calm/rain.ogg"]
    for n in range(OTHER_FILES_SHOWN + 5):
        (media / f"piece{n:02d}.wav").write_bytes(b"x")
    assert len((await library.library(GUILD))[1]) == OTHER_FILES_SHOWN

"""The media library without Discord: the upload limit, uploads that keep nothing, and the media
folder's other audio files (a real store and a real folder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.errors import InvalidInput
from bot.core.media_library import OTHER_FILES_SHOWN, MediaLibrary, check_upload_size
from bot.store.store import Store
from tests.core.runner_setup import stopped_at
from tests.core.test_media import _wav, needs_ffprobe

GUILD = 1


clock = stopped_at()


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


@needs_ffprobe
async def test_two_servers_uploading_the_same_file_name_each_keep_their_own(
    store: Store, tmp_path: Path
) -> None:
    """`tracks.file_name` is unique across servers, and needs to be: it names a file in the one
    media folder every server shares. An upload is stored under a generated name, never the
    member's, so two communities' "song.mp3" never collide (and no server's removal or /forget
    can reach the other's file)."""
    library = MediaLibrary(store, clock, tmp_path / "media")
    data = _wav(tmp_path / "song.mp3").read_bytes()
    first = await library.upload(GUILD, 9, data, "song.mp3", None, None, 5)
    second = await library.upload(GUILD + 1, 8, data, "song.mp3", None, None, 5)
    assert first.file_name != second.file_name
    assert "song" not in first.file_name and "song" not in second.file_name
    for upload in (first, second):
        assert (tmp_path / "media" / upload.file_name).read_bytes() == data
    assert [t.file_name for t in (await library.library(GUILD))[0]] == [first.file_name]
    assert [t.file_name for t in (await library.library(GUILD + 1))[0]] == [second.file_name]

"""Media paths never leave the media directory; uploads are judged by what ffprobe finds."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest

from bot.core.media import (
    MediaPathError,
    new_upload_name,
    parse_probe,
    playable_path,
    probe_audio,
    resolve_media_path,
)

needs_ffprobe = pytest.mark.requires_program("ffmpeg", "ffprobe")


def test_paths_stay_inside_the_media_dir(tmp_path: Path) -> None:
    media = tmp_path / "media"
    (media / "a").mkdir(parents=True)
    (media / "a" / "x.ogg").write_bytes(b"x")
    assert resolve_media_path(media, "a/x.ogg") == (media / "a" / "x.ogg").resolve()
    for bad in ("../secret.ogg", "/etc/passwd", "a/../../x", "~/x.ogg", "", "a\\x.ogg", "."):
        with pytest.raises(MediaPathError):
            resolve_media_path(media, bad)
    outside = tmp_path / "outside.ogg"
    outside.write_bytes(b"x")
    (media / "link.ogg").symlink_to(outside)
    with pytest.raises(MediaPathError):
        resolve_media_path(media, "link.ogg")


def test_a_piece_to_play_is_a_readable_file_inside_the_media_dir(tmp_path: Path) -> None:
    media = tmp_path / "media"
    media.mkdir()
    (media / "x.ogg").write_bytes(b"x")
    assert playable_path(media, "x.ogg") == (media / "x.ogg").resolve()
    with pytest.raises(MediaPathError, match="inside the media directory"):
        playable_path(media, "../x.ogg")
    (media / "folder.ogg").mkdir()
    for missing in ("gone.ogg", "folder.ogg"):
        with pytest.raises(MediaPathError) as refused:
            playable_path(media, missing)
        assert f"I couldn't read `{missing}` in the media folder" in refused.value.message


def _probe(streams: list[Mapping[str, object]], fmt: str = "ogg", duration: str = "2.0") -> str:
    return json.dumps(
        {
            "streams": streams,
            "format": {"format_name": fmt, "duration": duration, "tags": {"TITLE": "Tone"}},
        }
    )


def test_parse_probe_accepts_audio_and_refuses_the_rest() -> None:
    audio = {"codec_type": "audio", "codec_name": "vorbis"}
    info = parse_probe(_probe([audio]))
    assert info is not None and info.duration == 2.0 and info.title == "Tone"
    assert info.extension == "ogg"
    assert new_upload_name(info).startswith("uploads/") and new_upload_name(info).endswith(".ogg")
    cover = {"codec_type": "video", "disposition": {"attached_pic": 1}}
    assert parse_probe(_probe([audio, cover], fmt="mp3")) is not None
    assert parse_probe(_probe([audio, {"codec_type": "video"}], fmt="mov,mp4,m4a")) is None
    assert parse_probe(_probe([], fmt="ogg")) is None
    assert parse_probe(_probe([audio], fmt="hls")) is None
    assert parse_probe(_probe([audio], fmt="tty")) is None
    assert parse_probe("not json") is None


def _wav(path: Path) -> Path:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=duration=1", "-f", "wav", str(path)],
        check=True,
    )
    return path


@needs_ffprobe
async def test_probe_audio_on_real_files(tmp_path: Path) -> None:
    tone = _wav(tmp_path / "tone")
    info = await probe_audio(tone)
    assert info is not None and info.extension == "wav"
    assert info.duration == pytest.approx(1.0, abs=0.05)
    text = tmp_path / "notes.mp3"
    text.write_text("this is not music, whatever the name says\n" * 20)
    assert await probe_audio(text) is None

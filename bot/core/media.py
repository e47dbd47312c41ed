"""Audio files: safe paths inside the media directory, and probing uploads with ffprobe.

An upload's type is decided by what ffprobe finds inside it, never by its name. ffprobe runs
with only the `file` protocol allowed, a time limit, and no shell, so a crafted file (a
playlist pointing at the network, say) can't make it fetch anything.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bot.core.errors import InvalidInput, UserFacingError
from bot.i18n import N_

UPLOADS = "uploads"
PROBE_TIMEOUT = 20.0

# ffprobe format names (the first of a comma list) -> the extension a stored upload gets.
_EXTENSIONS = {
    "mp3": "mp3",
    "ogg": "ogg",
    "flac": "flac",
    "wav": "wav",
    "aiff": "aiff",
    "mov": "m4a",
    "matroska": "mka",
    "aac": "aac",
    "opus": "opus",
    "caf": "caf",
    "wv": "wv",
}
# Containers that are not an audio file even when ffprobe can open them.
_REFUSED_FORMATS = {"tty", "image2", "concat", "hls", "lavfi", "ffmetadata", "sdp", "rtp"}


class MediaPathError(InvalidInput):
    """A media path that would leave the media directory, or names no file."""


class ProbeUnavailable(UserFacingError):
    """ffprobe is not installed, so uploads can't be checked."""

    def __init__(self) -> None:
        super().__init__(
            "I can't check audio files right now because FFmpeg (ffprobe) isn't installed on "
            "the bot's computer. Ask whoever runs the bot to install FFmpeg."
        )


@dataclass(frozen=True, slots=True)
class AudioInfo:
    format_name: str
    codec: str
    duration: float | None
    title: str | None = None
    artist: str | None = None

    @property
    def extension(self) -> str:
        """The file extension for the container ffprobe found (e.g. "mp3", "ogg"); "audio" for one
        without a usual extension."""
        return _EXTENSIONS.get(self.format_name.split(",")[0], "audio")


def resolve_media_path(media_dir: Path, relative: str) -> Path:
    """The absolute path of `relative` inside `media_dir`. Raises MediaPathError for anything
    that escapes it (absolute paths, `..`, symlinks pointing outside) or is no usable path."""
    if not relative or "\\" in relative or "\x00" in relative:
        raise MediaPathError(N_("That file path isn't usable."))
    candidate = Path(relative)
    if candidate.is_absolute() or relative.startswith("~") or ".." in candidate.parts:
        raise MediaPathError(N_("Media files must be inside the media directory."))
    root = media_dir.resolve()
    resolved = (root / candidate).resolve()
    if not resolved.is_relative_to(root) or resolved == root:
        raise MediaPathError(N_("Media files must be inside the media directory."))
    return resolved


def readable_file(path: Path) -> bool:
    """Whether `path` is a file this process may read."""
    return path.is_file() and os.access(path, os.R_OK)


def playable_path(media_dir: Path, file: str) -> Path:
    """The absolute path of the piece `file` (relative to `media_dir`) to play now. Raises
    MediaPathError for a path outside the media folder (see `resolve_media_path`) or a file
    this process can't read there."""
    path = resolve_media_path(media_dir, file)
    if not readable_file(path):
        raise MediaPathError(
            N_(
                "I couldn't read {file} in the media folder, so it wasn't played "
                "in voice; members followed the text card. Check the file is there "
                "and readable (see /listen library)."
            ),
            file=f"`{file}`",
        )
    return path


def new_upload_name(info: AudioInfo) -> str:
    """A generated name (never the uploader's): uploads/<random>.<ext>."""
    return f"{UPLOADS}/{secrets.token_hex(8)}.{info.extension}"


def ffprobe_path() -> str | None:
    """Where the ffprobe program is on PATH, None when it isn't installed."""
    return shutil.which("ffprobe")


def parse_probe(output: str) -> AudioInfo | None:
    """ffprobe's JSON -> AudioInfo, or None when the file holds no audio we can play."""
    try:
        data = json.loads(output or "{}")
    except json.JSONDecodeError:
        return None
    fmt = data.get("format") or {}
    format_name = str(fmt.get("format_name") or "")
    if not format_name or format_name.split(",")[0] in _REFUSED_FORMATS:
        return None
    streams = data.get("streams") or []
    audio = [s for s in streams if s.get("codec_type") == "audio"]
    video = [
        s
        for s in streams
        if s.get("codec_type") == "video"
        and not (s.get("disposition") or {}).get("attached_pic")  # cover art is fine
    ]
    if not audio or video:
        return None
    duration: float | None = None
    for raw in (fmt.get("duration"), audio[0].get("duration")):
        try:
            duration = float(str(raw))
            break
        except (TypeError, ValueError):
            continue
    if duration is not None and duration <= 0:
        return None
    tags = {str(k).lower(): str(v) for k, v in (fmt.get("tags") or {}).items()}
    return AudioInfo(
        format_name=format_name,
        codec=str(audio[0].get("codec_name") or "unknown"),
        duration=duration,
        title=tags.get("title") or None,
        artist=tags.get("artist") or None,
    )


async def probe_audio(path: Path, *, limit_seconds: float = PROBE_TIMEOUT) -> AudioInfo | None:
    """What ffprobe finds in a local file; None when it is not playable audio (or the probe
    took over `limit_seconds`). Raises ProbeUnavailable when ffprobe isn't installed.

    Runs in a thread with a real-time limit (not an event-loop timer), so a simulated clock
    can't cut it short and a slow probe never blocks the loop.
    """
    program = ffprobe_path()
    if program is None:
        raise ProbeUnavailable()
    command = [
        program,
        "-v",
        "error",
        "-protocol_whitelist",
        "file",
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        f"file:{path}",
    ]

    def run() -> subprocess.CompletedProcess[bytes] | None:
        try:
            return subprocess.run(
                command,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=limit_seconds,
                check=False,
            )
        except (subprocess.TimeoutExpired, OSError):
            return None

    finished = await asyncio.to_thread(run)
    if finished is None or finished.returncode != 0:
        return None
    return parse_probe(finished.stdout.decode("utf-8", "replace"))

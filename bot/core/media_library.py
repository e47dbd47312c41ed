"""The server's media library: audio files uploaded by facilitators (checked by ffprobe, saved
under a new name in the media folder, recorded in the store) and the other audio files found in
the media folder. Sizes are bytes unless a name says MB; durations are seconds.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from pathlib import Path

from bot.core.clock import Clock, timestamp
from bot.core.errors import InvalidInput
from bot.core.media import UPLOADS, new_upload_name, probe_audio, resolve_media_path
from bot.core.text import clean_member_text
from bot.i18n import N_, Figure
from bot.records.media import NewTrack, TrackRecord
from bot.store.store import Store

AUDIO_SUFFIXES = {".mp3", ".ogg", ".opus", ".flac", ".wav", ".m4a", ".aac", ".mka", ".aiff"}
OTHER_FILES_SHOWN = 30


@dataclass(frozen=True, slots=True)
class Upload:
    """A file saved to the library."""

    track: TrackRecord
    file_name: str
    """Its name under the media folder (what an activity's `file:` names)."""
    duration: float | None
    """Seconds, when the file says."""


def check_upload_size(size: int, limit_mb: int) -> None:
    """Raises InvalidInput when a file of `size` bytes is over the upload limit (`limit_mb` MB);
    the cog asks before downloading it, the library again on the bytes it got."""
    if size > limit_mb * 1024 * 1024:
        raise InvalidInput(
            N_(
                "That file is {size} MB; the limit is {limit} MB. "
                "Try a shorter piece or a more compressed format (MP3 or OGG)."
            ),
            size=Figure(size / 1024 / 1024, 1),
            limit=limit_mb,
        )


class MediaLibrary:
    """Each server's uploaded tracks and the media folder they are saved in."""

    def __init__(self, store: Store, clock: Clock, media_dir: Path) -> None:
        self._store = store
        self._clock = clock
        self._media_dir = media_dir

    async def library(self, guild_id: int) -> tuple[list[TrackRecord], list[str]]:
        """The server's uploaded tracks, and up to 30 other audio files in the media folder."""
        tracks = await self._store.media.tracks(guild_id)
        known = {t.file_name for t in tracks}
        return tracks, await asyncio.to_thread(self._other_files, known)

    def _other_files(self, known: set[str | None]) -> list[str]:
        root = self._media_dir
        if not root.is_dir():
            return []
        found = []
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix.lower() in AUDIO_SUFFIXES:
                relative = path.relative_to(root).as_posix()
                if relative not in known and not path.name.startswith("."):
                    found.append(relative)
            if len(found) >= OTHER_FILES_SHOWN:
                break
        return found

    async def upload(
        self,
        guild_id: int,
        user_id: int,
        data: bytes,
        file_name: str,
        title: str | None,
        artist: str | None,
        limit_mb: int,
    ) -> Upload:
        """Save an uploaded audio file to the library under a new name.

        Raises InvalidInput when it is larger than `limit_mb` MB (see check_upload_size) or
        holds no playable audio (then nothing is kept), ProbeUnavailable when ffprobe isn't
        installed."""
        check_upload_size(len(data), limit_mb)
        folder = self._media_dir / UPLOADS
        incoming = folder / f".incoming-{secrets.token_hex(8)}"
        await asyncio.to_thread(_write, incoming, data)
        try:
            info = await probe_audio(incoming)
            if info is None:
                shown = clean_member_text(file_name, 80, single_line=True)
                raise InvalidInput(
                    N_(
                        "`{shown}` isn't an audio file I can play: I looked inside it, and found no audio. Upload an MP3, OGG, FLAC, WAV or M4A file."
                    ),
                    shown=shown,
                )
            name = new_upload_name(info)
            final = resolve_media_path(self._media_dir, name)
            await asyncio.to_thread(incoming.rename, final)
        finally:
            if incoming.exists():
                await asyncio.to_thread(incoming.unlink)
        fallback = Path(file_name).stem.replace("_", " ")
        piece = clean_member_text(title or info.title or fallback, 100, single_line=True)
        by = clean_member_text(artist or info.artist or "", 100, single_line=True)
        new = NewTrack(
            guild_id=guild_id,
            title=piece or "Untitled",
            artist=by,
            file_name=name,
            duration_seconds=info.duration,
            uploaded_by=user_id,
        )
        track = await self._store.media.add_track(new, timestamp(self._clock))
        return Upload(track, name, info.duration)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)

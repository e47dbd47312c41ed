"""`chorus db copy --media SRC_DIR DST_DIR`: the media folder's files beside the rows.

Uploaded tracks are files in the media folder (`media_dir`), named by `tracks.file_name`; a
database copied without them names files its bot can't find. This copies the whole folder, or
with `--guild` only the files that server's tracks name (read from the source database). A file
already at the destination is kept when it is the same; when one differs, the command stops
before copying anything (rows included): nothing is ever overwritten.
"""

from __future__ import annotations

import filecmp
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.store.copy import CopyError
from bot.store.store import Store

PARTIAL_UPLOAD = ".incoming-"
"""The prefix of an upload still being written (bot/core/media_library.py): never copied."""


@dataclass(frozen=True, slots=True)
class MediaCopy:
    """What a media copy did: files copied, their bytes, files already there (the same), and
    named files missing from the source folder."""

    copied: int
    size: int
    present: int
    missing: tuple[str, ...]


def _inside(root: Path, name: str) -> Path:
    """`name` under `root`; raises CopyError for a name that would leave it."""
    path = (root / name).resolve()
    if not path.is_relative_to(root.resolve()):
        raise CopyError(f"media file name {name!r} leaves the media folder; nothing copied")
    return path


def _all_files(source: Path) -> list[str]:
    return sorted(
        str(path.relative_to(source))
        for path in source.rglob("*")
        if path.is_file() and not path.name.startswith(PARTIAL_UPLOAD)
    )


@dataclass(frozen=True, slots=True)
class MediaPlan:
    """The files to copy, checked before anything is written (see `plan_media`)."""

    files: tuple[tuple[Path, Path], ...]
    """(source file, destination file) pairs."""
    present: int
    missing: tuple[str, ...]

    def copy(self) -> MediaCopy:
        """Copy the planned files, keeping their names and times. Raises OSError when a file
        can't be read or written."""
        size = 0
        for origin, target in self.files:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target)
            size += target.stat().st_size
        return MediaCopy(len(self.files), size, self.present, self.missing)


def plan_media(source: Path, destination: Path, names: Sequence[str] | None) -> MediaPlan:
    """Plan copying the files `names` (relative to `source`; None: every file of its tree but
    partial uploads) into `destination`. Raises CopyError when `source` isn't a folder, a name
    leaves it, or a file at the destination differs from the source's: checked for every file
    before the rows are copied, so a refused copy writes nothing."""
    if not source.is_dir():
        raise CopyError(f"no media folder at {source.resolve()} (check SRC_DIR)")
    wanted = _all_files(source) if names is None else list(dict.fromkeys(names))
    plan: list[tuple[Path, Path]] = []
    missing: list[str] = []
    present = 0
    for name in wanted:
        origin, target = _inside(source, name), _inside(destination, name)
        if not origin.is_file():
            missing.append(name)
        elif target.exists():
            if not filecmp.cmp(origin, target, shallow=False):
                raise CopyError(
                    f"{target} already exists and differs from {origin}; nothing copied "
                    "(move it away, or copy into an empty folder)"
                )
            present += 1
        else:
            plan.append((origin, target))
    return MediaPlan(tuple(plan), present, tuple(missing))


async def uploaded_files(url: str, guild_id: int) -> list[str]:
    """The media-folder names of one server's uploaded tracks in the database at `url`.
    Raises StorageUnavailable when it can't be read."""
    store = Store(url)
    await store.open()
    try:
        return await store.media.file_names(guild_id)
    finally:
        await store.close()

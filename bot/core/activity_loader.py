"""Load activity files, turning every problem into a located, human message.

A facilitator edits these files by hand, so the loader's job is as much to explain as to load:
each error names the file, line, column and field path, says what was expected and what was
found, and suggests the field they probably meant (`bot.core.error_wording`). One broken file
never stops the others. The catalog of loaded activities is `bot.core.catalog`.
"""

import hashlib
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from bot.core.activity_fields import LOADER_CONTEXT_KEY, LOADER_OWNED_FIELDS
from bot.core.activity_models import Activity, cross_step_problems, format_path
from bot.core.error_wording import humanize
from bot.core.yaml_marks import (
    MAX_BYTES,
    MarkedDocument,
    YamlPath,
    decode_source,
    parse_marked,
    too_big,
)
from bot.i18n import Wording

log = logging.getLogger("chorus.activities")

ACTIVITY_SUFFIXES = (".yaml", ".yml")
MAX_ERRORS_PER_FILE = 30
"""Past this many, a file is more wrong than right; the rest would only be noise."""


@dataclass(frozen=True)
class ActivityError:
    """One problem in one activity file, located precisely enough to fix without guessing."""

    file: str
    line: int
    column: int
    path: str
    """The field, as the file writes it (``steps[2].turns``; empty for the whole file)."""
    message: Wording
    """What is wrong and how to fix it: English as a str (``chorus validate``, logs);
    ``message.text(locale)`` in a facilitator's language."""

    def __str__(self) -> str:
        return self.text(None)

    def text(self, locale: str | None) -> str:
        """``file:line:column: field: problem`` with the problem in ``locale`` (None: English)."""
        return self.wording().text(locale)

    def wording(self) -> Wording:
        """``file:line:column: field: problem`` as a `Wording` (a refusal's field, say)."""
        place = f"{self.file}:{self.line}:{self.column}"
        return Wording("{place}: {problem}", place=place, problem=self.at_field())

    def problem(self, locale: str | None) -> str:
        """``field: problem`` (the file and place left to the reader) in ``locale``."""
        return self.at_field().text(locale)

    def at_field(self) -> Wording:
        """``field: problem`` as a `Wording` (just the problem for the whole file)."""
        if not self.path:
            return self.message
        return Wording("{field}: {problem}", field=self.path, problem=self.message)


def validate_paths(
    paths: Sequence[Path], media_dir: Path
) -> tuple[list[Activity], list[ActivityError]]:
    """Check files and folders (for ``chorus validate``): valid activities and all errors."""
    return _load_many(_expand(paths, only_dirs=False), media_dir)


def load_folders(
    dirs: Sequence[Path], media_dir: Path
) -> tuple[list[Activity], list[ActivityError]]:
    """Every *.yaml / *.yml under the folders: valid activities and the broken files' errors."""
    return _load_many(_expand(dirs, only_dirs=True), media_dir)


@dataclass
class _Loaded:
    file: str
    activity: Activity | None = None
    errors: list[ActivityError] = field(default_factory=list)
    id_line: int = 1
    id_column: int = 1


def _expand(paths: Iterable[Path], *, only_dirs: bool) -> list[Path | ActivityError]:
    """Files to load in a stable order; a missing path becomes an error, not an exception."""
    found: list[Path | ActivityError] = []
    for path in paths:
        try:
            if path.is_dir():
                found.extend(
                    sorted(
                        candidate
                        for candidate in path.rglob("*")
                        if candidate.suffix in ACTIVITY_SUFFIXES
                        and candidate.is_file()
                        and not any(
                            part.startswith(".") for part in candidate.relative_to(path).parts
                        )
                    )
                )
            elif path.is_file() and not only_dirs:
                found.append(path)
            else:
                found.append(ActivityError(str(path), 1, 1, "", _not_found(path, only_dirs)))
        except OSError as exc:
            found.append(ActivityError(str(path), 1, 1, "", _unreadable(exc)))
    return found


def _load_many(
    items: list[Path | ActivityError], media_dir: Path
) -> tuple[list[Activity], list[ActivityError]]:
    """Load in order; of several files with one id, the file named after the id (a shipped
    activity is `<id>.yaml`) wins over any copy, whatever the alphabet says, else the first."""
    loaded: list[_Loaded | ActivityError] = [
        item if isinstance(item, ActivityError) else _load_one(item, media_dir) for item in items
    ]
    winners: dict[str, _Loaded] = {}
    for entry in loaded:
        if isinstance(entry, ActivityError) or entry.activity is None:
            continue
        key = entry.activity.id
        current = winners.get(key)
        if current is None or (_named_after(entry) and not _named_after(current)):
            winners[key] = entry
    errors: list[ActivityError] = []
    for entry in loaded:
        if isinstance(entry, ActivityError):
            errors.append(entry)
            continue
        errors.extend(entry.errors)
        activity = entry.activity
        if activity is None or winners[activity.id] is entry:
            continue
        errors.append(
            ActivityError(
                entry.file,
                entry.id_line,
                entry.id_column,
                "id",
                Wording(
                    "duplicate id '{id}': already defined in {file}; this file was skipped. "
                    "Give it an id of its own, e.g. id: {new_id}",
                    id=activity.id,
                    file=winners[activity.id].file,
                    new_id=_new_id(activity.id, Path(entry.file).stem, winners),
                ),
            )
        )
    activities = [w.activity for w in winners.values() if w.activity is not None]
    return sorted(activities, key=lambda a: a.id), errors


def _named_after(entry: _Loaded) -> bool:
    return entry.activity is not None and Path(entry.file).stem == entry.activity.id


def _new_id(taken: str, stem: str, winners: Mapping[str, object]) -> str:
    """An id for a copy: its file's name when that is a free id, else `<id>-copy`, `-copy-2`."""
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    if slug and slug != taken and slug not in winners:
        return slug
    candidate, n = f"{taken}-copy", 2
    while candidate in winners:
        candidate, n = f"{taken}-copy-{n}", n + 1
    return candidate


def _load_one(path: Path, media_dir: Path) -> _Loaded:
    file = str(path)
    try:
        return _load_checked(path, file, media_dir)
    except Exception as exc:
        return _Loaded(file, errors=[ActivityError(file, 1, 1, "", _internal(exc))])


def _load_checked(path: Path, file: str, media_dir: Path) -> _Loaded:
    try:
        with path.open("rb") as handle:
            raw = handle.read(_MAX_READ)
    except OSError as exc:
        return _Loaded(file, errors=[ActivityError(file, 1, 1, "", _unreadable(exc))])
    if len(raw) > MAX_BYTES:
        message = too_big(_file_size(path, len(raw)))
        return _Loaded(file, errors=[ActivityError(file, 1, 1, "", message)])
    return _load_raw(raw, file, media_dir)


def load_bytes(raw: bytes, file: str, media_dir: Path) -> Activity | list[ActivityError]:
    """Load one activity from bytes (an upload), named ``file`` in its errors. Never raises.

    The same checks and located errors as ``chorus validate`` (`validate_paths`).
    """
    try:
        loaded = _load_raw(raw, file, media_dir)
    except Exception as exc:
        return [ActivityError(file, 1, 1, "", _internal(exc))]
    return loaded.errors if loaded.activity is None else loaded.activity


def _load_raw(raw: bytes, file: str, media_dir: Path) -> _Loaded:
    text = decode_source(raw)
    if not isinstance(text, str):
        return _Loaded(file, errors=[ActivityError(file, text.line, text.column, "", text.message)])
    parsed = parse_marked(text)
    if isinstance(parsed, list):
        return _Loaded(
            file,
            errors=[
                ActivityError(file, p.line, p.column, format_path(p.path), p.message)
                for p in parsed
            ],
        )
    loaded = _validate(parsed, file, media_dir)
    loaded.errors.sort(key=lambda error: (error.line, error.column))
    if len(loaded.errors) > MAX_ERRORS_PER_FILE:
        extra = len(loaded.errors) - MAX_ERRORS_PER_FILE
        last = loaded.errors[MAX_ERRORS_PER_FILE - 1]
        loaded.errors = loaded.errors[:MAX_ERRORS_PER_FILE]
        loaded.errors.append(
            ActivityError(
                file,
                last.line,
                last.column,
                "",
                Wording.plural("... and {count} more error", "... and {count} more errors", extra),
            )
        )
    if not loaded.errors and loaded.activity is not None:
        digest = hashlib.sha256(raw).hexdigest()[:12]
        loaded.activity = loaded.activity.model_copy(
            update={"source": file, "version_hash": digest}
        )
    return loaded


def _file_size(path: Path, fallback: int) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return fallback


_MAX_READ = MAX_BYTES + 1
"""Read one byte past the cap so an oversized file is detected without reading all of it."""


def _validate(doc: MarkedDocument, file: str, media_dir: Path) -> _Loaded:
    loaded = _Loaded(file)
    data = doc.data

    def error(path: YamlPath, message: Wording, *, at_key: bool = False) -> None:
        mark = doc.locate(path, key=at_key)
        loaded.errors.append(
            ActivityError(file, mark.line, mark.column, format_path(path), message)
        )

    if isinstance(data, dict):
        id_mark = doc.locate(("id",))
        loaded.id_line, loaded.id_column = id_mark.line, id_mark.column
        for owned in LOADER_OWNED_FIELDS:
            if owned in data:
                error(
                    (owned,),
                    Wording("unknown field '{name}' (the loader sets it)", name=owned),
                    at_key=True,
                )
        data = {key: value for key, value in data.items() if key not in LOADER_OWNED_FIELDS}
    if loaded.errors:
        return loaded
    try:
        activity = Activity.model_validate(data, context={LOADER_CONTEXT_KEY: True})
    except ValidationError as exc:
        for details in exc.errors(include_url=False):
            path, message, at_key = humanize(details, doc.data)
            error(path, message, at_key=at_key)
        return loaded
    for path, message in cross_step_problems(activity):
        error(path, message)
    for index, step in enumerate(activity.steps):
        for where, relative in step.media_files():
            problem = _media_problem(relative, media_dir)
            if problem:
                error(("steps", index, *where), problem)
    if not loaded.errors:
        loaded.activity = activity
    return loaded


def _media_problem(relative: str, media_dir: Path) -> Wording | None:
    """A file must resolve (symlinks included) to somewhere inside the media directory."""
    try:
        root = media_dir.resolve()
        target = (root / relative).resolve()
    except (OSError, RuntimeError):
        return Wording("cannot resolve {file} inside the media directory", file=repr(relative))
    if not target.is_relative_to(root):
        return Wording(
            "file {file} resolves outside the media directory {folder}",
            file=repr(relative),
            folder=repr(str(media_dir)),
        )
    if not target.is_file():
        return Wording(
            "file {file} not found in the media directory {folder}",
            file=repr(relative),
            folder=repr(str(media_dir)),
        )
    return None


def _not_found(path: Path, only_dirs: bool) -> Wording:
    if path.is_absolute():
        return Wording("folder not found") if only_dirs else Wording("file or folder not found")
    looked = str(Path.cwd() / path)
    if only_dirs:
        return Wording("folder not found (looked in {place})", place=looked)
    return Wording("file or folder not found (looked in {place})", place=looked)


def _unreadable(exc: OSError) -> Wording:
    # The system's own words (English) go to the log; the facilitator reads ours.
    log.warning("cannot read an activity file: %s", exc)
    if isinstance(exc, PermissionError):
        reason = Wording("the bot has no permission to read it")
    elif isinstance(exc, IsADirectoryError):
        reason = Wording("it is a folder")
    elif isinstance(exc, FileNotFoundError):
        reason = Wording("it is gone")
    else:
        reason = Wording("the system refused (see the bot's log)")
    return Wording("cannot read: {reason}", reason=reason)


def _internal(exc: Exception) -> Wording:
    log.exception("loading an activity file failed", exc_info=exc)
    return Wording("internal error while reading this file; please report it (it is in the log)")

"""Load activity files into a catalog, turning every problem into a located, human message.

A facilitator edits these files by hand, so the loader's job is as much to explain as to load:
each error names the file, line, column and field path, says what was expected and what was
found, and suggests the field they probably meant. One broken file never stops the others.
"""

import difflib
import hashlib
import json
import math
import re
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from pydantic_core.core_schema import ErrorType

from bot.core.activity_models import (
    LOADER_CONTEXT_KEY,
    Activity,
    ListenStep,
    Track,
    cross_step_problems,
    describe,
    format_path,
    step_type_names,
)
from bot.core.yaml_marks import MAX_BYTES, MarkedDocument, YamlPath, decode_source, parse_marked
from bot.i18n import N_, _

ACTIVITY_SUFFIXES = (".yaml", ".yml")
MAX_ERRORS_PER_FILE = 30
"""Past this many, a file is more wrong than right; the rest would only be noise."""
SCHEMA_COMMAND = "chorus schema > activities/activity.schema.json"
LOADER_OWNED_FIELDS = ("source", "version_hash")


@dataclass(frozen=True)
class ActivityError:
    """One problem in one activity file, located precisely enough to fix without guessing."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


@dataclass(frozen=True)
class CatalogDiff:
    """What a reload changed, by activity id (for /activity reload)."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def summary(self, locale: str | None = None) -> str:
        """One line a facilitator can read in ``locale`` (None: English), e.g.
        "added: a; changed: b"."""
        parts = [
            _(label, locale, ids=", ".join(ids))
            for label, ids in (
                (N_("added: {ids}"), self.added),
                (N_("removed: {ids}"), self.removed),
                (N_("changed: {ids}"), self.changed),
            )
            if ids
        ]
        return "; ".join(parts) or _("no changes", locale)


@dataclass(frozen=True)
class Catalog:
    """Every valid activity by id, plus the errors of the files that were skipped."""

    activities: dict[str, Activity] = field(default_factory=dict)
    errors: list[ActivityError] = field(default_factory=list)
    dirs: tuple[Path, ...] = ()
    media_dir: Path = Path()

    @classmethod
    def load(cls, dirs: Sequence[Path], media_dir: Path) -> "Catalog":
        """Load every *.yaml / *.yml under the folders; broken files are reported and skipped."""
        activities, errors = _load_many(_expand(dirs, only_dirs=True), media_dir)
        return cls(
            activities={activity.id: activity for activity in activities},
            errors=errors,
            dirs=tuple(dirs),
            media_dir=media_dir,
        )

    def reload(self) -> tuple["Catalog", CatalogDiff]:
        """Load the same folders again and say what changed (for /activity reload)."""
        fresh = Catalog.load(self.dirs, self.media_dir)
        return fresh, self.diff(fresh)

    def get(self, activity_id: str) -> Activity | None:
        """The activity with this id, if it loaded."""
        return self.activities.get(activity_id)

    def overlaid(self, own: Sequence[Activity]) -> "Catalog":
        """This catalog with a server's own activities added; one with a shipped id shadows it."""
        merged = dict(self.activities)
        merged.update({activity.id: activity for activity in own})
        return Catalog(
            activities={key: merged[key] for key in sorted(merged)},
            errors=self.errors,
            dirs=self.dirs,
            media_dir=self.media_dir,
        )

    def diff(self, other: "Catalog") -> CatalogDiff:
        """Changes from this catalog to ``other``; 'changed' means the definition differs."""
        old, new = self.activities, other.activities
        return CatalogDiff(
            added=tuple(sorted(new.keys() - old.keys())),
            removed=tuple(sorted(old.keys() - new.keys())),
            changed=tuple(
                sorted(
                    key
                    for key in old.keys() & new.keys()
                    if _definition(old[key]) != _definition(new[key])
                )
            ),
        )


def _definition(activity: Activity) -> dict[str, Any]:
    return activity.model_dump(mode="json", exclude=set(LOADER_OWNED_FIELDS))


def load_file(path: Path, media_dir: Path) -> Activity | list[ActivityError]:
    """Load one activity file: the activity, or every problem found in it. Never raises."""
    result = _load_one(path, media_dir)
    return result.errors if result.activity is None else result.activity


def validate_paths(
    paths: Sequence[Path], media_dir: Path
) -> tuple[list[Activity], list[ActivityError]]:
    """Check files and folders (for ``chorus validate``): valid activities and all errors."""
    return _load_many(_expand(paths, only_dirs=False), media_dir)


def activity_json_schema() -> dict[str, Any]:
    """The JSON Schema of an activity file, for editors (``chorus schema``)."""
    schema = Activity.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": f"Generated from bot/core/activity_models.py; regenerate: {SCHEMA_COMMAND}",
        **schema,
    }


def render_schema() -> str:
    """The schema exactly as checked in: pretty-printed, sorted keys, trailing newline."""
    return json.dumps(activity_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


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
                what = "folder" if only_dirs else "file or folder"
                where = "" if path.is_absolute() else f" (looked in {Path.cwd() / path})"
                found.append(ActivityError(str(path), 1, 1, "", f"{what} not found{where}"))
        except OSError as exc:
            found.append(ActivityError(str(path), 1, 1, "", f"cannot read: {exc.strerror}"))
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
                f"duplicate id '{activity.id}': already defined in "
                f"{winners[activity.id].file}; this file was skipped. Give it an id of its "
                f"own, e.g. id: {_new_id(activity.id, Path(entry.file).stem, winners)}",
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
        return _Loaded(file, errors=[ActivityError(file, 1, 1, "", f"internal error: {exc!r}")])


def _load_checked(path: Path, file: str, media_dir: Path) -> _Loaded:
    try:
        with path.open("rb") as handle:
            raw = handle.read(_MAX_READ)
    except OSError as exc:
        return _Loaded(file, errors=[ActivityError(file, 1, 1, "", f"cannot read: {exc.strerror}")])
    if len(raw) > MAX_BYTES:
        size = _file_size(path, len(raw))
        message = (
            f"file is {-(-size // 1024)} KiB; activity files may be at most {MAX_BYTES // 1024} KiB"
        )
        return _Loaded(file, errors=[ActivityError(file, 1, 1, "", message)])
    return _load_raw(raw, file, media_dir)


def load_bytes(raw: bytes, file: str, media_dir: Path) -> Activity | list[ActivityError]:
    """Load one activity from bytes (an upload), named ``file`` in its errors. Never raises.

    The same checks and located errors as ``load_file`` and ``chorus validate``.
    """
    try:
        loaded = _load_raw(raw, file, media_dir)
    except Exception as exc:
        return [ActivityError(file, 1, 1, "", f"internal error: {exc!r}")]
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
            ActivityError(file, last.line, last.column, "", f"... and {extra} more errors")
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

    def error(path: YamlPath, message: str, *, at_key: bool = False) -> None:
        mark = doc.locate(path, key=at_key)
        loaded.errors.append(
            ActivityError(file, mark.line, mark.column, format_path(path), message)
        )

    if isinstance(data, dict):
        id_mark = doc.locate(("id",))
        loaded.id_line, loaded.id_column = id_mark.line, id_mark.column
        for owned in LOADER_OWNED_FIELDS:
            if owned in data:
                error((owned,), f"unknown field '{owned}' (the loader sets it)", at_key=True)
        data = {key: value for key, value in data.items() if key not in LOADER_OWNED_FIELDS}
    if loaded.errors:
        return loaded
    try:
        activity = Activity.model_validate(data, context={LOADER_CONTEXT_KEY: True})
    except ValidationError as exc:
        for details in exc.errors(include_url=False):
            path, message, at_key = _humanize(details, doc.data)
            error(path, message, at_key=at_key)
        return loaded
    for path, message in cross_step_problems(activity):
        error(path, message)
    for index, step in enumerate(activity.steps):
        if isinstance(step, ListenStep) and isinstance(step.track, Track) and step.track.file:
            problem = _media_problem(step.track.file, media_dir)
            if problem:
                error(("steps", index, "track", "file"), problem)
        for number, piece in enumerate(step.then if isinstance(step, ListenStep) else []):
            problem = _media_problem(piece.file, media_dir) if piece.file else None
            if problem:
                error(("steps", index, "then", number, "file"), problem)
    if not loaded.errors:
        loaded.activity = activity
    return loaded


def _media_problem(relative: str, media_dir: Path) -> str | None:
    """A file must resolve (symlinks included) to somewhere inside the media directory."""
    try:
        root = media_dir.resolve()
        target = (root / relative).resolve()
    except (OSError, RuntimeError):
        return f"cannot resolve {relative!r} inside the media directory"
    if not target.is_relative_to(root):
        return f"file {relative!r} resolves outside the media directory {str(media_dir)!r}"
    if not target.is_file():
        return f"file {relative!r} not found in the media directory {str(media_dir)!r}"
    return None


# ---------------------------------------------------------------------------------------------
# Turning pydantic's errors into sentences
# ---------------------------------------------------------------------------------------------


def _clean_path(loc: tuple[int | str, ...], data: Any, *, missing: bool) -> YamlPath:
    """pydantic's loc as the facilitator's path: union tags dropped, YAML shape followed.

    A part that is not in the data is a union tag, except the last part of a missing field.
    """
    path: list[str | int] = []
    current = data
    for position, part in enumerate(loc):
        last = position == len(loc) - 1
        if isinstance(current, dict):
            if part in current:
                path.append(part)
                current = current[part]
            elif last and missing:
                path.append(part)
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
    return tuple(path)


def _strip(annotation: Any) -> Any:
    """Remove Annotated wrappers and None from a union, leaving what the value must be."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (Union, types.UnionType):
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(members) == 1:
            return _strip(members[0])
    return annotation


def _union_member(annotation: Any, tag: Any) -> Any:
    """The member of a tagged union selected by ``tag`` (a Tag() or a ``type`` literal)."""
    for member in typing.get_args(annotation):
        metadata = getattr(member, "__metadata__", ())
        if any(getattr(item, "tag", None) == tag for item in metadata):
            return typing.get_args(member)[0]
        inner = _strip(member)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            type_field = inner.model_fields.get("type")
            if type_field is not None and typing.get_args(type_field.annotation) == (tag,):
                return inner
    return None


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """Which model a pydantic loc points into, to list the fields it accepts."""
    annotation: Any = Activity
    for part in loc:
        annotation = _strip(annotation)
        origin = typing.get_origin(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found = None
            for name, info in annotation.model_fields.items():
                if part in (name, info.alias):
                    found = info
            if found is None:
                return None
            annotation = found.rebuild_annotation()
        elif origin is list:
            annotation = typing.get_args(annotation)[0]
        elif origin is dict:
            annotation = typing.get_args(annotation)[1]
        elif origin in (Union, types.UnionType):
            annotation = _union_member(annotation, part)
            if annotation is None:
                return None
        else:
            return None
    annotation = _strip(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _field_names(model: type[BaseModel]) -> list[str]:
    return [
        info.alias or name
        for name, info in model.model_fields.items()
        if name not in LOADER_OWNED_FIELDS
    ]


def _quoted_list(expected: str) -> list[str]:
    return re.findall(r"'([^']*)'", expected)


def _suggest(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _is_finite_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _humanize(details: ErrorDetails, data: Any) -> tuple[YamlPath, str, bool]:
    """(path, message, point at the key?) for one pydantic error."""
    kind = details["type"]
    loc = tuple(details["loc"])
    ctx: dict[str, Any] = dict(details.get("ctx") or {})
    value = details.get("input")
    got = describe(value)
    path = _clean_path(loc, data, missing=kind == "missing")

    if kind == "missing":
        return path, "missing required field", False
    if kind == "extra_forbidden":
        name = str(loc[-1]) if loc else "?"
        model = _model_at(loc[:-1])
        allowed = _field_names(model) if model is not None else []
        hint = _suggest(name, allowed)
        if not hint and allowed:
            hint = "; expected one of " + ", ".join(allowed)
        return path, f"unknown field '{name}'{hint}", True
    if kind == "union_tag_invalid":
        tags = _quoted_list(str(ctx.get("expected_tags", "")))
        tag = str(ctx.get("tag", ""))
        return (
            (*path, "type"),
            f"expected one of {', '.join(tags)}; got {json.dumps(tag)}{_suggest(tag, tags)}",
            False,
        )
    if kind == "union_tag_not_found":
        known = ", ".join(step_type_names())
        if not isinstance(value, dict):
            return path, f"expected a step (a mapping with type: {known}); got {got}", False
        return (*path, "type"), f"missing required field; expected one of {known}", False
    if kind == "literal_error":
        options = _quoted_list(str(ctx.get("expected", "")))
        suggestion = _suggest(value, options) if isinstance(value, str) else ""
        return path, f"expected one of {', '.join(options)}; got {got}{suggestion}", False
    if kind == "track":
        return path, f"expected a track (title, artist, url or file) or from_vote; got {got}", False
    return path, _simple_message(kind, ctx, value, details["msg"]), False


def _simple_message(kind: str, ctx: dict[str, Any], value: Any, fallback: str) -> str:
    got = describe(value)
    size = len(value) if isinstance(value, str | list | dict) else 0
    messages = {
        "string_type": f"expected text; got {got}",
        "int_type": f"expected a whole number; got {got}",
        "int_parsing": f"expected a whole number; got {got}",
        "int_from_float": f"expected a whole number; got {got}",
        "float_type": f"expected a number; got {got}",
        "float_parsing": f"expected a number; got {got}",
        "finite_number": f"expected a finite number; got {got}",
        "bool_type": f"expected true or false; got {got}",
        "bool_parsing": f"expected true or false; got {got}",
        "list_type": f"expected a list; got {got}",
        "model_type": f"expected a mapping (key: value lines); got {got}",
        "model_attributes_type": f"expected a mapping (key: value lines); got {got}",
        "dict_type": f"expected a mapping (key: value lines); got {got}",
        "greater_than_equal": f"must be at least {ctx.get('ge')}; got {got}",
        "greater_than": f"must be more than {ctx.get('gt')}; got {got}",
        "less_than_equal": f"must be at most {ctx.get('le')}; got {got}",
        "less_than": f"must be less than {ctx.get('lt')}; got {got}",
        "string_too_short": "must not be empty",
        "string_too_long": f"must be at most {ctx.get('max_length')} characters; got {size}",
        "too_short": (
            "must not be empty"
            if ctx.get("min_length") == 1
            else f"needs at least {ctx.get('min_length')} items; got {ctx.get('actual_length')}"
        ),
        "too_long": (
            f"may have at most {ctx.get('max_length')} items; got {ctx.get('actual_length')}"
        ),
        "string_pattern_mismatch": f"{got} is not in the expected form",
    }
    if kind == "string_pattern_mismatch" and str(ctx.get("pattern", "")).startswith("^https?"):
        return f"expected an http(s) link; got {got}"
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", fallback))
    if kind in messages:
        return messages[kind]
    if kind not in _PYDANTIC_ERROR_TYPES:
        return fallback  # our own PydanticCustomError: the sentence is ours
    # pydantic's own sentence changes between releases; its error type is stable, so a kind
    # without a sentence of ours still reads the same whatever pydantic is installed.
    return f"is not valid here ({kind.replace('_', ' ')}); got {got}"


_PYDANTIC_ERROR_TYPES = frozenset(typing.get_args(ErrorType))
"""pydantic-core's built-in error types; any other type is one our models raise with our words."""


__all__ = [
    "SCHEMA_COMMAND",
    "ActivityError",
    "Catalog",
    "CatalogDiff",
    "activity_json_schema",
    "load_bytes",
    "load_file",
    "render_schema",
    "validate_paths",
]

"""The activity format's building blocks for steps: `StepBase`, step timings and tracks.

Activities are data, so these models *are* the file format: every field a facilitator may write
is declared with ``extra="forbid"`` (a typo is an error, not a silently ignored key), and
``activities/activity.schema.json`` is generated from them for editor completion. Messages raised
here are the ones a facilitator reads, so they say what was expected and what was found.

Texts are in ``field_texts``, durations, ids and versions in ``field_values``, the base model and
error wording in ``format_base``. Each step kind's own model lives with its rules in ``bot/core/steps/<kind>.py``; the activity
that holds the steps is ``bot/core/activity_models.py``.
"""

import re
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Annotated, Any, Literal, TypeAlias

from pydantic import (
    Discriminator,
    Field,
    PlainValidator,
    Tag,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from bot.core.field_texts import LongText, Text, Title
from bot.core.field_values import duration_schema, duration_validator
from bot.core.format_base import FormatModel, describe, format_error
from bot.i18n import Wording

LOADER_CONTEXT_KEY = "chorus_loader"
"""Validation context key: the loader runs the cross-step checks itself, with locations."""
LOADER_OWNED_FIELDS = ("source", "version_hash")
"""Fields the loader fills in (the file's text and its hash), never written by a facilitator."""


# ---------------------------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------------------------

TimeLimit = Annotated[
    int,
    PlainValidator(duration_validator(10, 3 * 3600)),
    WithJsonSchema(duration_schema(10, 3 * 3600)),
]
TrackLength = Annotated[
    int,
    PlainValidator(duration_validator(1, 3 * 3600)),
    WithJsonSchema(duration_schema(1, 3 * 3600)),
]
TurnSeconds = Annotated[
    int, PlainValidator(duration_validator(10, 900)), WithJsonSchema(duration_schema(10, 900))
]
Visibility: TypeAlias = Literal["private", "shared"]
FieldPath: TypeAlias = tuple[str | int, ...]
"""Where a field is in an activity file: keys and list indexes, e.g. ``("steps", 2, "track")``."""


class StepBase(FormatModel):
    """What every step has: its kind, a title, and how it ends."""

    type: str
    title: Title
    """Shown on the session board."""
    time_limit: TimeLimit | None = None
    """How long the step runs: seconds, or e.g. "90s", "5m", "1m30s". None: until advanced."""
    advance: Literal["facilitator", "auto"] = "facilitator"
    """facilitator: the facilitator moves on; auto: when time is up or everyone has answered."""
    facilitator_notes: LongText | None = None
    """Shown to facilitators only: what to watch for, what to say."""

    @model_validator(mode="after")
    def _auto_needs_an_end(self) -> "StepBase":
        if self.advance == "auto" and self.time_limit is None and not self._ends_by_itself():
            raise format_error(
                "advance",
                "advance: auto needs a time_limit (this step has no answers to wait for)",
            )
        return self

    def _ends_by_itself(self) -> bool:
        """True for steps where 'everyone has answered' or a known length can end them."""
        return True

    def problems_among(
        self, steps: Sequence["StepBase"], index: int
    ) -> list[tuple[FieldPath, Wording]]:
        """What is wrong with this step where it stands among an activity's `steps` (it is
        `steps[index]`): its kind's rules that span steps (what a vote's ``from: previous`` or a
        listen step's ``from_vote`` refers to, paired check-ins). Each problem is the path of
        the field inside this step (``("track",)``) and what is wrong; the activity reports it
        at ``("steps", index, *path)``. Default: none (a kind with such a rule overrides this)."""
        return []

    def media_files(self) -> list[tuple[FieldPath, str]]:
        """The files of the media directory this step plays (paths relative to it), each with
        the path of its field inside the step (``("track", "file")``): the loader checks that
        each is there. Default: none (a kind that plays files overrides this)."""
        return []


# ---------------------------------------------------------------------------------------------
# Tracks (a listen step's pieces, a vote option's track)
# ---------------------------------------------------------------------------------------------


class Track(FormatModel):
    """A piece of music: a link, or a file in the media directory."""

    title: Title
    artist: Title
    url: str | None = Field(default=None, max_length=500, pattern=r"^https?://\S+$")
    """A public http(s) link."""
    file: str | None = Field(default=None, max_length=300)
    """A path relative to the configured media directory."""
    duration: TrackLength | None = None
    """Length of the piece, e.g. "4m12s"."""
    credit: Text | None = None
    """Attribution line (performer, licence) shown with the track."""

    @field_validator("file")
    @classmethod
    def _file_stays_inside(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if "\\" in value:
            raise format_error(
                "media_path", "use forward slashes in file paths; got {got}", got=describe(value)
            )
        path = PurePosixPath(value)
        if path.is_absolute() or value.startswith("~") or re.match(r"^[A-Za-z]:", value):
            raise format_error(
                "media_path",
                "file must be a path inside the media directory, not an absolute path; got {got}",
                got=describe(value),
            )
        if ".." in path.parts:
            raise format_error(
                "media_path",
                "file must stay inside the media directory ('..' is not allowed); got {got}",
                got=describe(value),
            )
        if not path.parts or path.name in ("", "."):
            raise format_error(
                "media_path", "file must name a file; got {got}", got=describe(value)
            )
        return value

    @model_validator(mode="after")
    def _one_source(self) -> "Track":
        if (self.url is None) == (self.file is None):
            raise format_error("track_source", "a track needs exactly one of url or file")
        return self


def _track_tag(value: Any) -> str | None:
    if value == "from_vote":
        return "from_vote"
    if isinstance(value, dict | Track):
        return "track_mapping"
    return None


TrackRef = Annotated[
    Annotated[Track, Tag("track_mapping")] | Annotated[Literal["from_vote"], Tag("from_vote")],
    Discriminator(
        _track_tag,
        custom_error_type="track",
        custom_error_message="expected a track (title, artist, url or file) or from_vote",
    ),
]

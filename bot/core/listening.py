"""Rules of the `listen` step (its model and handler are in `bot/core/steps/listen.py`): a
countdown, the piece (voice, link or text card), then reactions.

The step's clock lives in its state so it survives restarts and pauses (read as the kind's
`ListenState`, `bot/core/steps/listen.py`, which also says how long is left):

    countdown --(countdown_seconds)--> playing --(track duration)--> after

A track without a known duration goes from countdown straight to after. Which piece plays for
`track: from_vote` is decided from the store by the cog (core only describes the rules).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.core.activity_fields import Track
from bot.core.field_texts import localize
from bot.i18n import N_, SOURCE_LANGUAGE, gettext
from bot.records.sessions import ContributionRecord

if TYPE_CHECKING:
    # Annotations only: the listen step's module imports these rules for its handler.
    from bot.core.steps.listen import ListenStep

COUNTDOWN = "countdown"
PLAYING = "playing"
AFTER = "after"
REFLECTION_MAX = 500


def suggestion_credit(name: str | None) -> str:
    """The credit of a playlist piece a member suggested: their shown name, or "a member"."""
    return f"Suggested by {name or 'a member'}"


@dataclass(frozen=True, slots=True)
class ResolvedTrack:
    """The piece a listen step plays, wherever it came from (the step, a vote, the playlist)."""

    title: str
    artist: str
    url: str | None = None
    file: str | None = None
    duration: int | None = None
    credit: str | None = None
    suggested_by: int | None = None
    nomination_id: int | None = None

    def stored(self) -> dict[str, Any]:
        """The piece as a JSON object for a run's step state (`ListenState.piece`). A member's
        credit is left out (it names them): it is worked out again from `suggested_by` when
        read, so /forget, which nulls their id in stored states, removes it too."""
        fields = dataclasses.asdict(self)
        if self.suggested_by is not None:
            fields["credit"] = None
        return fields

    @classmethod
    def from_stored(cls, fields: Mapping[str, Any]) -> ResolvedTrack | None:
        """A piece read back from `stored` (None when it isn't one: no title); mistyped
        fields read as absent."""

        def text(key: str) -> str | None:
            value = fields.get(key)
            return value if isinstance(value, str) else None

        def number(key: str) -> int | None:
            value = fields.get(key)
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        title = text("title")
        if title is None:
            return None
        return cls(
            title=title,
            artist=text("artist") or "",
            url=text("url"),
            file=text("file"),
            duration=number("duration"),
            credit=text("credit"),
            suggested_by=number("suggested_by"),
            nomination_id=number("nomination_id"),
        )

    @classmethod
    def from_track(cls, track: Track, locale: str) -> ResolvedTrack:
        """An activity's track with its texts in `locale`."""
        return cls(
            title=localize(track.title, locale),
            artist=localize(track.artist, locale),
            url=track.url,
            file=track.file,
            duration=track.duration,
            credit=localize(track.credit, locale) if track.credit is not None else None,
        )


# The English defaults of step_track and set_tracks are only for cogs/listen_voice.py, which
# reads a track's file and length, no words (its branch passes a language when it is merged);
# tests/i18n/test_locale_parameters.py lists them as the two exceptions.
def step_track(step: ListenStep, locale: str = SOURCE_LANGUAGE) -> ResolvedTrack | None:
    """The step's own track, or None for `from_vote` (resolved from the vote by the cog);
    its words in ``locale``."""
    return ResolvedTrack.from_track(step.track, locale) if isinstance(step.track, Track) else None


def set_tracks(step: ListenStep, locale: str = SOURCE_LANGUAGE) -> list[ResolvedTrack]:
    """The pieces played after the first in a listening set (`then:`), in order; their words
    in ``locale``."""
    return [ResolvedTrack.from_track(t, locale) for t in step.then]


def set_duration(step: ListenStep) -> int | None:
    """The length of everything the step plays: the piece, or the whole set."""
    first = step.track.duration if isinstance(step.track, Track) else None
    if not step.then:
        return first
    if first is None or any(t.duration is None for t in step.then):
        return None
    return first + sum(t.duration or 0 for t in step.then)


def piece_at(lengths: Sequence[float], position: float) -> tuple[int, float]:
    """(index of the piece, seconds into it) at `position` seconds into a set."""
    start = 0.0
    for index, length in enumerate(lengths):
        if position < start + length or index == len(lengths) - 1:
            return index, max(0.0, position - start)
        start += length
    return 0, 0.0


def human_seconds(seconds: float) -> str:
    """'3 min 20 s', '45 s': for refusals and cards."""
    total = max(0, round(seconds))
    minutes, secs = divmod(total, 60)
    if not minutes:
        return f"{secs} s"
    return f"{minutes} min" + (f" {secs} s" if secs else "")


def seconds_in(seconds: float, locale: str | None) -> str:
    """``human_seconds`` in ``locale``: "3 Min. 20 Sek." (de), "3 min 20 s" (es)."""
    total = max(0, round(seconds))
    minutes, secs = divmod(total, 60)
    if not minutes:
        return gettext(N_("{seconds} s"), locale, seconds=secs)
    if secs:
        return gettext(N_("{minutes} min {seconds} s"), locale, minutes=minutes, seconds=secs)
    return gettext(N_("{minutes} min"), locale, minutes=minutes)


def reaction_counts(
    step: ListenStep, contributions: Sequence[ContributionRecord], locale: str
) -> list[tuple[str, str | None, int]]:
    """(label, emoji, count) for every configured reaction, in the step's order."""
    counts = [0] * len(step.reflection.reactions)
    for c in contributions:
        if c.kind != "reaction":
            continue
        index = c.payload.get("reaction")
        if isinstance(index, int) and 0 <= index < len(counts):
            counts[index] += 1
    return [
        (localize(r.label, locale), r.emoji, counts[i])
        for i, r in enumerate(step.reflection.reactions)
    ]

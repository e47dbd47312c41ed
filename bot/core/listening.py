"""The `listen` step: a countdown, the piece (voice, link or text card), then reactions.

The step's clock lives in its state so it survives restarts and pauses:

    countdown --(countdown_seconds)--> playing --(track duration)--> after

A track without a known duration goes from countdown straight to after. Which piece plays for
`track: from_vote` is decided from the store by the cog (core only describes the rules).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.activities import ListenStep, Track, localize
from bot.core.errors import InvalidInput
from bot.core.steps import BaseStepHandler, StepContext, Wake
from bot.core.text import clean_member_text
from bot.store.records import ContributionRecord

COUNTDOWN = "countdown"
PLAYING = "playing"
AFTER = "after"
PAUSED_WAKE_REMAINING = "_paused_wake_remaining"  # the runner's key while a run is paused
REFLECTION_MAX = 500


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

    @classmethod
    def from_track(cls, track: Track, locale: str = "en") -> ResolvedTrack:
        return cls(
            title=localize(track.title, locale),
            artist=localize(track.artist, locale),
            url=track.url,
            file=track.file,
            duration=track.duration,
            credit=localize(track.credit, locale) if track.credit is not None else None,
        )


def step_track(step: ListenStep, locale: str = "en") -> ResolvedTrack | None:
    """The step's own track, or None for `from_vote` (resolved from the vote by the cog)."""
    return ResolvedTrack.from_track(step.track, locale) if isinstance(step.track, Track) else None


def set_tracks(step: ListenStep, locale: str = "en") -> list[ResolvedTrack]:
    """The pieces played after the first in a listening set (`then:`), in order."""
    return [ResolvedTrack.from_track(t, locale) for t in step.then]


def set_duration(step: ListenStep) -> int | None:
    """The length of everything the step plays: the piece, or the whole set."""
    track = step_track(step)
    first = track.duration if track is not None else None
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


def phase(state: Mapping[str, Any]) -> str:
    value = state.get("phase")
    return value if value in (COUNTDOWN, PLAYING, AFTER) else AFTER


def time_left(state: Mapping[str, Any], now: float) -> float | None:
    """Seconds until the piece ends (countdown included), or None when it can't be known."""
    current = phase(state)
    if current == AFTER:
        return 0.0
    remaining = state.get(PAUSED_WAKE_REMAINING)
    if isinstance(remaining, int | float):
        until_wake = float(remaining)
    else:
        wake_at = state.get("wake_at")
        if not isinstance(wake_at, int | float):
            return None
        until_wake = max(0.0, float(wake_at) - now)
    if current == PLAYING:
        return until_wake
    duration = state.get("duration")
    if not isinstance(duration, int | float):
        return None
    return until_wake + float(duration)


def piece_start(state: Mapping[str, Any]) -> float | None:
    """The second the piece starts (countdown) or started (playing), pauses accounted for.

    Playing, it is the end of the piece minus its length, so a paused-and-resumed step (whose
    end moved by the pause) gives the position the music should be at now.
    """
    wake_at = state.get("wake_at")
    if not isinstance(wake_at, int | float):
        return None
    current = phase(state)
    if current == COUNTDOWN:
        return float(wake_at)
    duration = state.get("duration")
    if current == PLAYING and isinstance(duration, int | float):
        return float(wake_at) - float(duration)
    return None


def reaction_counts(
    step: ListenStep, contributions: Sequence[ContributionRecord], locale: str = "en"
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


class ListenHandler(BaseStepHandler):
    """Countdown, piece, reflection; `no_skip` holds Next until the piece has ended."""

    kind = "listen"

    def one_answer_per_member(self, step: Any) -> bool:
        # One reaction and one reflection each: the runner replaces by (author, kind).
        return True

    def enter(self, ctx: StepContext) -> Wake:
        step: ListenStep = ctx.step
        duration = set_duration(step)
        starts_at = ctx.now + step.countdown_seconds
        return Wake(
            at=starts_at,
            state={"phase": COUNTDOWN, "starts_at": starts_at, "duration": duration},
        )

    def on_wake(self, ctx: StepContext) -> Wake:
        state = {k: v for k, v in ctx.state.items() if k != "wake_at"}
        current = phase(ctx.state)
        if current == COUNTDOWN:
            duration = state.get("duration")
            state["started_at"] = ctx.now
            if isinstance(duration, int | float) and duration > 0:
                state["phase"] = PLAYING
                state["ends_at"] = ctx.now + float(duration)
                return Wake(at=ctx.now + float(duration), state=state)
            state["phase"] = AFTER
            return Wake(at=None, state=state)
        state["phase"] = AFTER
        state["ended_at"] = ctx.now
        return Wake(at=None, state=state)

    def accept(self, ctx: StepContext, kind: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        step: ListenStep = ctx.step
        if kind == "reaction":
            reactions = step.reflection.reactions
            index = payload.get("reaction")
            if not isinstance(index, int) or not 0 <= index < len(reactions):
                raise InvalidInput("That reaction isn't one of this step's choices.")
            if phase(ctx.state) == COUNTDOWN:
                raise InvalidInput("The music hasn't started yet. React once you've heard it.")
            return {"reaction": index, "label": localize(reactions[index].label)}
        if kind == "reflection":
            text = clean_member_text(str(payload.get("text", "")), REFLECTION_MAX)
            if not text:
                raise InvalidInput("Your reflection was empty. A few words are plenty.")
            return {"text": text, "shared": bool(payload.get("shared", False))}
        raise InvalidInput("Take part in this step with its reaction or Reflect buttons.")

    def is_complete(self, ctx: StepContext, contributions: Sequence[ContributionRecord]) -> bool:
        if phase(ctx.state) != AFTER or not ctx.present:
            return False
        answered = {c.author_id for c in contributions if c.author_id is not None}
        return bool(ctx.expected) and all(uid in answered for uid in ctx.expected)

    def refuse_leaving(self, ctx: StepContext, by_facilitator: bool) -> str | None:
        step: ListenStep = ctx.step
        if not step.no_skip or phase(ctx.state) == AFTER:
            return None
        if not by_facilitator:
            return "This piece is played to the end; only a facilitator can move the group on."
        left = time_left(ctx.state, ctx.now)
        if left is None:
            return None  # nothing to time it by (no duration): don't hold the group
        if left <= 0:
            return None
        return (
            f"This piece is set to play without skipping: {human_seconds(left)} left. "
            "Next works once it has ended; Stop ends the activity now if you need to."
        )

"""The `listen` step: shared listening to a piece (or a set), with framing before and reflection
after (the listening rules the cogs share are in `bot/core/listening.py`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, model_validator

from bot.core.activity_fields import FieldPath, StepBase, Track, TrackRef
from bot.core.errors import Conflict, InvalidInput
from bot.core.field_texts import LongText, Text, TextShorthand, Title, localize
from bot.core.format_base import FormatModel, format_error
from bot.core.listening import (
    AFTER,
    COUNTDOWN,
    PLAYING,
    REFLECTION_MAX,
    human_seconds,
    seconds_in,
    set_duration,
)
from bot.core.step_forms import TITLE, FieldSpec, StepForm
from bot.core.step_state import WAKE_AT, WAKE_REMAINING, as_number
from bot.core.steps.base import (
    REFLECTIONS,
    BaseStepHandler,
    StepContext,
    StepKind,
    SummaryCount,
    Wake,
)
from bot.core.steps.vote import VoteStep, vote_step_for
from bot.core.text import clean_member_text
from bot.i18n import N_, Wording, gettext
from bot.records.sessions import ContributionRecord


class Reaction(TextShorthand):
    """A one-tap reaction to a piece of music."""

    label: Title
    emoji: str | None = Field(default=None, max_length=16)

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        if isinstance(data, str):
            # A known reaction named by its English word is worded in every shipped language.
            label: Any = KNOWN_REACTION_LABELS.get(data.lower(), data)
            if isinstance(label, dict):
                label = {"en": data, **{k: v for k, v in label.items() if k != "en"}}
            return {"label": label, "emoji": KNOWN_REACTION_EMOJI.get(data.lower())}
        return data


KNOWN_REACTION_EMOJI = {
    "calm": "😌",
    "moved": "🥹",
    "energised": "⚡",
    "energized": "⚡",
    "nostalgic": "🕰️",
    "unsettled": "🌀",
    "hopeful": "🌱",
    "sad": "💧",
    "joyful": "☀️",
    "tender": "🤍",
    "restless": "🌪️",
}
KNOWN_REACTION_LABELS = {
    "calm": {"de": "ruhig", "es": "en calma"},
    "moved": {"de": "berührt", "es": "con emoción"},
    "energised": {"de": "belebt", "es": "con energía"},
    "energized": {"de": "belebt", "es": "con energía"},
    "nostalgic": {"de": "nostalgisch", "es": "con nostalgia"},
    "unsettled": {"de": "aufgewühlt", "es": "con inquietud"},
    "hopeful": {"de": "hoffnungsvoll", "es": "con esperanza"},
    "sad": {"de": "traurig", "es": "triste"},
    "joyful": {"de": "froh", "es": "alegre"},
    "tender": {"de": "zärtlich", "es": "con ternura"},
    "restless": {"de": "unruhig", "es": "con desasosiego"},
}
"""The known reactions in the other shipped languages (the English word is the key). Spanish words
them so they fit whoever presses them ("con nostalgia", not the gendered "nostálgico")."""
DEFAULT_REACTIONS = ("calm", "moved", "energised", "nostalgic", "unsettled")


def _default_reactions() -> list[Reaction]:
    return [Reaction.model_validate(name) for name in DEFAULT_REACTIONS]


class Reflection(FormatModel):
    """What members are invited to share after listening."""

    questions: list[Text] = Field(default_factory=list, max_length=5)
    """Open questions answered in a short text."""
    reactions: list[Reaction] = Field(default_factory=_default_reactions, max_length=10)
    """One-tap reactions; an empty list turns them off."""


class ListenStep(StepBase):
    """Shared listening to one piece, with framing before and reflection after."""

    type: Literal["listen"]
    track: TrackRef
    """The piece, or from_vote: the winner of the previous vote step."""
    framing: LongText | None = None
    """Said before the music starts: what to listen for, permission to just rest."""
    countdown_seconds: int = Field(default=5, ge=0, le=60)
    """A short countdown so everyone starts together."""
    no_skip: bool = False
    """true: the track cannot be skipped (the facilitator can still stop the step)."""
    text_card: LongText | None = None
    """Lyrics or a description, for members who are not in the voice channel."""
    reflection: Reflection = Field(default_factory=Reflection)
    volume: float = Field(default=1.0, ge=0.05, le=1.0)
    """Voice playback level after loudness normalisation: 1 is full, 0.3 a quiet bed under
    spoken guidance."""
    then: list[Track] = Field(default_factory=list, max_length=9)
    """A listening set: more pieces played right after `track`, back to back, with the
    countdown only before the first. Every piece of a set needs its `duration`."""

    @model_validator(mode="after")
    def _set_is_timed(self) -> ListenStep:
        if not self.then:
            return self
        if not isinstance(self.track, Track):
            raise format_error(
                "listen_set", "a set (then:) starts with a track of its own, not from_vote"
            )
        pieces = [self.track, *self.then]
        if len({t.file is None for t in pieces}) > 1:
            raise format_error(
                "listen_set",
                "a set (track and then:) is either all files (played in voice) or all links "
                "and text cards; it mixes the two",
            )
        untimed = [str(n) for n, t in enumerate(pieces, 1) if not t.duration]
        if untimed:
            raise format_error(
                "listen_set",
                "every piece of a set (track and then:) needs a duration; missing for piece "
                "{numbers} (1 is track:)",
                numbers=", ".join(untimed),
            )
        return self

    def problems_among(
        self, steps: Sequence[StepBase], index: int
    ) -> list[tuple[FieldPath, Wording]]:
        """``track: from_vote`` needs a vote step before it (the latest one is played from)
        whose winner is something to play (`VoteStep.yields_track`)."""
        if self.track != "from_vote":
            return []
        vote_index = vote_step_for(steps, index)
        vote = steps[vote_index] if vote_index is not None else None
        if not isinstance(vote, VoteStep):
            return [(("track",), Wording("track: from_vote needs a vote step before it"))]
        if vote.yields_track:
            return []
        problem = Wording(
            "track: from_vote needs the vote before it to be from: playlist "
            "or to have a track on every option"
        )
        return [(("track",), problem)]

    def media_files(self) -> list[tuple[FieldPath, str]]:
        """The track's file and each of the set's (`then`) that is a file, not a link."""
        files: list[tuple[FieldPath, str]] = []
        if isinstance(self.track, Track) and self.track.file:
            files.append((("track", "file"), self.track.file))
        for number, piece in enumerate(self.then):
            if piece.file:
                files.append((("then", number, "file"), piece.file))
        return files


PIECE = "piece"
"""Step-state key: the piece a `from_vote` listen step plays, once decided."""


@dataclass(frozen=True, slots=True)
class ListenState:
    """A listen step's own keys in its run's step state (its clock, see the module docstring),
    with the runner's timer it runs on. Times are UTC timestamps in seconds; `duration` and
    `wake_remaining` are seconds."""

    phase: str = AFTER
    """COUNTDOWN, PLAYING or AFTER (AFTER also for a state without one)."""
    starts_at: float | None = None
    """When the piece starts (set at the countdown's start)."""
    duration: float | None = None
    """How long the piece (or the set) plays; None when unknown. A `from_vote` step's is its
    decided piece's (`piece`), once decided: the step's own `duration` key is None there."""
    started_at: float | None = None
    ends_at: float | None = None
    ended_at: float | None = None
    wake_at: float | None = None
    """The runner's timer: the countdown's or the piece's end."""
    wake_remaining: float | None = None
    """What that timer had left when the run was paused."""
    piece: Mapping[str, Any] | None = None
    """The piece a `from_vote` step plays, decided once by the listening service (a JSON
    object, see `ListeningService.resolve_track`); None while undecided, and in states stored
    before the key existed (then it is decided on first need)."""

    @classmethod
    def read(cls, state: Mapping[str, Any]) -> ListenState:
        """The listen step's keys of a step state (missing or mistyped ones: None)."""
        value = state.get("phase")
        piece = state.get(PIECE)
        piece = piece if isinstance(piece, Mapping) else None
        duration = as_number(state.get("duration"))
        if duration is None and piece is not None:
            duration = as_number(piece.get("duration"))  # the voted piece's own length
        return cls(
            phase=value if value in (COUNTDOWN, PLAYING, AFTER) else AFTER,
            starts_at=as_number(state.get("starts_at")),
            duration=duration if duration is None or duration > 0 else None,
            started_at=as_number(state.get("started_at")),
            ends_at=as_number(state.get("ends_at")),
            ended_at=as_number(state.get("ended_at")),
            wake_at=as_number(state.get(WAKE_AT)),
            wake_remaining=as_number(state.get(WAKE_REMAINING)),
            piece=piece,
        )

    def time_left(self, now: float) -> float | None:
        """Seconds until the piece ends (countdown included), or None when it can't be known."""
        if self.phase == AFTER:
            return 0.0
        if self.wake_remaining is not None:
            until_wake = self.wake_remaining
        elif self.wake_at is None:
            return None
        else:
            until_wake = max(0.0, self.wake_at - now)
        if self.phase == PLAYING:
            return until_wake
        if self.duration is None:
            return None
        return until_wake + self.duration

    def piece_start(self) -> float | None:
        """The second the piece starts (countdown) or started (playing), pauses accounted for.

        Playing, it is the end of the piece minus its length, so a paused-and-resumed step
        (whose end moved by the pause) gives the position the music should be at now.
        """
        if self.wake_at is None:
            return None
        if self.phase == COUNTDOWN:
            return self.wake_at
        if self.phase == PLAYING and self.duration is not None:
            return self.wake_at - self.duration
        return None


class ListenHandler(BaseStepHandler[ListenStep]):
    """Countdown, piece, reflection; `no_skip` holds Next until the piece has ended."""

    def one_answer_per_member(self, step: ListenStep) -> bool:
        """True: one reaction and one reflection each (the runner replaces by author and kind)."""
        # One reaction and one reflection each: the runner replaces by (author, kind).
        return True

    def enter(self, ctx: StepContext[ListenStep]) -> Wake:
        """Start with the countdown: the handler wakes when it ends (`countdown_seconds` from now);
        the state keeps the phase, when the piece starts (UTC seconds) and how long the set
        plays (seconds, None when unknown)."""
        step = ctx.step
        duration = set_duration(step)
        starts_at = ctx.now + step.countdown_seconds
        return Wake(
            at=starts_at,
            state={"phase": COUNTDOWN, "starts_at": starts_at, "duration": duration},
        )

    def on_wake(self, ctx: StepContext[ListenStep]) -> Wake:
        """The countdown ended: playing until the set's duration is over (a `from_vote` step's:
        its decided piece's, see `ListenState.duration`), or straight to AFTER when it is
        unknown; playing ended: AFTER, with when it ended."""
        state = {k: v for k, v in ctx.state.items() if k != WAKE_AT}
        read = ListenState.read(ctx.state)
        if read.phase == COUNTDOWN:
            duration = read.duration
            state["started_at"] = ctx.now
            if duration is not None:
                state["phase"] = PLAYING
                state["ends_at"] = ctx.now + float(duration)
                return Wake(at=ctx.now + float(duration), state=state)
            state["phase"] = AFTER
            return Wake(at=None, state=state)
        state["phase"] = AFTER
        state["ended_at"] = ctx.now
        return Wake(at=None, state=state)

    def accept(
        self, ctx: StepContext[ListenStep], contribution_kind: str, payload: Mapping[str, Any]
    ) -> dict[str, Any]:
        """A "reaction" (the index of one of the step's reactions, once the music has started;
        stored with its label in the session's language, `ctx.language`) or a "reflection" (text, at most
        REFLECTION_MAX characters, shared or not). Raises InvalidInput for anything else, an
        unknown reaction, a reaction during the countdown, or an empty reflection."""
        step = ctx.step
        if contribution_kind == "reaction":
            reactions = step.reflection.reactions
            index = payload.get("reaction")
            if not isinstance(index, int) or not 0 <= index < len(reactions):
                raise InvalidInput(N_("That reaction isn't one of this step's choices."))
            if ListenState.read(ctx.state).phase == COUNTDOWN:
                raise InvalidInput(N_("The music hasn't started yet. React once you've heard it."))
            # The label as the group read it: the session's language (the server's setting).
            return {"reaction": index, "label": localize(reactions[index].label, ctx.language)}
        if contribution_kind == "reflection":
            text = clean_member_text(str(payload.get("text", "")), REFLECTION_MAX)
            if not text:
                raise InvalidInput(N_("Your reflection was empty. A few words are plenty."))
            return {"text": text, "shared": bool(payload.get("shared", False))}
        raise InvalidInput(N_("Take part in this step with its reaction or Reflect buttons."))

    def is_complete(
        self, ctx: StepContext[ListenStep], contributions: Sequence[ContributionRecord]
    ) -> bool:
        """Once the piece is over, every expected member present has reacted or reflected."""
        if ListenState.read(ctx.state).phase != AFTER or not ctx.present:
            return False
        answered = {c.author_id for c in contributions if c.author_id is not None}
        return bool(ctx.expected) and all(uid in answered for uid in ctx.expected)

    def refuse_leaving(
        self, ctx: StepContext[ListenStep], by_facilitator: bool
    ) -> str | Conflict | None:
        """A `no_skip` piece holds the group until it has ended: members are told only a
        facilitator can move on, a facilitator gets a TimeLeft refusal while time is left (None
        when there is no duration to time it by)."""
        step = ctx.step
        if not step.no_skip or ListenState.read(ctx.state).phase == AFTER:
            return None
        if not by_facilitator:
            return N_("This piece is played to the end; only a facilitator can move the group on.")
        left = ListenState.read(ctx.state).time_left(ctx.now)
        if left is None:
            return None  # nothing to time it by (no duration): don't hold the group
        if left <= 0:
            return None
        return TimeLeft(
            N_(
                "This piece is set to play without skipping: {left} left. Next works once it "
                "has ended; Stop ends the activity now if you need to."
            ),
            left,
        )


def _listen_from_form(answers: Mapping[str, str]) -> dict[str, Any]:
    track: dict[str, Any] = {
        "title": answers.get("track_title", ""),
        "url": answers.get("url", ""),
        "artist": answers.get("artist", ""),
    }
    if answers.get("duration"):
        track["duration"] = answers["duration"]
    return {"track": track}


FORM = StepForm(
    N_("Listening together to a piece"),
    (
        TITLE,
        FieldSpec("track_title", N_("The piece's title")),
        FieldSpec("artist", N_("Artist")),  # a track names its artist (`Track.artist`)
        FieldSpec("url", N_("A link to the piece"), placeholder="https://...", max_length=500),
        FieldSpec("duration", N_("Its length (optional)"), required=False, placeholder="3m30s"),
    ),
    _listen_from_form,
)


class TimeLeft(Conflict):
    """A refusal naming the time left of a piece (`{left}`), worded in the reader's language."""

    def __init__(self, message: str, seconds: float) -> None:
        super().__init__(message, left=human_seconds(seconds))
        self.seconds = seconds

    def text(self, locale: str | None) -> str:
        """The refusal in `locale`, with the time left worded in it."""
        return gettext(self.template, locale, left=seconds_in(self.seconds, locale))


KIND = StepKind(
    handler=ListenHandler,
    order=3,
    form=FORM,
    icon="🎧",
    summary_counts={
        "reaction": SummaryCount(
            "{count} reaction", "{count} reactions", N_("reactions from fewer than {k} people")
        ),
        "reflection": REFLECTIONS,
    },
    state=ListenState,
)

"""The `vote` step: one changeable vote per member among fixed options, the previous step's
contributions, or the session playlist; ties go to the earliest option or nomination. Its model,
its handler, and its choices and tallies.

Choices have stable keys (``o<index>`` for a fixed option, ``c<contribution id>`` for a previous
answer, ``n<nomination id>`` for a playlist entry), so a vote still means the same thing after a
restart or when the playlist grows during the vote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ConfigDict, Field, model_validator

from bot.core.activity_fields import FieldPath, StepBase, Track
from bot.core.errors import InvalidInput
from bot.core.field_texts import Text, TextShorthand, Title, localize
from bot.core.format_base import format_error
from bot.core.listening import ResolvedTrack, suggestion_credit
from bot.core.lyrics import EVENT_KINDS, fold
from bot.core.step_forms import TIME_LIMIT, TITLE, FieldSpec, StepForm
from bot.core.steps.base import BaseStepHandler, StepContext, StepKind, SummaryCount
from bot.core.steps.reflect import ReflectStep
from bot.core.steps.write import WriteStep
from bot.core.text import clean_member_text
from bot.i18n import N_, Wording
from bot.records.media import NominationRecord
from bot.records.sessions import ContributionRecord


class VoteOption(TextShorthand):
    """A choice in a vote; may carry a track so a listen step can play the winner."""

    label: Title
    track: Track | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str) or (isinstance(data, dict) and "label" not in data):
            return {"label": data}
        return data


class VoteStep(StepBase):
    """The group chooses among fixed options, the previous step's contributions or the playlist."""

    model_config = ConfigDict(serialize_by_alias=True)

    type: Literal["vote"]
    question: Text
    options: list[VoteOption] | None = Field(default=None, min_length=2, max_length=25)
    choose_from: Literal["previous", "playlist"] | None = Field(default=None, alias="from")
    """previous: the previous step's contributions; playlist: the session playlist."""

    @model_validator(mode="after")
    def _one_source(self) -> VoteStep:
        if (self.options is None) == (self.choose_from is None):
            raise format_error(
                "vote", "a vote needs exactly one of options or from (previous or playlist)"
            )
        return self

    def problems_among(
        self, steps: Sequence[StepBase], index: int
    ) -> list[tuple[FieldPath, Wording]]:
        """``from: previous`` needs a step whose answers can be choices just before the vote:
        a write step's lines or a reflect step's shared reflections (`previous_choices`)."""
        if self.choose_from != "previous":
            return []
        previous = steps[index - 1] if index > 0 else None
        if isinstance(previous, WriteStep | ReflectStep):
            return []
        problem = Wording("from: previous needs a write or reflect step just before the vote")
        return [(("from",), problem)]

    def media_files(self) -> list[tuple[FieldPath, str]]:
        """Each option's track file (a `from_vote` listen step may play the winner's): the
        loader checks that each is in the media directory."""
        return [
            (("options", number, "track", "file"), option.track.file)
            for number, option in enumerate(self.options or [])
            if option.track is not None and option.track.file
        ]

    @property
    def yields_track(self) -> bool:
        """True when the winner is something a listen step can play."""
        if self.choose_from == "playlist":
            return True
        return bool(self.options) and all(opt.track is not None for opt in self.options or [])


LABEL_MAX = 100
"""Longest choice label, in characters (a Discord select option's label holds 100)."""
# A choice's key: o<n> a fixed option, n<id> a playlist nomination, c<id> a contribution.
_KEY = re.compile(r"^[onc][0-9]{1,18}$")


class VoteHandler(BaseStepHandler[VoteStep]):
    """One vote per member (changing it replaces it); complete when everyone present voted."""

    def accept(
        self, ctx: StepContext[VoteStep], contribution_kind: str, payload: Mapping[str, Any]
    ) -> dict[str, Any]:
        """A "vote" for one choice key: "o<n>" for one of the step's options, "n<id>" for a
        playlist entry or "c<id>" for a previous contribution, as the step's `choose_from` says;
        the label is cleaned and cut to LABEL_MAX. Raises InvalidInput for any other contribution
        kind or a key the step doesn't offer."""
        if contribution_kind != "vote":
            raise InvalidInput(N_("Vote with the menu on the vote's message."))
        key = payload.get("choice")
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise InvalidInput(N_("That isn't one of the choices in this vote."))
        step = ctx.step
        if key.startswith("o"):
            if step.options is None or int(key[1:]) >= len(step.options):
                raise InvalidInput(N_("That isn't one of the choices in this vote."))
        elif key.startswith("n") != (step.choose_from == "playlist") or (
            key.startswith("c") != (step.choose_from == "previous")
        ):
            raise InvalidInput(N_("That isn't one of the choices in this vote."))
        label = clean_member_text(str(payload.get("label", "")), LABEL_MAX, single_line=True)
        return {"choice": key, "label": label}


MAX_CHOICES = 25  # a Discord select menu holds 25 options
_SEPARATORS = " —–-:·,"


@dataclass(frozen=True, slots=True)
class VoteChoice:
    key: str
    label: str
    detail: str = ""
    track: ResolvedTrack | None = None


def shown_detail(choice: VoteChoice) -> str:
    """The choice's detail without repeating its label ("Morning — Grieg" under "Morning" is
    just "Grieg"); empty when nothing is left."""
    detail = choice.detail.strip()
    label = choice.label.strip()
    if label and detail.casefold().startswith(label.casefold()):
        return detail[len(label) :].lstrip(_SEPARATORS)
    return detail


@dataclass(frozen=True, slots=True)
class Tally:
    choice: VoteChoice
    votes: int


def fixed_choices(step: VoteStep, locale: str) -> list[VoteChoice]:
    """A vote step's own options as choices in `locale` (keys "o0", "o1", ...; a track option shows
    its title and artist), labels cut to fit a select menu."""
    out = []
    for index, option in enumerate(step.options or []):
        track = ResolvedTrack.from_track(option.track, locale) if option.track else None
        detail = f"{track.title} — {track.artist}" if track is not None else ""
        out.append(
            VoteChoice(
                key=f"o{index}",
                label=clean_member_text(
                    localize(option.label, locale), LABEL_MAX, single_line=True
                ),
                detail=detail,
                track=track,
            )
        )
    return out


def previous_choices(contributions: Sequence[ContributionRecord]) -> list[VoteChoice]:
    """The previous step's written answers that the group may see: shared reflections, lines.

    Lyric lines are taken from the song as it stands (the event log folded): a withdrawn or
    removed line is no choice, and an edited one shows its new words.
    """
    song = {int(line["id"]): line for line in fold(contributions).values()}
    out = []
    for c in contributions:
        if c.kind in EVENT_KINDS:
            if c.kind != "line" or c.id not in song:
                continue
            text: Any = song[c.id].get("text")
        else:
            text = c.payload.get("text") or c.payload.get("line")
        if not isinstance(text, str) or not text.strip():
            continue
        if c.kind == "reflection" and not c.payload.get("shared"):
            continue  # a private reflection never becomes a public option
        if c.payload.get("passed") or c.payload.get("removed"):
            continue
        label = clean_member_text(text, LABEL_MAX, single_line=True)
        out.append(VoteChoice(key=f"c{c.id}", label=label))
    return out[:MAX_CHOICES]


def playlist_choices(
    nominations: Sequence[NominationRecord],
    hidden_credit: frozenset[int] = frozenset(),
    names: Mapping[int, str] | None = None,
) -> list[VoteChoice]:
    """Playlist entries in nomination order; `hidden_credit` are members who opted out of credit.

    `names` are display names already made safe for an embed; the credit says "a member" for
    anyone not in it (a raw mention in an embed shows as `<@id>` to many viewers)."""
    out = []
    for n in sorted(nominations, key=lambda n: (n.created_at, n.id)):
        if n.removed_at is not None:
            continue
        credit = None
        if n.user_id is not None and n.user_id not in hidden_credit:
            credit = suggestion_credit((names or {}).get(n.user_id))
        track = ResolvedTrack(
            title=n.title,
            artist=n.artist,
            url=n.url,
            credit=credit,
            suggested_by=n.user_id if credit else None,
            nomination_id=n.id,
        )
        label = n.title + (f" — {n.artist}" if n.artist else "")
        out.append(
            VoteChoice(
                key=f"n{n.id}",
                label=clean_member_text(label, LABEL_MAX, single_line=True),
                detail=clean_member_text(n.note or "", LABEL_MAX, single_line=True),
                track=track,
            )
        )
    return out[:MAX_CHOICES]


def tally(choices: Sequence[VoteChoice], votes: Sequence[ContributionRecord]) -> list[Tally]:
    """Counts per choice, most votes first; ties keep the choices' own (earliest-first) order."""
    counts = {choice.key: 0 for choice in choices}
    for vote in votes:
        if vote.kind != "vote":
            continue
        key = vote.payload.get("choice")
        if isinstance(key, str) and key in counts:
            counts[key] += 1
    ranked = [Tally(choice, counts[choice.key]) for choice in choices]
    order = {choice.key: i for i, choice in enumerate(choices)}
    return sorted(ranked, key=lambda t: (-t.votes, order[t.choice.key]))


def winner(choices: Sequence[VoteChoice], votes: Sequence[ContributionRecord]) -> Tally | None:
    """The choice with the most votes (the earliest of a tie), None when there are no choices."""
    ranked = tally(choices, votes)
    return ranked[0] if ranked else None


def voters(votes: Sequence[ContributionRecord], choices: Sequence[VoteChoice] | None = None) -> int:
    """How many people voted (a changed vote replaces the earlier one, as `tally` counts).

    With `choices`, only votes for a choice still there count, as in `tally`: a vote for a
    withdrawn nomination or a forgotten member's answer is no longer behind any figure.
    """
    keys = None if choices is None else {choice.key for choice in choices}
    return sum(
        1 for v in votes if v.kind == "vote" and (keys is None or v.payload.get("choice") in keys)
    )


def is_tie(ranked: Sequence[Tally]) -> bool:
    """Whether the first two of a ranked tally have as many votes."""
    return len(ranked) > 1 and ranked[0].votes == ranked[1].votes


def vote_step_for(steps: Sequence[object], listen_index: int) -> int | None:
    """The index of the most recent vote step among an activity's `steps` before a `from_vote`
    listen step (at `listen_index`), None when there is none."""
    for index in range(listen_index - 1, -1, -1):
        if isinstance(steps[index], VoteStep):
            return index
    return None


def _vote_from_form(answers: Mapping[str, str]) -> dict[str, Any]:
    options = [line.strip() for line in answers.get("options", "").splitlines() if line.strip()]
    if len(options) < 2:
        raise InvalidInput(N_("A vote needs at least two choices, one per line."))
    return {"question": answers.get("question", ""), "options": options}


FORM = StepForm(
    N_("A vote among a few choices"),
    (
        TITLE,
        FieldSpec("question", N_("The question")),
        FieldSpec(
            "options",
            N_("The choices, one per line (2 to 25)"),
            "paragraph",
            placeholder=N_("Calm\nHopeful\nTired"),
            max_length=1500,
        ),
        TIME_LIMIT,
    ),
    _vote_from_form,
)


KIND = StepKind(
    handler=VoteHandler,
    order=7,
    form=FORM,
    icon="🗳",
    summary_counts={
        "vote": SummaryCount(
            "{count} vote", "{count} votes", N_("votes from fewer than {k} people")
        ),
    },
)

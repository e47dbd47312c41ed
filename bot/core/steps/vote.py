"""The `vote` step: the group chooses among fixed options, the previous step's contributions or
the playlist (tallies and choices are in `bot/core/vote.py`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import ConfigDict, Field, model_validator

from bot.core.activity_fields import StepBase, Track
from bot.core.errors import InvalidInput
from bot.core.field_texts import Text, TextShorthand, Title
from bot.core.format_base import format_error
from bot.core.step_forms import TIME_LIMIT, TITLE, FieldSpec, StepForm
from bot.core.steps.base import BaseStepHandler, StepContext, StepKind
from bot.core.text import clean_member_text
from bot.i18n import N_


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


class VoteHandler(BaseStepHandler):
    """One vote per member (changing it replaces it); complete when everyone present voted."""

    kind = "vote"

    def accept(
        self, ctx: StepContext, contribution_kind: str, payload: Mapping[str, Any]
    ) -> dict[str, Any]:
        """A "vote" for one choice key: "o<n>" for one of the step's options, "n<id>" for a
        playlist entry or "c<id>" for a previous contribution, as the step's `choose_from` says;
        the label is cleaned and cut to LABEL_MAX. Raises InvalidInput for any other contribution kind or a
        key the step doesn't offer."""
        if contribution_kind != "vote":
            raise InvalidInput(N_("Vote with the menu on the vote's message."))
        key = payload.get("choice")
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise InvalidInput(N_("That isn't one of the choices in this vote."))
        step: VoteStep = ctx.step
        if key.startswith("o"):
            if step.options is None or int(key[1:]) >= len(step.options):
                raise InvalidInput(N_("That isn't one of the choices in this vote."))
        elif key.startswith("n") != (step.choose_from == "playlist") or (
            key.startswith("c") != (step.choose_from == "previous")
        ):
            raise InvalidInput(N_("That isn't one of the choices in this vote."))
        label = clean_member_text(str(payload.get("label", "")), LABEL_MAX, single_line=True)
        return {"choice": key, "label": label}


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


KIND = StepKind(model=VoteStep, handler=VoteHandler, order=7, form=FORM)

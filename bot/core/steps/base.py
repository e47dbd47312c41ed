"""The interface every step kind implements; the runner knows steps only through it.

A step kind is one module here (`bot/core/steps/<kind>.py`: its model, its handler and a `KIND`
entry), one in ui (`bot/ui/steps/<kind>.py`), a schema entry (`.venv/bin/chorus schema --write`)
and its texts in the catalogue (`make messages`, then translated).
"""

from __future__ import annotations

import typing
from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from bot.core.activity_fields import StepBase
from bot.core.errors import Conflict
from bot.core.step_forms import StepForm
from bot.core.step_state import KindState
from bot.i18n import N_
from bot.records.sessions import ContributionRecord, RunRecord

StepT = TypeVar("StepT", bound=StepBase)
"""A kind's model (`RoundStep`, ...): what `BaseStepHandler[...]` and `StepKind[...]` are of."""
StepT_co = TypeVar("StepT_co", bound=StepBase, covariant=True)
StepT_contra = TypeVar("StepT_contra", bound=StepBase, contravariant=True)


@dataclass(frozen=True, slots=True)
class StepContext(Generic[StepT_co]):
    """What a handler may look at: the run, its step definition (the kind's model, so a
    `StepContext[RoundStep]` has a `RoundStep`), who is present (user ids, in the order they
    joined), now (UTC seconds), the parsed step state and the session's language. The runner
    builds one for any kind (`StepContext[StepBase]`) and gives it to the step's own handler."""

    run: RunRecord
    step: StepT_co
    present: Sequence[int]
    now: float
    state: Mapping[str, Any] = field(default_factory=dict)
    facilitator_id: int | None = None
    _: KW_ONLY
    language: str
    """The language code of the session's server (bot/i18n/languages.py public_language), which its
    public posts and songs are in: the runner fills it from the server's settings."""

    @property
    def expected(self) -> list[int]:
        """Who an auto step waits for: everyone present but the facilitator, who leads."""
        return [uid for uid in self.present if uid != self.facilitator_id]


@dataclass(frozen=True, slots=True)
class Press:
    """A click on one of a kind's `StepButton`s (bot/ui/steps/base.py), or the submission of
    the form one opened, as its handler sees it."""

    action: str
    """The button's action, e.g. ``"hum"`` or ``"skip"``."""
    member_id: int
    """Who clicked (a Discord user id)."""
    leads: bool
    """Whether they lead the session: its facilitator or one of the server's facilitators (the
    people who may press the board's Next)."""


@dataclass(frozen=True, slots=True)
class Pressed:
    """What a `Press` does, as the kind's handler decides (`StepHandler.pressed`)."""

    contribute: bool = True
    """Save the press as the clicker's contribution of kind `action` with an empty payload (a
    form's submission: its answers), checked by `accept` as every contribution is."""
    move_on: bool = False
    """Then end the step as the board's Next does (the step's `refuse_leaving` still applies);
    only a press by someone who leads may do this, anyone else is refused."""
    reply: str | None = None
    """The clicker's private reply: a catalogue text (marked with `N_`, worded in their
    language); None: "Thank you, your answer is saved." (or "updated" for a second answer),
    so a press that neither answers nor moves on gives one."""


@dataclass(frozen=True, slots=True)
class Wake:
    """A handler's own timer inside a step (e.g. a lyric turn) and the state to keep."""

    at: float | None
    state: Mapping[str, Any]


class StepHandler(Protocol[StepT_contra]):
    """Rules of one step kind, typed by its model (`StepHandler[RoundStep]`). All methods are
    pure apart from the returned values."""

    kind: str

    def one_answer_per_member(self, step: StepT_contra) -> bool:
        """True when a second answer replaces the first (a check-in), False for many (lyrics)."""
        ...

    def enter(self, ctx: StepContext[StepT_contra]) -> Wake:
        """The state and handler timer a step starts with."""
        ...

    def accept(
        self, ctx: StepContext[StepT_contra], contribution_kind: str, payload: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Validate and normalise one contribution; raise InvalidInput to refuse it.

        `contribution_kind` is what the member did (`ContributionRecord.kind`: "line", "vote",
        "reflection", "done", ...), not the step kind (`kind`, the YAML `type`)."""
        ...

    def after_contribution(
        self, ctx: StepContext[StepT_contra], contribution: ContributionRecord
    ) -> Wake | None:
        """New handler state after a contribution was saved, or None to keep it."""
        ...

    def still_applies(
        self, ctx: StepContext[StepT_contra], contribution: ContributionRecord
    ) -> bool:
        """Whether a saved contribution still changes the step as `ctx` shows it now: asked
        before `after_contribution` runs on a state read again after another process changed
        the run (False: its turn has passed meanwhile, so there is nothing left to do)."""
        ...

    def on_wake(self, ctx: StepContext[StepT_contra]) -> Wake:
        """The handler timer fired (the step deadline is the runner's business)."""
        ...

    def is_complete(
        self, ctx: StepContext[StepT_contra], contributions: Sequence[ContributionRecord]
    ) -> bool:
        """Everyone has answered (or the step's own work is done): auto steps may move on."""
        ...

    def refuse_leaving(
        self, ctx: StepContext[StepT_contra], by_facilitator: bool
    ) -> str | Conflict | None:
        """A reason the step may not be left yet (e.g. no-skip listening): a catalogue text,
        or a refusal of its own (with fields), or None."""
        ...

    def attendance_changed(self, ctx: StepContext[StepT_contra]) -> Wake | None:
        """Someone joined or left the session (`ctx.present` is who is there now): the new
        state and handler timer, or None when the step doesn't follow attendance."""
        ...

    def resumed(self, state: Mapping[str, Any], paused_for: float) -> dict[str, Any]:
        """The state after a pause of `paused_for` seconds: the handler's own deadlines (UTC
        timestamps it keeps for its cards, e.g. a turn's end) moved on by as much. The runner
        moves its timer (`wake_at`) itself."""
        ...

    def pressed(self, step: StepT_contra, press: Press) -> Pressed:
        """What a click on one of the kind's `StepButton`s does at `step` (the step definition);
        raise a UserFacingError (e.g. NotFacilitator, InvalidInput) to refuse it."""
        ...

    def submitted(self, step: StepT_contra, press: Press, answers: Mapping[str, str]) -> Pressed:
        """What a submitted form does at `step`: the form a `StepButton` opened (its presenter's
        `answer_form`), `answers` its texts by box key. A contribution it makes has the answers
        as its payload (checked by `accept`); raise a UserFacingError to refuse it (the member
        is given their words back)."""
        ...


class BaseStepHandler(Generic[StepT]):
    """Sensible defaults: one answer per member, no handler timer, complete when all answered.
    A kind's handler names its model: ``class RoundHandler(BaseStepHandler[RoundStep])``, so
    mypy checks what it reads of ``ctx.step``; its `kind` is that model's name."""

    kind = "base"

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        model = type_argument(cls, BaseStepHandler)
        if model is not None and issubclass(model, StepBase):
            cls.kind = kind_name(model)

    def one_answer_per_member(self, step: StepT) -> bool:
        """Default: True, a second answer replaces the first."""
        return True

    def enter(self, ctx: StepContext[StepT]) -> Wake:
        """Default: an empty state and no handler timer."""
        return Wake(at=None, state={})

    def accept(
        self, ctx: StepContext[StepT], contribution_kind: str, payload: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Default: the payload as it came (a step kind with input overrides this to check it)."""
        return dict(payload)

    def after_contribution(
        self, ctx: StepContext[StepT], contribution: ContributionRecord
    ) -> Wake | None:
        """Default: None, the state stays as it is."""
        return None

    def still_applies(self, ctx: StepContext[StepT], contribution: ContributionRecord) -> bool:
        """Default: True (a step whose state doesn't follow its answers has no turns)."""
        return True

    def on_wake(self, ctx: StepContext[StepT]) -> Wake:
        """Default: the state as it is, no new timer."""
        return Wake(at=None, state=ctx.state)

    def is_complete(
        self, ctx: StepContext[StepT], contributions: Sequence[ContributionRecord]
    ) -> bool:
        """Default: every member present has answered (see everyone_answered)."""
        return everyone_answered(ctx.expected, contributions)

    def refuse_leaving(
        self, ctx: StepContext[StepT], by_facilitator: bool
    ) -> str | Conflict | None:
        """Default: None, the step may always be left."""
        return None

    def attendance_changed(self, ctx: StepContext[StepT]) -> Wake | None:
        """Default: None, the step doesn't follow attendance."""
        return None

    def resumed(self, state: Mapping[str, Any], paused_for: float) -> dict[str, Any]:
        """Default: the state unchanged (no deadlines of the handler's own)."""
        return dict(state)

    def pressed(self, step: StepT, press: Press) -> Pressed:
        """Default: anyone's press is a one-click answer, thanked as saved (or updated)."""
        return Pressed()

    def submitted(self, step: StepT, press: Press, answers: Mapping[str, str]) -> Pressed:
        """Default: anyone's form is their answer (payload: the answers), thanked as saved."""
        return Pressed()


def type_argument(cls: type, generic: type) -> type | None:
    """The class `cls` (or the first of its bases that does) gives `generic` as its type
    argument: ``class RoundHandler(BaseStepHandler[RoundStep])`` -> `RoundStep`. None when
    none names a class there (a base still generic, ``BaseStepHandler[StepT]``, names none)."""
    for klass in cls.__mro__:
        for base in getattr(klass, "__orig_bases__", ()):
            origin = typing.get_origin(base)
            if isinstance(origin, type) and issubclass(origin, generic):
                (argument,) = typing.get_args(base)
                if isinstance(argument, type):
                    return argument
    return None


def kind_name(model: type[StepBase]) -> str:
    """The kind's name, the word written after ``type:`` in an activity file (the `type`
    literal of its `model`), e.g. ``"checkin"``."""
    return str(typing.get_args(model.model_fields["type"].annotation)[0])


def everyone_answered(present: Sequence[int], contributions: Sequence[ContributionRecord]) -> bool:
    """Every present member has contributed; anonymous answers count towards the total."""
    return everyone_answered_by(present, [c.author_id for c in contributions])


def everyone_answered_by(present: Sequence[int], authors: Sequence[int | None]) -> bool:
    """`everyone_answered` from the contributions' author ids alone (None: anonymous)."""
    if not present:
        return False
    named = {a for a in authors if a is not None}
    anonymous = sum(1 for a in authors if a is None)
    missing = [uid for uid in present if uid not in named]
    return len(missing) <= anonymous


@dataclass(frozen=True, slots=True)
class SummaryCount:
    """How the end-of-session summary counts one contribution kind, as catalogue texts (msgids
    the ui words in the server's language): `one`/`many` the plural pair filled with ``{count}``
    ("3 check-ins"), shown when at least K_MIN people (`bot.core.checkins`) are behind the count;
    `few` the words without a count, filled with ``{k}`` ("check-ins from fewer than 3 people").
    Written ``SummaryCount("{count} x", "{count} xs", N_("xs from fewer than {k} people"))``:
    the catalogue extracts the first two as one plural text (`bot/catalogue_tool.py`)."""

    one: str
    many: str
    few: str


PASSES = SummaryCount("{count} pass", "{count} passes", N_("passes from fewer than {k} people"))
"""A member's pass (contribution kind ``pass``), counted alike by every kind that offers one."""

REFLECTIONS = SummaryCount(
    "{count} reflection", "{count} reflections", N_("reflections from fewer than {k} people")
)
"""A member's written reflection (contribution kind ``reflection``: at a reflect step, or about
what a listen step played), counted alike by both kinds."""


@dataclass(frozen=True, slots=True)
class StepKind(Generic[StepT]):
    """One step kind as the registry (`bot.core.steps`) knows it: the module `<kind>.py` ends with
    ``KIND = StepKind(handler=..., order=...)``, plus whatever else it declares. Raises
    TypeError when the handler names no model (``BaseStepHandler[<the kind's model>]``)."""

    handler: type[BaseStepHandler[StepT]]
    """The kind's handler (one is made per bot), typed by the kind's model."""
    model: type[StepT] = field(init=False)
    """The pydantic model of the step, the one its handler is typed by; its `type` literal is
    the kind's name."""
    state: type[KindState] | None = None
    """The type of the kind's own keys in a run's step state (a frozen dataclass with
    ``read(mapping)``, declared in the kind's module, e.g. `RoundState`), which readers outside
    the module get from `bot.core.step_state.StepState.kind`; None: the kind keeps none."""
    order: int = 100
    """Where the kind is listed to authors (error messages, the schema); ties by name."""
    form: StepForm | None = None
    """The kind's form in the activity builder (`/activity new`); None: written in YAML only."""
    private_counts: bool = False
    """True for a step about how people are (a check-in, rating one's goals): the public board
    shows no exact count of answers below K_MIN (`bot.core.checkins`), only "fewer than K_MIN"."""
    answered: bool = True
    """False for a step nothing is sent at (a prompt is read and talked about): the board shows
    no count of answers for it."""
    icon: str = "•"
    """The emoji before the kind's steps in an activity's list of steps (/activity info)."""
    summary_counts: Mapping[str, SummaryCount] = field(default_factory=dict, compare=False)
    """Contribution kind (`ContributionRecord.kind`) -> how the session summary counts it; a
    contribution kind no registered kind declares (an edit, a withdrawal) isn't shown there. Two
    kinds may declare one contribution kind only with the same `SummaryCount` (`PASSES`)."""

    def __post_init__(self) -> None:
        model = type_argument(self.handler, BaseStepHandler)
        if model is None or not issubclass(model, StepBase):
            raise TypeError(
                f"{self.handler.__name__} names no step model: derive it from "
                "BaseStepHandler[<the kind's model>]"
            )
        object.__setattr__(self, "model", model)  # frozen: set once, here

    @property
    def name(self) -> str:
        """The word written after ``type:`` in an activity file, e.g. ``"checkin"``."""
        return kind_name(self.model)

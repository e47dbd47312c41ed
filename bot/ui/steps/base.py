"""How a step appears in the channel: one message per step, posted once, closed at the end."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, Self, TypeVar

import discord

from bot.core.activities import Activity, localize
from bot.core.activity_fields import StepBase
from bot.core.step_state import StepState
from bot.core.text import shorten
from bot.i18n import _
from bot.records.sessions import ContributionRecord, RunRecord, SessionRecord
from bot.ui import limits
from bot.ui.components import TypedButton
from bot.ui.form_ids import FormId
from bot.ui.format import COLOUR_DONE, COLOUR_STEP, DESCRIPTION_MAX, duration, plain_name

StepT = TypeVar("StepT", bound=StepBase)
"""A step kind's model (e.g. `ReflectStep`): what a presenter of that kind reads."""
StepT_co = TypeVar("StepT_co", bound=StepBase, covariant=True)
StepT_contra = TypeVar("StepT_contra", bound=StepBase, contravariant=True)
PreparedT = TypeVar("PreparedT")
"""What a kind's feature gathers for its card (e.g. `ListenPrepared`): see `StepScene.prepared`."""


@dataclass(frozen=True, slots=True)
class StepScene(Generic[StepT_co]):
    """A step as the channel sees it; `step` is the kind's model (``StepScene[ReflectStep]``)."""

    session: SessionRecord
    run: RunRecord
    activity: Activity
    step: StepT_co
    step_index: int
    locale: str
    """The language the channel reads: the server's (bot/i18n/languages.py public_language)."""
    contributions: list[ContributionRecord] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    prepared: object = None
    """What the step's feature gathered for the card before it is shown (a listen step's
    piece and where it plays, a vote's choices), built by the async source the feature
    registered for the kind (`LiveSessions.add_scene_source`); None when there is none.
    Presenters read it typed, ``scene.prepared_as(ListenPrepared)``."""

    def prepared_as(self, kind: type[PreparedT]) -> PreparedT | None:
        """`prepared` when it is a `kind`, else None (nothing prepared, or a scene built
        without the live side, e.g. in a test)."""
        return self.prepared if isinstance(self.prepared, kind) else None

    def name(self, user_id: int | None) -> str:
        """A contributor's display name, made inert for embedding."""
        if user_id is None:
            return _("Someone", self.locale)
        return plain_name(self.names.get(user_id)) or _("a member", self.locale)

    def text(self, value: Any) -> str:
        """A step text (plain or per language) in the scene's language; "" for none."""
        return localize(value, self.locale) if value is not None else ""

    def step_state(self) -> StepState:
        """The run's saved step state while this step is the run's current one, else an empty
        one (also for a state that isn't a JSON object); its kind's part is
        ``scene.step_state().kind(RoundState)``."""
        if self.run.step_index != self.step_index:
            return StepState()
        return StepState.shown(self.run)


@dataclass(frozen=True, slots=True)
class MessagePayload:
    content: str | None = None
    embed: discord.Embed | None = None
    view: discord.ui.View | None = None
    files: tuple[discord.File, ...] = ()
    embeds: tuple[discord.Embed, ...] = ()

    @property
    def all_embeds(self) -> list[discord.Embed]:
        """The single `embed` (if any) followed by `embeds`."""
        return ([self.embed] if self.embed is not None else []) + list(self.embeds)


class StepPresenter(Protocol[StepT_contra]):
    """How one step kind is shown, typed by the kind's model (``StepPresenter[ReflectStep]``);
    `BasePresenter` gives the optional board hooks their defaults."""

    kind: str

    def render(self, scene: StepScene[StepT_contra]) -> MessagePayload:
        """The step's message when it starts."""
        ...

    def render_closed(self, scene: StepScene[StepT_contra]) -> MessagePayload:
        """The same message once the step has ended (its buttons gone)."""
        ...

    def after_exit(self, scene: StepScene[StepT_contra]) -> list[MessagePayload]:
        """Messages to post when the step ends (a summary, a song sheet), possibly none."""
        ...

    def answered_by(self, contributions: Sequence[ContributionRecord]) -> set[int] | None:
        """Whom the session board counts as having answered the step (user ids), or None to
        count whoever contributed (each anonymous answer once)."""
        ...

    def board_fields(
        self, run: RunRecord, step: StepT_contra, names: Mapping[int, str], locale: str
    ) -> Sequence[tuple[str, str]]:
        """Fields (name, value) the step adds to the session board while it runs, worded in
        `locale`; `names`: display names by user id."""
        ...

    def answer_form(self, step: StepT_contra, action: str) -> AnswerForm | None:
        """The form a press of the kind's `StepButton` with `action` opens at `step`, or None:
        the press is answered at once (`StepHandler.pressed`)."""
        ...


class BasePresenter(Generic[StepT]):
    """Defaults of a presenter's optional board hooks: the board counts whoever contributed and
    shows no fields of the step's own."""

    kind = "base"

    def answered_by(self, contributions: Sequence[ContributionRecord]) -> set[int] | None:
        """See `StepPresenter.answered_by`: None, whoever contributed counts."""
        return None

    def board_fields(
        self, run: RunRecord, step: StepT, names: Mapping[int, str], locale: str
    ) -> Sequence[tuple[str, str]]:
        """See `StepPresenter.board_fields`: none."""
        return ()

    def answer_form(self, step: StepT, action: str) -> AnswerForm | None:
        """See `StepPresenter.answer_form`: None, every button is answered at once."""
        return None


def step_embed(
    scene: StepScene[StepBase],
    body: str,
    *,
    closed: bool = False,
    icon: str = "",
    ended: str | None = None,
) -> discord.Embed:
    """The common frame: activity and step title (after `icon`), position, and a live
    deadline; a closed step says `ended` (default: "This step has ended.")."""
    embed = discord.Embed(
        title=shorten(f"{icon}{scene.text(scene.step.title)}", 256),
        description=shorten(body, DESCRIPTION_MAX),
        colour=COLOUR_DONE if closed else COLOUR_STEP,
    )
    embed.set_author(name=shorten(step_author(scene), 256))
    if closed:
        embed.set_footer(text=ended or _("This step has ended.", scene.locale))
    elif scene.run.step_index == scene.step_index and scene.step.time_limit:
        note = time_note(scene.step.time_limit, scene.step.advance, scene.locale)
        embed.add_field(name=_("Time", scene.locale), value=note, inline=True)
    return embed


def step_author(scene: StepScene[StepBase]) -> str:
    """``"Lyric circle · step 2 of 3"`` in the scene's language."""
    return _(
        "{activity} · step {number} of {total}",
        scene.locale,
        activity=scene.text(scene.activity.title),
        number=scene.step_index + 1,
        total=len(scene.activity.steps),
    )


def time_note(time_limit: int, advance: str, locale: str) -> str:
    """The step's time (`time_limit` seconds; `advance` "auto" or "facilitator") as the card
    states it, true at every moment of the step.

    The card is posted once and not edited when the facilitator pauses, adds time or the time
    runs out on a step they move on, so it gives the planned length and who moves on; the
    session board, edited at each of those moments, counts down the time left.
    """
    length = duration(time_limit, locale)
    if advance == "auto":
        return _(
            "⏱ {length}; moves on by itself when time is up. The board shows the time left.",
            locale,
            length=length,
        )
    return _(
        "⏱ About {length}; the facilitator moves on. The board shows the time left.",
        locale,
        length=length,
    )


class SimplePresenter(BasePresenter[StepT]):
    """A step whose closed form is its open form without buttons, and nothing posted after."""

    kind = "simple"

    def body(self, scene: StepScene[StepT]) -> str:
        """The card's text while the step runs (markdown); empty by default."""
        return ""

    def view(self, scene: StepScene[StepT]) -> discord.ui.View | None:
        """The card's buttons while the step runs; none by default."""
        return None

    def render(self, scene: StepScene[StepT]) -> MessagePayload:
        """See `StepPresenter.render`: `step_embed` around `body`, with `view`."""
        return MessagePayload(embed=step_embed(scene, self.body(scene)), view=self.view(scene))

    def closed_body(self, scene: StepScene[StepT]) -> str:
        """What the step's message says once it has ended (no instructions to act)."""
        return self.body(scene)

    def render_closed(self, scene: StepScene[StepT]) -> MessagePayload:
        """See `StepPresenter.render_closed`: `step_embed` around `closed_body`, marked ended, no
        buttons."""
        return MessagePayload(
            embed=step_embed(scene, self.closed_body(scene), closed=True), view=None
        )

    def after_exit(self, scene: StepScene[StepT]) -> list[MessagePayload]:
        """See `StepPresenter.after_exit`: nothing posted after a simple step."""
        return []


class StepButton(
    TypedButton, spec="chorus:step:{session_id:int}:{run_id:int}:{step_index:int}:{action:word}"
):
    """Any kind's button at one step of a run: `bot/cogs/steps.py` asks the kind's handler what a
    press does (`pressed`, told the action, who clicked and whether they lead): by default a
    one-click answer (a contribution of kind `action`, no payload, which `accept` checks), or
    the facilitator's move on, with the kind's own reply. A kind whose buttons need no form
    uses it instead of a button family of its own."""

    session_id: int
    run_id: int
    step_index: int
    action: str


@dataclass(frozen=True, slots=True)
class AnswerField:
    """One text box of a kind's `AnswerForm`: its answer is the payload's `key`."""

    key: str
    """The box's custom_id and the key of its text in the contribution's payload."""
    label: str
    """What the box asks, a catalogue text (marked with `N_`), worded in the member's language."""
    max_length: int = 1000
    """At most this many characters (Discord allows up to 4,000)."""
    required: bool = True
    """False: the box may be left empty (its answer is then "")."""


@dataclass(frozen=True, slots=True)
class AnswerForm:
    """The form (modal) a kind's `StepButton` opens instead of answering at once: a title (a
    catalogue text) and up to five text boxes. `bot/cogs/steps.py` opens it and hands what was
    typed to the kind's handler (`StepHandler.submitted`). Raises ValueError for no box, more
    than five, two boxes with one key, or a box longer than Discord allows."""

    title: str
    fields: tuple[AnswerField, ...]

    def __post_init__(self) -> None:
        if not 0 < len(self.fields) <= limits.MODAL_COMPONENTS:
            raise ValueError(f"a form holds 1 to {limits.MODAL_COMPONENTS} boxes")
        if any(not 0 < f.max_length <= limits.TEXT_INPUT_VALUE for f in self.fields):
            raise ValueError(f"a box holds 1 to {limits.TEXT_INPUT_VALUE} characters")
        if len({f.key for f in self.fields}) != len(self.fields):
            raise ValueError("each box needs a key of its own (it is the box's custom_id)")


@dataclass(frozen=True)
class AnswerFormId(
    FormId, spec="chorus:form_step:{session_id:int}:{run_id:int}:{step_index:int}:{action:word}"
):
    """The id of an `AnswerForm` opened by a `StepButton`: the same step and action, so its
    submission reaches the kind's handler whatever time the member took, restart or not."""

    session_id: int
    run_id: int
    step_index: int
    action: str


class StepAtButton(TypedButton):
    """Base of a kind's button family whose id names one step of a run and nothing more
    (`run_id`, `step_index`): the breathe step's Done, the reflect step's Reflect and Review
    answers."""

    run_id: int
    step_index: int

    @classmethod
    def at(cls, scene: StepScene[StepBase], label: str, **look: Any) -> Self:
        """This family's button at the scene's step. `look`: `button`'s style, emoji, row and
        disabled. Raises ValueError when the id would be over 100 characters."""
        return cls.button(label, run_id=scene.run.id, step_index=scene.step_index, **look)


@dataclass(frozen=True, slots=True)
class ButtonLook:
    """How a step's button for one action looks: its label (a catalogue text marked with
    `N_`, worded in the channel's language when shown), emoji and style."""

    label: str
    emoji: str
    style: discord.ButtonStyle = discord.ButtonStyle.secondary


class StepActionButton(TypedButton):
    """Base of a kind's button family whose id names an `action` at one step of a run
    (`run_id`, `step_index`): the round's and the write step's buttons."""

    run_id: int
    step_index: int
    action: str

    @classmethod
    def at(cls, scene: StepScene[StepBase], label: str, action: str, **look: Any) -> Self:
        """This family's button for `action` at the scene's step. `look`: `button`'s style,
        emoji, row and disabled. Raises ValueError when `action` doesn't fit the family's id."""
        return cls.button(
            label, action=action, run_id=scene.run.id, step_index=scene.step_index, **look
        )

    @classmethod
    def shown(
        cls, scene: StepScene[StepBase], action: str, looks: dict[str, ButtonLook], **extra: Any
    ) -> Self:
        """The button for `action` as `looks` draws it, its label in the scene's language.
        `extra`: `button`'s row and disabled. Raises KeyError for an action `looks` lacks."""
        look = looks[action]
        label = _(look.label, scene.locale)
        return cls.at(scene, label, action, style=look.style, emoji=look.emoji, **extra)

"""The `write` step: a song written together, one line per turn (the lyric rules the cogs share
are in `bot/core/lyrics.py`). What the handler keeps between lines (the song folded so far, the
turn order, whose turn it is until when, the last line while it may be changed, turns that ran
out) is read outside this module as `WriteState` (`bot/core/lyric_state.py`,
``StepState.of(run).kind(WriteState)``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from bot.core.activity_fields import StepBase, TurnSeconds
from bot.core.errors import Conflict, InvalidInput
from bot.core.field_texts import BLANK, LocalizedText, Text
from bot.core.format_base import format_error
from bot.core.lyric_lines import NotFoundLine, check_line
from bot.core.lyric_shape import Constraints, Section
from bot.core.lyric_slots import SlotConflict, slots
from bot.core.lyric_state import TURN_PING, WriteState
from bot.core.lyric_turns import (
    current_writer,
    next_after,
    rotation,
    takes_turns,
    turn_refusal,
)
from bot.core.lyrics import State, apply_event, is_full, next_position, song_lines
from bot.core.step_forms import TIME_LIMIT, TITLE, FieldSpec, StepForm, form_number
from bot.core.step_state import as_count
from bot.core.step_turns import TurnTaking, turn_starts
from bot.core.steps.base import PASSES, StepContext, StepKind, SummaryCount, Wake
from bot.i18n import N_
from bot.records.sessions import ContributionRecord


class WriteStep(StepBase):
    """Collaborative lyric writing, one line per turn."""

    type: Literal["write"]
    theme: Text
    """The seed the group writes from."""
    structure: list[Section] | None = Field(default=None, min_length=1, max_length=8)
    """Sections in order; may be left out when a template gives the lines."""
    turns: Literal["round_robin", "open", "hidden"] = "round_robin"
    """round_robin: in order; open: anyone; hidden: a writer sees only the last word before."""
    turn_seconds: TurnSeconds = 90
    """How long each writer has for a line."""
    pass_allowed: bool = True
    strict: bool = True
    """true: lines breaking the constraints are refused; false: they are flagged only."""
    constraints: Constraints = Field(default_factory=Constraints)
    template: list[Text] | None = Field(default=None, min_length=1, max_length=32)
    """Lines with blanks (___) that writers fill in, one line per turn."""
    anonymous: bool = False
    """true: the song is saved without who wrote which line."""

    @field_validator("template")
    @classmethod
    def _template_has_blanks(cls, lines: list[LocalizedText] | None) -> list[LocalizedText] | None:
        for number, line in enumerate(lines or [], 1):
            texts = [line] if isinstance(line, str) else list(line.values())
            if not all(BLANK in text for text in texts):
                raise format_error(
                    "template",
                    "template line {number} has no blank; mark the part to fill in with ___",
                    number=number,
                )
        return lines

    @model_validator(mode="after")
    def _structure_fits(self) -> WriteStep:
        if self.structure is None and self.template is None:
            raise format_error(
                "write", "a write step needs a structure (sections with line counts) or a template"
            )
        if self.structure is not None and self.template is not None:
            planned = self.total_lines
            if planned != len(self.template):
                raise format_error(
                    "write",
                    "the structure has {planned} lines but the template has {templated}; "
                    "they must match",
                    planned=planned,
                    templated=len(self.template),
                )
        if self.total_lines > 32:
            raise format_error(
                "write", "a song may have at most 32 lines; this one has {n}", n=self.total_lines
            )
        return self

    @property
    def total_lines(self) -> int:
        """Lines the group will write."""
        if self.structure is not None:
            return sum(section.lines for section in self.structure)
        return len(self.template or [])


def _writer(payload: Mapping[str, Any]) -> int:
    writer = payload.get("writer")
    if not isinstance(writer, int):
        raise InvalidInput(N_("I couldn't tell who wrote that line."))
    return writer


def _raw(payload: Mapping[str, Any]) -> str | list[str]:
    fills = payload.get("fills")
    if isinstance(fills, list):
        return [str(f) for f in fills]
    return str(payload.get("text", ""))


def _turn_of(ctx: StepContext[WriteStep]) -> dict[str, int]:
    """A line's or pass's turn (`turn_no`) when the step takes turns: see `still_applies`."""
    if not takes_turns(ctx.step):
        return {}
    return {"turn_no": as_count(ctx.state.get("turn_no"))}


def _turn_current(state: Mapping[str, Any], contribution: ContributionRecord) -> bool:
    """The turn a line or pass was written in is still the state's (True for one stored
    without its turn, by an earlier version)."""
    turn_no = contribution.payload.get("turn_no")
    return turn_no is None or turn_no == as_count(state.get("turn_no"))


class WriteHandler(TurnTaking[WriteStep]):
    """Turn order, line checks and the folded song for `write` steps (a member may write several
    lines, one per turn when it takes turns)."""

    # ---------------------------------------------------------------- timers

    def _start_turn(self, state: State, step: WriteStep, writer: int | None, now: float) -> Wake:
        full = is_full(step, song_lines(state))
        if not takes_turns(step) or full or writer is None:
            state.update(turn=None if full or not takes_turns(step) else writer)
            state["turn_deadline"] = None
            return Wake(at=None, state=state)
        state["turn"] = writer
        wake = turn_starts(state, step.turn_seconds, now)
        state[TURN_PING] = {"turn_no": state["turn_no"]}  # the writer is to be told, once
        return wake  # its state is `state`

    def enter(self, ctx: StepContext[WriteStep]) -> Wake:
        """StepHandler: the song starts empty; with turns, the first writer's turn starts now
        (its end, a UTC timestamp in seconds, is the wake)."""
        step = ctx.step
        state: State = {
            "lines": {},
            "order": list(ctx.present),
            "turn": None,
            "turn_no": 0,
            "turn_deadline": None,
            "last": None,
            "timeouts": [],
        }
        first = ctx.present[0] if ctx.present else None
        return self._start_turn(state, step, first, ctx.now)

    def on_wake(self, ctx: StepContext[WriteStep]) -> Wake:
        """The writer's time ran out: their turn is recorded as passed and moves on."""
        step = ctx.step
        state: State = dict(ctx.state)
        lines = song_lines(state)
        position = next_position(step, lines)
        writer = current_writer(state, ctx.present)
        state["order"] = rotation(state, ctx.present)
        if not takes_turns(step) or position is None:
            return Wake(at=None, state=state)
        if state.get("turn") is None:
            # The writer used /forget, which took their id out of the state: nobody timed
            # out, and the writer now first in the order gets a whole turn.
            return self._start_turn(state, step, writer, ctx.now)
        timeouts = list(state.get("timeouts", []))
        timeouts.append(
            {
                "pos": position,
                "turn_no": int(state.get("turn_no", 0)),
                "user": None if step.anonymous else writer,
                "at": ctx.now,
            }
        )
        state["timeouts"] = timeouts[-64:]
        following = next_after(state["order"], ctx.present, writer)
        return self._start_turn(state, step, following, ctx.now)

    # ---------------------------------------------------------------- checking

    def _require_turn(self, ctx: StepContext[WriteStep], writer: int) -> None:
        step = ctx.step
        if not takes_turns(step):
            return
        now_writing = current_writer(ctx.state, ctx.present)
        if now_writing is not None and writer != now_writing:
            raise turn_refusal(step, now_writing, writer in rotation(ctx.state, ctx.present))

    def accept(
        self, ctx: StepContext[WriteStep], contribution_kind: str, payload: Mapping[str, Any]
    ) -> dict[str, Any]:
        """StepHandler: check a `line`, `pass`, `withdraw`, `edit` or `remove` against the song
        so far and return the payload to store (with the line's position `pos` and, for a line
        or a pass in a step that takes turns, its turn `turn_no`: see `still_applies`).

        Raises Conflict when the song is full or it isn't the writer's turn, SlotConflict when
        the slot the form was opened for has changed, InvalidInput for a line the slot's rules
        refuse (in the session's language, `ctx.language`), NotFoundLine for a line number
        that isn't there."""
        step = ctx.step
        lines = song_lines(ctx.state)
        position = next_position(step, lines)
        writer = _writer(payload)
        the_slots = slots(step, ctx.language)
        if contribution_kind == "line":
            if position is None:
                raise Conflict(N_("The song is complete: every line has been written. 🎶"))
            self._require_turn(ctx, writer)
            expected = payload.get("expected_position")
            if isinstance(expected, int) and expected != position:
                shown, now = the_slots[min(expected, len(the_slots) - 1)], the_slots[position]
                if takes_turns(step):
                    raise SlotConflict(
                        N_(
                            "That was for {label}, which has changed since you opened the form. "
                            "Press **Write my line** again to see the line that's next."
                        ),
                        shown,
                    )
                if shown.section != now.section or shown.section_number != now.section_number:
                    raise SlotConflict(
                        N_(
                            "The {section} you wrote for is finished: someone wrote its last "
                            "line a moment ago. Next is {label}; press **Write my line** again."
                        ),
                        now,
                        shown.section,
                    )
                if shown.template != now.template:
                    raise SlotConflict(
                        N_(
                            "Someone filled that line a moment ago. The next one is different: "
                            "press **Write my line** again for {label}."
                        ),
                        now,
                    )
            checked = check_line(step, the_slots[position], lines, _raw(payload), ctx.language)
            return {
                "pos": position,
                "section": the_slots[position].section,
                "text": checked.text,
                "fill": checked.fill,
                "syl": checked.syllables,
                "flags": checked.flags,
                **_turn_of(ctx),
            }
        if contribution_kind == "pass":
            if not step.pass_allowed:
                raise Conflict(
                    N_("Passing isn't part of this song; write a word or two if you can.")
                )
            if position is None:
                raise Conflict(N_("The song is complete: there's nothing left to pass."))
            self._require_turn(ctx, writer)
            return {"pos": position, **_turn_of(ctx)}
        if contribution_kind in ("edit", "withdraw"):
            last = ctx.state.get("last")
            if not last:
                raise Conflict(N_("There's no line of yours to change."))
            if last.get("writer") is None:
                raise Conflict(
                    N_(
                        "Lines in this anonymous song aren't linked to anyone, so they can't be "
                        "changed. A facilitator can remove a line if needed."
                    )
                )
            line = lines.get(int(last["pos"]))
            if last.get("writer") != writer or line is None or line.get("id") != last.get("id"):
                raise Conflict(
                    N_(
                        "You can change only your own line, and only until the next line is "
                        "written. Speak to the facilitator if something needs to come out."
                    )
                )
            if contribution_kind == "withdraw":
                return {"pos": int(last["pos"]), "line_id": int(last["id"])}
            slot = the_slots[int(last["pos"])]
            checked = check_line(step, slot, lines, _raw(payload), ctx.language)
            return {
                "pos": slot.position,
                "line_id": int(last["id"]),
                "text": checked.text,
                "fill": checked.fill,
                "syl": checked.syllables,
                "flags": checked.flags,
            }
        if contribution_kind == "remove":
            number = payload.get("number")
            if not isinstance(number, int) or not 1 <= number <= step.total_lines:
                raise InvalidInput(
                    N_("Give a line number from 1 to {total_lines}."), total_lines=step.total_lines
                )
            line = lines.get(number - 1)
            if line is None:
                raise NotFoundLine(
                    N_("Line {number} hasn't been written (or was already removed)."), number=number
                )
            return {"pos": number - 1, "line_id": int(line["id"])}
        raise InvalidInput(N_("Use the Write my line button or /line to add to the song."))

    # ---------------------------------------------------------------- after

    def still_applies(self, ctx: StepContext[WriteStep], contribution: ContributionRecord) -> bool:
        """StepHandler: whether the contribution still fits the song as `ctx`'s state has it
        (read again after another process changed the run): a line needs its position still
        next (when its turn ran out there meanwhile, the line still goes in, and the turn
        already moved on stays where it is: see `after_contribution`); a pass, its position
        next and its turn (`turn_no`, stored with it) still current; a change or withdrawal,
        the line still the last one; a removal, the line still there."""
        step = ctx.step
        lines = song_lines(ctx.state)
        payload = contribution.payload
        kind = contribution.kind
        if kind in ("line", "pass"):
            if payload.get("pos") != next_position(step, lines):
                return False
            return kind == "line" or _turn_current(ctx.state, contribution)
        line_id = payload.get("line_id")
        if kind in ("edit", "withdraw"):
            last = WriteState.read(ctx.state).last
            return last is not None and last.id == line_id
        if kind == "remove":
            line = lines.get(as_count(payload.get("pos"), -1))
            return line is not None and line.get("id") == line_id
        return True

    def after_contribution(
        self, ctx: StepContext[WriteStep], contribution: ContributionRecord
    ) -> Wake:
        """StepHandler: apply the stored contribution to the song's lines and move the turn
        on (a line or a pass), or restart turns when a removal reopened a full song; the wake
        is the current turn's end (UTC timestamp in seconds) or None."""
        step = ctx.step
        state: State = dict(ctx.state)
        state["order"] = rotation(state, ctx.present)
        before = song_lines(state)
        writer = (
            contribution.author_id
            if contribution.author_id is not None
            else (current_writer(state, ctx.present) if takes_turns(step) else None)
        )
        lines = apply_event(
            before, contribution.kind, contribution.payload, contribution.id, contribution.author_id
        )
        state["lines"] = {str(k): v for k, v in sorted(lines.items())}
        kind = contribution.kind
        if kind == "line":
            state["last"] = {
                "id": contribution.id,
                "pos": int(contribution.payload["pos"]),
                "writer": writer,
            }
        elif kind in ("withdraw", "remove"):
            last = state.get("last")
            if last and last.get("id") == contribution.payload.get("line_id"):
                state["last"] = None
        if kind in ("line", "pass") and takes_turns(step) and _turn_current(state, contribution):
            doing = current_writer(state, ctx.present)
            following = next_after(state["order"], ctx.present, doing)
            return self._start_turn(state, step, following, ctx.now)
        if is_full(step, lines):
            return self._start_turn(state, step, None, ctx.now)
        if takes_turns(step) and state.get("turn_deadline") is None:
            # A removal reopened a full song: turns start again.
            following = current_writer(state, ctx.present)
            return self._start_turn(state, step, following, ctx.now)
        deadline = state.get("turn_deadline")
        return Wake(at=deadline if isinstance(deadline, int | float) else None, state=state)

    def is_complete(
        self, ctx: StepContext[WriteStep], contributions: Sequence[ContributionRecord]
    ) -> bool:
        """StepHandler: complete when every slot of the song has its line."""
        return is_full(ctx.step, song_lines(ctx.state))


def _write_from_form(answers: Mapping[str, str]) -> dict[str, Any]:
    # A song needs a structure (or a template): one verse of the lines asked for.
    lines = form_number(answers.get("lines") or "8", "How many lines", whole=True)
    return {"theme": answers.get("theme", ""), "structure": [{"name": "verse", "lines": lines}]}


FORM = StepForm(
    N_("A song written together, line by line"),
    (
        TITLE,
        FieldSpec("theme", N_("The song's theme"), placeholder=N_("e.g. Home")),
        FieldSpec("lines", N_("How many lines (1 to 16)"), default="8"),
        TIME_LIMIT,
    ),
    _write_from_form,
)


KIND = StepKind(
    handler=WriteHandler,
    order=4,
    form=FORM,
    icon="✍",
    summary_counts={
        "line": SummaryCount(
            "{count} lyric line",
            "{count} lyric lines",
            N_("lyric lines from fewer than {k} people"),
        ),
        "pass": PASSES,
    },
    state=WriteState,
)

"""The forms of a write step: a line (one input per blank of a template line, prefilled when
editing) and the facilitator's "remove a line"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import discord

from bot.core.lyric_slots import HARD_MAX_CHARS, Slot, allowance, blanks
from bot.core.steps.write import WriteStep
from bot.i18n import _
from bot.ui import limits
from bot.ui.form_ids import FormId
from bot.ui.forms import ChorusForm


def line_items(
    slot: Slot,
    clue: str | None,
    hidden: bool,
    default: str | None,
    limit: int = HARD_MAX_CHARS,
    *,
    locale: str,
) -> list[discord.ui.Item[Any]]:
    """The line form's contents: one input per blank (or one for the line), and whatever the
    writer needs to read shown whole above them (a template or clue longer than a label).

    `limit` is each input's character allowance, enforced by Discord while typing."""
    count = blanks(slot.template)
    if hidden:
        prompt = (
            _("The line before ends with “{word}”", locale, word=clue)
            if clue
            else _("You write the first line", locale)
        )
    elif slot.template and count == 1:
        prompt = _("Fill in the blank", locale)
    else:
        prompt = _("Your line", locale)
    if slot.template:
        shown = slot.template.replace("___", "…")
    elif hidden:
        shown = (
            _("Begin with that word, or answer it.", locale)
            if clue
            else _("Start anywhere.", locale)
        )
    else:
        shown = _("One line; a single image is plenty.", locale)
    items: list[discord.ui.Item[Any]] = []
    above = [t for t in (prompt if len(prompt) > limits.LABEL_TEXT else "",) if t]
    if len(shown) > limits.TEXT_INPUT_PLACEHOLDER:
        above.append(shown)
    if above:
        items.append(discord.ui.TextDisplay(limits.cut("\n".join(above), limits.TEXT_DISPLAY)))
    if len(prompt) > limits.LABEL_TEXT:
        prompt = _("Your line", locale)
    room = limits.MODAL_COMPONENTS - len(items)
    parts = default.split(" / ") if default and count > 1 else [default or ""]
    if count > room:
        # More blanks than a form can hold inputs: one input, the parts between slashes.
        value = default or None
        allowed = limit * count + len(" / ") * (count - 1)
        items.append(
            discord.ui.TextInput(
                custom_id="line",
                label=limits.label(_("The {count} blanks, separated by /", locale, count=count)),
                placeholder=limits.placeholder(shown),
                default=value,
                max_length=min(limits.TEXT_INPUT_VALUE, max(allowed, len(value or ""))),
                required=True,
            )
        )
        return items
    for index in range(max(1, count)):
        value = (parts[index] if index < len(parts) else "") or None
        items.append(
            discord.ui.TextInput(
                custom_id=f"line{index}" if count > 1 else "line",
                label=limits.label(
                    _("Blank {number} of {count}", locale, number=index + 1, count=count)
                    if count > 1
                    else prompt
                ),
                placeholder=limits.placeholder(shown),
                default=value,
                # An older line may be longer than today's allowance: never cut it off.
                max_length=min(HARD_MAX_CHARS, max(limit, len(value or ""))),
                required=True,
            )
        )
    return items


@dataclass(frozen=True)
class LineFormId(FormId, spec="chorus:form_line:line:{run_id:int}:{step_index:int}:{position:int}"):
    """The id of a new line's form: the run, its write step and the slot it was opened for."""

    run_id: int
    step_index: int
    position: int


@dataclass(frozen=True)
class EditLineFormId(
    FormId, spec="chorus:form_line:edit:{run_id:int}:{step_index:int}:{position:int}"
):
    """The id of the form editing one's line: the run, its write step and the line's slot."""

    run_id: int
    step_index: int
    position: int


@dataclass(frozen=True)
class RemoveFormId(FormId, spec="chorus:form_remove:{run_id:int}:{step_index:int}"):
    """The id of the facilitator's "remove a line" form: the run and its write step."""

    run_id: int
    step_index: int


class LineForm(ChorusForm):
    """One line (or one input per blank of a template line); editing prefills the old words.

    Answered through its custom_id by `LyricsCog.on_line_form` (bot/cogs/lyrics.py), with no timeout."""

    def __init__(
        self,
        run_id: int,
        step_index: int,
        step: WriteStep,
        slot: Slot,
        *,
        clue: str | None,
        hidden: bool,
        editing: str | None = None,
        locale: str,
    ) -> None:
        line = _("Line {number}", locale, number=slot.position + 1)
        if editing is not None:
            line = _("Edit line {number}", locale, number=slot.position + 1)
        title = line + (f" · {slot.section}" if slot.section else "")
        family = EditLineFormId if editing is not None else LineFormId
        super().__init__(
            title, family(run_id=run_id, step_index=step_index, position=slot.position)
        )
        # A strict step refuses a longer line, so the form stops the writer at the limit instead
        # of letting them type words that would be thrown away; a guide (not strict) only flags.
        limit = allowance(step, slot) if step.strict else HARD_MAX_CHARS
        for item in line_items(slot, clue, hidden, editing, limit, locale=locale):
            self.add_item(item)


class RemoveForm(ChorusForm):
    """The facilitator's "remove a line" form, answered by `LyricsCog.on_remove_form`."""

    def __init__(self, run_id: int, step_index: int, locale: str) -> None:
        super().__init__(
            _("Remove a line", locale), RemoveFormId(run_id=run_id, step_index=step_index)
        )
        self.add_item(
            discord.ui.TextInput(
                custom_id="number",
                label=_("Line number", locale),
                placeholder=_("e.g. 3", locale),
                max_length=3,
            )
        )

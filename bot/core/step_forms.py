"""A step kind's form in the activity builder (`/activity new`): its inputs and the step they make.

A kind that can be written without YAML gives its `StepKind` a ``form=StepForm(...)``; the builder
(`bot.core.activity_builder`) lists exactly the registered kinds that have one, so no list of
kinds is kept by hand. Every form also gets the step's title first and, where the kind asks for
it, the optional time limit (`TITLE`, `TIME_LIMIT`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from bot.core.errors import InvalidInput
from bot.i18n import N_

Style = Literal["short", "paragraph"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One input of a step kind's form; ``label`` and ``placeholder`` are catalogue texts
    (English msgids, marked with ``N_``), worded by the ui in the facilitator's language."""

    key: str
    label: str
    style: Style = "short"
    required: bool = True
    default: str = ""
    placeholder: str = ""
    max_length: int = 200


TITLE = FieldSpec("title", N_("Step title"), placeholder=N_("e.g. Arriving"))
TIME_LIMIT = FieldSpec(
    "time_limit", N_("Time limit (optional)"), required=False, placeholder=N_("e.g. 90s, 3m, 1m30s")
)


def copied(*keys: str) -> Callable[[Mapping[str, str]], dict[str, Any]]:
    """A `StepForm.build` that copies these answers as they were typed (empty when left out)."""

    def build(answers: Mapping[str, str]) -> dict[str, Any]:
        return {key: answers.get(key, "") for key in keys}

    return build


_NOTHING_MORE = copied()


@dataclass(frozen=True, slots=True)
class StepForm:
    """How the builder asks for one kind's step: at most 5 inputs (a Discord form's limit)."""

    about: str
    """One line shown beside the kind's name in the builder's list."""
    fields: tuple[FieldSpec, ...]
    """The inputs in order, `TITLE` first."""
    build: Callable[[Mapping[str, str]], dict[str, Any]] = _NOTHING_MORE
    """The kind's own keys from the stripped answers (title, type and time limit are added by
    the builder); raises InvalidInput for an answer it can't use."""


def form_number(value: str, what: str, *, whole: bool) -> int | float:
    """A number typed into a form (a comma counts as the decimal point); raises InvalidInput
    naming `what` when it isn't one, or isn't whole when `whole`."""
    try:
        number = float(value.strip().replace(",", "."))
    except ValueError:
        raise InvalidInput(
            N_("{what} should be a number, like 4; you wrote “{value}”."),
            what=what,
            value=value[:40],
        ) from None
    if whole:
        if number != int(number):
            raise InvalidInput(
                N_("{what} should be a whole number; you wrote “{value}”."),
                what=what,
                value=value[:40],
            )
        return int(number)
    return int(number) if number == int(number) else number

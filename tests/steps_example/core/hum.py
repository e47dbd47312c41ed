"""An example step kind, `hum`, defined only in the tests: everyone hums a tune, then presses Hum
(or says in a form what they hummed: a button that takes text, still in the kind's two files).

It is the whole of a kind's core side: the model (its `type` literal is the module's name), the
handler (the rules) and `KIND`. Its presenter is `tests/steps_example/ui/hum.py`. Its texts are
marked for the catalogue as a kind in bot/ must mark them (`N_` here, `_` in the presenter):
in bot/, `make messages` would add them and the translators word them; here, outside bot/,
they are shown in English."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from bot.core.activity_fields import FieldPath, StepBase
from bot.core.errors import InvalidInput
from bot.core.field_texts import Text
from bot.core.step_forms import TIME_LIMIT, TITLE, FieldSpec, StepForm
from bot.core.steps.base import BaseStepHandler, StepContext, StepKind
from bot.i18n import N_, Wording


class HumStep(StepBase):
    """Everyone hums a tune together; the step is done when everyone present has taken part:
    pressed Hum or said in the form what they hummed (one part each, the default)."""

    type: Literal["hum"]
    tune: Text
    """What to hum, e.g. "the first line of a song you love"."""
    drone: str | None = None
    """Optional: a file in the media directory played under the humming."""

    # Optional: rules that span steps, and the media files a step plays, are the kind's too.
    def problems_among(
        self, steps: Sequence[StepBase], index: int
    ) -> list[tuple[FieldPath, Wording]]:
        """A hum right after a hum is one longer hum: refused at its `tune`."""
        if index > 0 and isinstance(steps[index - 1], HumStep):
            return [(("tune",), Wording("a hum right after a hum: make it one longer hum"))]
        return []

    def media_files(self) -> list[tuple[FieldPath, str]]:
        """The drone, when it has one."""
        return [(("drone",), self.drone)] if self.drone else []


class HumHandler(BaseStepHandler[HumStep]):
    """One part per member, a hum or a note; complete when everyone present has taken part (the
    default `is_complete`: a member's note counts as their part)."""

    def accept(
        self, ctx: StepContext[HumStep], contribution_kind: str, payload: Mapping[str, Any]
    ) -> dict[str, Any]:
        if contribution_kind == "note":  # the form of the presenter's Say what you hummed
            note = str(payload.get("note", "")).strip()
            if not note:
                raise InvalidInput(N_("Say what you hummed in a few words."))
            return {"note": note}
        if contribution_kind != "hum":
            raise InvalidInput(N_("Press Hum once you have hummed along."))
        return {}


def _hum_from_form(answers: Mapping[str, str]) -> dict[str, Any]:
    return {"tune": answers.get("tune", "")}


# Optional: with a form the kind is offered by the activity builder (/activity new) too.
FORM = StepForm(
    N_("Humming a tune together"),
    (TITLE, FieldSpec("tune", N_("What to hum"), placeholder=N_("e.g. a lullaby")), TIME_LIMIT),
    _hum_from_form,
)

KIND = StepKind(handler=HumHandler, form=FORM)

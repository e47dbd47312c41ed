"""The activity: pydantic models for the YAML a facilitator writes, steps derived from the registry.

Activities are data, so these models *are* the file format: every field a facilitator may write
is declared (``extra="forbid"`` so a typo is an error, not a silently ignored key), and
``activities/activity.schema.json`` is generated from them for editor completion. Messages raised
here are the ones a facilitator reads, so they say what was expected and what was found.

The building blocks (texts, durations, tracks, `StepBase`) are in `activity_fields`, check-in
scales in `scales`, and each step kind's model in `bot/core/steps/<kind>.py`. `Step`, the union of
the kinds' models, is built from the registry (`bot.core.steps.step_kinds`) and rebuilt when a
package of kinds is added. Nothing is re-exported here (`bot.core.activities` gathers the format's
shared names; a kind's model is imported from its own module).
"""

import copy
import typing
from typing import TYPE_CHECKING, Annotated, Any, Union

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from bot.core import steps as step_registry
from bot.core.activity_fields import LOADER_CONTEXT_KEY, FieldPath, StepBase
from bot.core.field_texts import LOCALE_RE, SingleLongText, SingleText, Title
from bot.core.field_values import Slug, TagName, Version
from bot.core.format_base import FormatModel, format_error
from bot.i18n import Wording


def step_union(models: typing.Sequence[type[StepBase]]) -> Any:
    """The tagged union of step models, told apart by their ``type`` field."""
    return Annotated[Union[tuple(models)], Field(discriminator="type")]  # noqa: UP007


def step_types() -> tuple[type[StepBase], ...]:
    """Every step model, in documentation order (from the registry of kinds)."""
    return tuple(kind.model for kind in step_registry.step_kinds())


if TYPE_CHECKING:
    # Statically a step is a StepBase; isinstance narrows it to a kind's model.
    Step = StepBase
else:
    Step = step_union(step_types())


# ---------------------------------------------------------------------------------------------
# The activity
# ---------------------------------------------------------------------------------------------


class Activity(FormatModel):
    """One activity: what a facilitator runs with a group, step by step."""

    id: Slug
    """Unique across the catalog; lowercase letters, digits and hyphens."""
    title: Title
    summary: SingleText
    """One or two sentences shown when choosing an activity."""
    version: Version
    """Bump when you change the activity, e.g. 1, 2 or "1.2.0"."""
    duration_minutes: int = Field(ge=1, le=240)
    """Estimated length in minutes."""
    tags: list[TagName] = Field(default_factory=list, max_length=12)
    locale: str = Field(default="en", pattern=LOCALE_RE.pattern)
    """Language the plain (non-map) texts are written in."""
    audience_notes: SingleLongText | None = None
    """Facilitators only: who this suits, who it may not, adaptations."""
    facilitator_notes: SingleLongText | None = None
    """Facilitators only: purpose, how to run it online, what to watch for."""
    steps: list[Step] = Field(min_length=1, max_length=30)
    """The steps, in order."""
    source: SkipJsonSchema[str] = ""
    """Set by the loader: the file this came from."""
    version_hash: SkipJsonSchema[str] = ""
    """Set by the loader: first 12 hex digits of the file's sha256."""

    @field_validator("tags")
    @classmethod
    def _unique_tags(cls, tags: list[str]) -> list[str]:
        if len(set(tags)) != len(tags):
            raise format_error("tags", "tags must not repeat")
        return tags

    @model_validator(mode="after")
    def _steps_fit_together(self, info: ValidationInfo) -> "Activity":
        if isinstance(info.context, dict) and info.context.get(LOADER_CONTEXT_KEY):
            return self  # the loader reports these itself, each at its own step
        problems = cross_step_problems(self)
        if problems:
            path, message = problems[0]
            raise format_error(
                "steps", "{where}: {problem}", where=format_path(path), problem=message
            )
        return self


def format_path(path: tuple[str | int, ...]) -> str:
    """('steps', 2, 'turns') -> 'steps[2].turns'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def cross_step_problems(activity: Activity) -> list[tuple[FieldPath, Wording]]:
    """Rules that span steps, each kind's own (`StepBase.problems_among`: what a vote or
    from_vote refers to, paired check-ins), in step order, at ``("steps", index, ...)``."""
    return [
        (("steps", index, *where), message)
        for index, step in enumerate(activity.steps)
        for where, message in step.problems_among(activity.steps, index)
    ]


def _use_registered_kinds() -> None:
    """Rebuild `Step` and `Activity.steps` from the registry (after a package of kinds changed)."""
    union = step_union(step_types())
    globals()["Step"] = union  # `Step` is a type alias to mypy, a value rebuilt here at run time
    field = copy.copy(Activity.model_fields["steps"])
    field.annotation = list[union]  # type: ignore[valid-type]
    Activity.model_fields["steps"] = field
    Activity.model_rebuild(force=True)


step_registry.on_change(_use_registered_kinds)

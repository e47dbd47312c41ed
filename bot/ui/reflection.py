"""The reflection form and the private replies to a reflection: the thanks once it is saved (where
it goes from here) and the note to an author whose shared answer the facilitator held back."""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.core.activities import localize
from bot.core.steps.reflect import ReflectStep
from bot.i18n import _
from bot.ui.form_ids import FormId
from bot.ui.forms import ChorusForm


@dataclass(frozen=True)
class ReflectFormId(FormId, spec="chorus:form_reflect:{run_id:int}:{step_index:int}"):
    """The id of a reflection form: the run and its reflect step."""

    run_id: int
    step_index: int


class ReflectForm(ChorusForm):
    """The reflection form; the share box defaults to the step's visibility.

    Answered by `ReflectionCog.on_reflect_form` through its custom_id, with no timeout."""

    def __init__(self, run_id: int, step_index: int, step: ReflectStep, locale: str) -> None:
        super().__init__(
            _("Your reflection", locale), ReflectFormId(run_id=run_id, step_index=step_index)
        )
        label = _("Your reflection", locale)
        self.add_answer(localize(step.question, locale) or label, label, step.max_chars, locale)
        share: discord.ui.Checkbox[ReflectForm] = discord.ui.Checkbox(
            custom_id="share", default=step.visibility_default == "shared"
        )
        self.add_item(
            discord.ui.Label(
                text=_("Share with the group", locale),
                description=(
                    _("Shown without your name when the step ends.", locale)
                    if step.anonymous
                    else _(
                        "Shown with your name when the step ends. Unticked: only you see it.",
                        locale,
                    )
                ),
                component=share,
            )
        )


def held_back_text(title: str, channel_id: int, released: bool, locale: str) -> str:
    """The private note to the author of an answer the facilitator held back (or, after the
    release, removed from what was posted)."""
    if released:
        return _(
            "💭 In **{title}** ({channel}), the facilitator removed your shared answer from what "
            "the group sees. Nobody was told it was yours. If you'd like to talk about it, "
            "you're welcome to message the facilitator.",
            locale,
            title=title,
            channel=f"<#{channel_id}>",
        )
    return _(
        "💭 In **{title}** ({channel}), the facilitator read the shared answers before the group "
        "saw them and held yours back, so it wasn't shown. Nobody was told it was yours. If "
        "you'd like to talk about it, you're welcome to message the facilitator.",
        locale,
        title=title,
        channel=f"<#{channel_id}>",
    )


def saved_text(anonymous: bool, shared: bool, replaced: bool, locale: str) -> str:
    """The private thanks once a reflection is saved: where it goes from here. One whole
    sentence per case, so each language words it as one (no halves glued together)."""
    if replaced:
        if anonymous and shared:
            return _(
                "💭 Thank you, your reflection is updated and saved anonymously. It will be "
                "shared with the group without your name when the step ends.",
                locale,
            )
        if anonymous:
            return _(
                "💭 Thank you, your reflection is updated and saved anonymously. It stays private.",
                locale,
            )
        if shared:
            return _(
                "💭 Thank you, your reflection is updated. It will be shared with the group "
                "when the step ends.",
                locale,
            )
        return _("💭 Thank you, your reflection is updated. It stays private.", locale)
    if anonymous and shared:
        return _(
            "💭 Thank you, your reflection is saved anonymously. It will be shared with the "
            "group without your name when the step ends.",
            locale,
        )
    if anonymous:
        return _("💭 Thank you, your reflection is saved anonymously. It stays private.", locale)
    if shared:
        return _(
            "💭 Thank you, your reflection is saved. It will be shared with the group when the "
            "step ends.",
            locale,
        )
    return _("💭 Thank you, your reflection is saved. It stays private.", locale)

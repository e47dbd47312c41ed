"""What the activity builder shows: the private draft (its YAML so far) and each step kind's form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import discord

from bot.core.activity_builder import step_forms
from bot.i18n import _, ngettext
from bot.ui import limits
from bot.ui.components import TypedButton, TypedSelect, persistent_view
from bot.ui.form_ids import FormId
from bot.ui.format import COLOUR_INFO
from bot.ui.forms import ChorusForm


@dataclass(frozen=True)
class StepFormId(FormId, spec="chorus:form_draft_step:{kind:word}"):
    """The id of one step kind's form in the activity builder."""

    kind: str


# The draft's controls carry no data (the draft is the message's embed); their ids are the ones
# posted since /activity new began, so drafts already on servers keep working.
class AddStepSelect(TypedSelect, spec="chorus:draft_add:step"):
    """Choose the next step's kind (the chosen option's value is the kind)."""


class RemoveStepButton(TypedButton, spec="chorus:draft_pop:draft"):
    """Remove the draft's last step."""


class SaveDraftButton(TypedButton, spec="chorus:draft_save:draft"):
    """Save the draft for this server."""


def draft_embed(fenced_yaml: str, title: str, steps: int, locale: str) -> discord.Embed:
    """The draft as it stands, worded in ``locale``: its YAML, which is exactly what will be
    saved (the YAML itself stays as written)."""
    embed = discord.Embed(
        title=limits.cut(_("New activity: {title}", locale, title=title), limits.EMBED_TITLE),
        colour=COLOUR_INFO,
        description=fenced_yaml,
    )
    hint = (
        _("Add the first step below.", locale)
        if steps == 0
        else ngettext(
            "{count} step so far. Add another, or save it for this server.",
            "{count} steps so far. Add another, or save it for this server.",
            steps,
            locale,
        )
    )
    embed.set_footer(
        text=_(
            "{hint} Only you see this draft; nothing is kept until you save it, and it stays "
            "here across a restart.",
            locale,
            hint=hint,
        )
    )
    return embed


def kind_select(locale: str) -> discord.ui.Item[Any]:
    """Choose the next step's kind: its form then asks only for what that kind needs."""
    return AddStepSelect.select(
        [
            discord.SelectOption(
                label=kind, value=kind, description=limits.option_text(_(form.about, locale))
            )
            for kind, form in step_forms().items()
        ],
        placeholder=_("Add a step…", locale),
    )


def draft_view(steps: int, locale: str) -> discord.ui.View:
    """The draft's controls in ``locale``: the kind select and Remove the last step (disabled while
    the draft has no `steps`)."""
    return persistent_view(
        kind_select(locale),
        RemoveStepButton.button(_("Remove the last step", locale), row=1, disabled=steps == 0),
        SaveDraftButton.button(
            _("Save for this server", locale),
            row=1,
            style=discord.ButtonStyle.primary,
            disabled=steps == 0,
        ),
    )


def step_form(kind: str, locale: str) -> ChorusForm:
    """The form of one step kind in ``locale``, answered through its custom_id (no timeout,
    restart-proof); its labels are catalogue texts where the kind's module marks them."""
    fields = step_forms()[kind].fields
    form = ChorusForm(_("Add a {kind} step", locale, kind=kind), StepFormId(kind=kind))
    for spec in fields:
        form.add_item(
            discord.ui.TextInput(
                custom_id=spec.key,
                label=limits.label(_(spec.label, locale)),
                style=(
                    discord.TextStyle.paragraph
                    if spec.style == "paragraph"
                    else discord.TextStyle.short
                ),
                required=spec.required,
                default=spec.default or None,
                placeholder=(
                    limits.placeholder(_(spec.placeholder, locale)) if spec.placeholder else None
                ),
                max_length=spec.max_length,
            )
        )
    return form

"""The draft's controls keep their ids; the kind menu is a typed select."""

from __future__ import annotations

from typing import Any

import discord

from bot.core.activity_builder import step_forms
from bot.ui import activity_builder as ui
from tests.ui.custom_ids import ids


def options_of(menu: discord.ui.Item[Any]) -> list[discord.SelectOption]:
    """The options of the kind menu (a typed select around a discord.py string select)."""
    assert isinstance(menu, ui.AddStepSelect) and isinstance(menu.item, discord.ui.Select), menu
    return menu.item.options


def test_draft_controls_keep_their_ids() -> None:
    assert ids(ui.draft_view(1, "en")) == [
        "chorus:draft_add:step",
        "chorus:draft_pop:draft",
        "chorus:draft_save:draft",
    ]
    menu = ui.kind_select("en")
    assert isinstance(menu, ui.AddStepSelect)
    assert menu.chosen == []  # nothing chosen until a member picks a kind
    assert "prompt" in [option.value for option in options_of(menu)]


NOT_YET: set[str] = set()
"""Kinds whose form texts aren't marked for the catalogue yet (none now)."""


def test_the_kinds_and_their_forms_are_worded_in_the_facilitators_language() -> None:
    # Every kind offered (from the registry) is described, and its form labelled, in German:
    # a kind's module marks these texts for the catalogue (N_).
    forms = step_forms()
    english = {option.value: option.description for option in options_of(ui.kind_select("en"))}
    german = {option.value: option.description for option in options_of(ui.kind_select("de"))}
    assert set(german) == set(forms)
    assert german["prompt"] == "Etwas zum Lesen oder Besprechen"
    for kind in forms:
        if kind in NOT_YET:
            assert german[kind] == english[kind], f"{kind} is translated: drop it from NOT_YET"
            continue
        assert german[kind] != english[kind], f"{kind}'s description is not translated"
        labels = [
            item.to_component_dict().get("label") for item in ui.step_form(kind, "de").children
        ]
        english_labels = [
            item.to_component_dict().get("label") for item in ui.step_form(kind, "en").children
        ]
        untranslated = [
            label
            for label, in_english in zip(labels, english_labels, strict=True)
            if label == in_english
        ]
        assert not untranslated, f"{kind}'s form keeps English labels: {untranslated}"

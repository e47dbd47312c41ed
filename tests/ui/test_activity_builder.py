"""The draft's controls keep their ids; the kind menu is a typed select."""

from __future__ import annotations

from bot.ui import activity_builder as ui
from tests.ui.test_checkins import ids


def test_draft_controls_keep_their_ids() -> None:
    assert ids(ui.draft_view(1, "en")) == [
        "chorus:draft_add:step",
        "chorus:draft_pop:draft",
        "chorus:draft_save:draft",
    ]
    menu = ui.kind_select("en")
    assert isinstance(menu, ui.AddStepSelect)
    assert menu.chosen == []  # nothing chosen until a member picks a kind
    assert "prompt" in [option.value for option in menu.item.options]

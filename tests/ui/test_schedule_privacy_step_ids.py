"""The typed families of the schedule, /forget, reflect and breathe build exactly the ids the
old `button(label, area, *args)` built, and parse every id already posted that way."""

from __future__ import annotations

from typing import Any

import pytest

from bot.ui.components import TypedButton
from bot.ui.privacy import ForgetButton
from bot.ui.schedule_events import StartButton
from bot.ui.steps.breathe import BreatheButton
from bot.ui.steps.reflect import ReflectButton

# The ids as the old `button(label, area, *args)` wrote them, character for character.
OLD_AND_NEW: list[tuple[str, type[TypedButton], dict[str, object]]] = [
    ("chorus:schedule:start:42", StartButton, {"occurrence_id": 42}),
    (
        "chorus:forget:yes:1456074443980800021",
        ForgetButton,
        {"answer": "yes", "user_id": 1456074443980800021},
    ),
    ("chorus:forget:no:7", ForgetButton, {"answer": "no", "user_id": 7}),
    ("chorus:reflect:12:3", ReflectButton, {"run_id": 12, "step_index": 3}),
    ("chorus:breathe:12:0", BreatheButton, {"run_id": 12, "step_index": 0}),
]


@pytest.mark.parametrize(("posted", "family", "fields"), OLD_AND_NEW)
def test_the_family_builds_and_parses_the_old_id(
    posted: str, family: type[TypedButton], fields: dict[str, Any]
) -> None:
    assert family.custom_id_for(**fields) == posted
    match = family.__discord_ui_compiled_template__.fullmatch(posted)
    assert match is not None
    assert {name: convert(match[name]) for name, convert in family.fields} == fields
    item = family.button("Press", **fields)
    assert item.custom_id == posted


@pytest.mark.parametrize("posted", ["chorus:forget:maybe:7", "chorus:forget:delete:7"])
def test_a_forget_answer_is_yes_or_no(posted: str) -> None:
    """Only Delete my data ("yes") and Keep it ("no") are /forget answers: any other word is no
    id of ours, so discord.py never builds the button for it."""
    assert ForgetButton.__discord_ui_compiled_template__.fullmatch(posted) is None

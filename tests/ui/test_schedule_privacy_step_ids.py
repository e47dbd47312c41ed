"""The typed families of the schedule, /forget, reflect and breathe build exactly the ids the
old `button(label, area, *args)` built, and parse every id already posted that way."""

from __future__ import annotations

import pytest

from bot.ui.components import TypedButton, custom_id
from bot.ui.privacy import ForgetButton
from bot.ui.schedule_events import StartButton
from bot.ui.steps.breathe import BreatheButton
from bot.ui.steps.reflect import ReflectButton

OLD_AND_NEW: list[tuple[tuple[object, ...], type[TypedButton], dict[str, object]]] = [
    (("schedule", "start", 42), StartButton, {"occurrence_id": 42}),
    (
        ("forget", "yes", 1456074443980800021),
        ForgetButton,
        {"answer": "yes", "user_id": 1456074443980800021},
    ),
    (("forget", "no", 7), ForgetButton, {"answer": "no", "user_id": 7}),
    (("reflect", 12, 3), ReflectButton, {"run_id": 12, "step_index": 3}),
    (("breathe", 12, 0), BreatheButton, {"run_id": 12, "step_index": 0}),
]


@pytest.mark.parametrize(("old", "family", "fields"), OLD_AND_NEW)
def test_the_family_builds_and_parses_the_old_id(
    old: tuple[object, ...], family: type[TypedButton], fields: dict[str, object]
) -> None:
    posted = custom_id(str(old[0]), *old[1:])
    assert family.custom_id_for(**fields) == posted
    match = family.__discord_ui_compiled_template__.fullmatch(posted)
    assert match is not None
    assert {name: convert(match[name]) for name, convert in family.fields} == fields
    item = family.button("Press", **fields)
    assert item.custom_id == posted

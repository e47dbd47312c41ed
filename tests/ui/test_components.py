"""Typed component families: one id spec builds and parses every id of a family."""

from __future__ import annotations

import pytest

from bot.ui.board import BoardButton
from bot.ui.components import CUSTOM_ID_MAX, FAMILIES, compile_spec


def test_a_family_builds_the_id_it_parses() -> None:
    item = BoardButton.button("Join", action="join", session_id=42)
    assert item.custom_id == "chorus:board:join:42"
    match = BoardButton.__discord_ui_compiled_template__.fullmatch(item.custom_id)
    assert match is not None
    assert (match["action"], int(match["session_id"])) == ("join", 42)
    assert (item.action, item.session_id) == ("join", 42)


def test_fields_are_typed_and_ids_bounded() -> None:
    template, fields = compile_spec("chorus:x:{n:int}:{name}:{w:word}")
    assert [name for name, _ in fields] == ["n", "name", "w"]
    assert template.fullmatch("chorus:x:-3:a.b_C-1:ab_c")
    assert not template.fullmatch("chorus:x:3a:ok:ab")
    with pytest.raises(ValueError, match="bad custom id"):
        BoardButton.custom_id_for(action="Join Now", session_id=1)
    with pytest.raises(ValueError, match="bad custom id"):
        BoardButton.custom_id_for(action="j" * CUSTOM_ID_MAX, session_id=1)
    with pytest.raises(ValueError, match="twice"):
        compile_spec("chorus:{a}:{a}")


def test_no_two_families_claim_the_same_id() -> None:
    # discord.py dispatches a click to every class whose template matches: one owner per id.
    import bot.app  # noqa: F401  (loads every family)

    for family in FAMILIES:
        sample = family.id_format.format(
            **{name: 1 if convert is int else "x" for name, convert in family.fields}
        )
        owners = [f for f in FAMILIES if f.__discord_ui_compiled_template__.fullmatch(sample)]
        assert owners == [family], sample

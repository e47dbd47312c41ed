"""The listen, vote and write steps' typed components keep the ids already posted on servers.

Each family builds exactly the id the older `chorus:<area>:<args>` protocol built, and parses
such an id back into its named, typed fields; no other family claims it.
"""

from __future__ import annotations

import re

import discord
import pytest

from bot.core.steps.vote import VoteChoice
from bot.ui.components import FAMILIES, TypedComponent
from bot.ui.steps.listen import ListenReflectButton, ReactButton
from bot.ui.steps.vote import VoteSelect, vote_select
from bot.ui.steps.write import LyricsButton


def parsed(family: type[TypedComponent], posted: str) -> dict[str, object]:
    """The typed fields `family` reads from an id posted earlier (fails if it doesn't match)."""
    match = family.__discord_ui_compiled_template__.fullmatch(posted)
    assert match is not None, posted
    owners = [f for f in FAMILIES if f.__discord_ui_compiled_template__.fullmatch(posted)]
    assert owners == [family], posted
    return {name: convert(match[name]) for name, convert in family.fields}


@pytest.mark.parametrize(
    ("family", "posted", "fields"),
    [
        (ReactButton, "chorus:react:12:3:4", {"run_id": 12, "step_index": 3, "choice": 4}),
        (ListenReflectButton, "chorus:listenreflect:12:3", {"run_id": 12, "step_index": 3}),
        (VoteSelect, "chorus:vote:7:0", {"run_id": 7, "step_index": 0}),
        (
            LyricsButton,
            "chorus:lyrics:write:5:1",
            {"action": "write", "run_id": 5, "step_index": 1},
        ),
        (LyricsButton, "chorus:lyrics:pass:5:1", {"action": "pass", "run_id": 5, "step_index": 1}),
        (LyricsButton, "chorus:lyrics:edit:5:1", {"action": "edit", "run_id": 5, "step_index": 1}),
        (
            LyricsButton,
            "chorus:lyrics:withdraw:5:1",
            {"action": "withdraw", "run_id": 5, "step_index": 1},
        ),
        # No longer drawn, but still on messages posted by older versions.
        (
            LyricsButton,
            "chorus:lyrics:remove:5:1",
            {"action": "remove", "run_id": 5, "step_index": 1},
        ),
    ],
)
def test_posted_ids_parse_into_typed_fields(
    family: type[TypedComponent], posted: str, fields: dict[str, object]
) -> None:
    assert parsed(family, posted) == fields
    # ... and the family builds the very same id from those fields.
    assert family.custom_id_for(**fields) == posted


def test_built_ids_are_the_legacy_format() -> None:
    react = ReactButton.button("Calm", run_id=12, step_index=3, choice=4)
    assert react.custom_id == "chorus:react:12:3:4"
    assert (react.run_id, react.step_index, react.choice) == (12, 3, 4)
    reflect = ListenReflectButton.button("Reflect", run_id=12, step_index=3)
    assert reflect.custom_id == "chorus:listenreflect:12:3"
    line = LyricsButton.button("Write my line", action="write", run_id=5, step_index=1)
    assert line.custom_id == "chorus:lyrics:write:5:1"
    choice = VoteChoice(key="a", label="Morning")
    select = vote_select(7, 0, [choice], "en")
    assert isinstance(select, VoteSelect)
    assert select.custom_id == "chorus:vote:7:0"
    assert isinstance(select.item, discord.ui.Select)
    assert [o.value for o in select.item.options] == ["a"]
    assert re.fullmatch(r"1\. Morning", select.item.options[0].label)

"""What a simulated member sees of a message: its buttons with their custom id's area and
arguments, and its text."""

from __future__ import annotations

from bot.demo.controls import Control, controls_of, embed_text, visible_to
from bot.demo.world import DemoWorld


def test_a_custom_id_gives_the_area_and_its_arguments() -> None:
    join = Control("chorus:board:join:41", "Join", "button", False)
    assert (join.area, join.args) == ("board", ["join", "41"])
    other = Control("somebody-else:thing", "Other", "button", False)
    assert (other.area, other.args) == ("", [])


async def test_the_board_shows_its_join_button_and_text_to_everyone(world: DemoWorld) -> None:
    board = world.channel.history()[-1]
    found = controls_of(board)
    assert any(c.area == "board" and c.args[:1] == ["join"] and not c.disabled for c in found)
    assert all(c.kind == "button" for c in found)
    assert embed_text(board).strip()
    assert all(visible_to(board, member) for member in world.members)

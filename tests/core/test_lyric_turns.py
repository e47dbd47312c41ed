"""Whose turn it is to write: the rotation, the next writer present, the refusal out of turn."""

from __future__ import annotations

from bot.core.lyric_turns import current_writer, next_after, rotation, takes_turns, turn_refusal
from tests.core.test_lyrics import write_step

ANA, BEN, CAI = 1, 2, 3


def test_the_rotation_keeps_join_order_and_appends_newcomers() -> None:
    assert rotation({"order": [BEN, ANA]}, [ANA, BEN, CAI]) == [BEN, ANA, CAI]
    assert rotation({}, [CAI, ANA]) == [CAI, ANA]


def test_the_next_writer_wraps_round_and_skips_leavers() -> None:
    order = [ANA, BEN, CAI]
    assert next_after(order, [ANA, BEN, CAI], ANA) == BEN
    assert next_after(order, [ANA, CAI], ANA) == CAI  # Ben left
    assert next_after(order, [ANA, BEN, CAI], CAI) == ANA
    assert next_after(order, [], ANA) is None and next_after([], [ANA], None) is None


def test_the_current_writer_moves_on_when_they_left() -> None:
    state = {"order": [ANA, BEN, CAI], "turn": BEN}
    assert current_writer(state, [ANA, BEN, CAI]) == BEN
    assert current_writer(state, [ANA, CAI]) == CAI
    assert current_writer({"order": [ANA, BEN]}, [ANA, BEN]) == ANA


def test_only_turn_modes_take_turns() -> None:
    assert takes_turns(write_step(turns="round_robin"))
    assert takes_turns(write_step(turns="hidden"))
    assert not takes_turns(write_step(turns="open"))


def test_an_anonymous_song_never_names_whose_turn_it_is() -> None:
    named = turn_refusal(write_step(), BEN, in_circle=True)
    assert f"<@{BEN}>" in named.text("en")
    hidden = turn_refusal(write_step(anonymous=True), BEN, in_circle=False)
    assert "<@" not in hidden.text("en") and "Join the session" in hidden.text("en")

"""Member text made safe to show (bot/core/text.py): bounded, visible, no hidden controls."""

from __future__ import annotations

import pytest

from bot.core.text import clean_member_text, shorten


def test_invisible_and_control_characters_are_taken_out() -> None:
    disguised = "safe\u202etxt.exe\u200b and\x07 bell\ufeff"
    assert clean_member_text(disguised, 100) == "safetxt.exe and bell"
    assert clean_member_text("e\u0301", 10) == "\u00e9"  # one character, as it is shown


def test_joiners_that_emoji_and_scripts_need_are_kept() -> None:
    flag, yoga, persian = "🏳️\u200d🌈", "🧘\u200d♀️", "می\u200cخواهم"
    assert clean_member_text(f"{flag} {yoga} {persian}", 100) == f"{flag} {yoga} {persian}"
    # Where they join nothing (at an end, beside a space, repeated) they are dropped.
    assert clean_member_text("\u200dx\u200d\u200d\u200cy \u200cz\u200d", 100) == "x\u200dy z"
    assert clean_member_text("a\u200e\u200fb\u2066c", 100) == "abc"


def test_lines_are_kept_blank_runs_folded_or_all_one_line() -> None:
    text = "  first  \n\n\n\n second\t\n"
    assert clean_member_text(text, 100) == "first\n\n second"
    assert clean_member_text(text, 100, single_line=True) == "first second"


@pytest.mark.parametrize(
    ("text", "limit", "shown"),
    [
        ("short", 10, "short"),
        ("one two three four", 12, "one two…"),  # cut at a word
        ("abcdefghijklmnop", 8, "abcdefg…"),  # one long word: cut inside it
        ("a bcdefghijklmnop", 8, "a bcdef…"),  # a boundary too early keeps less than half
        ("anything", 1, "…"),
        ("anything", 0, ""),
    ],
)
def test_shorten_is_visible_and_within_the_limit(text: str, limit: int, shown: str) -> None:
    assert shorten(text, limit) == shown
    assert len(shown) <= limit

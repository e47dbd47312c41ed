"""The small formatting every presenter shares (bot/ui/format.py)."""

from __future__ import annotations

import pytest

from bot.ui.format import (
    FIELD_MAX,
    clock_and_relative,
    duration,
    field,
    name_list,
    plain_name,
    plural,
    sentence,
)


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0 s"),
        (59.4, "59 s"),
        (60, "1 min"),
        (90, "1 min 30 s"),
        (3600, "1 h 0 min"),
        (3725, "1 h 2 min"),
    ],
)
def test_durations_read_as_a_person_says_them(seconds: float, shown: str) -> None:
    assert duration(seconds, "en") == shown


def test_member_names_are_made_inert() -> None:
    assert plain_name("**Ana**  @everyone\nnew line") == "\\*\\*Ana\\*\\* @\u200beveryone new line"
    assert plain_name(None) == "" and plain_name("") == ""
    assert len(plain_name("x" * 100)) == 40


def test_a_name_list_stays_within_its_field_and_counts_the_rest() -> None:
    assert name_list([], {}, locale="en") == "Nobody yet"
    assert name_list([1, 2], {1: "Ana"}, locale="en") == "Ana, a member"
    names = {uid: f"Member {uid:04d}" for uid in range(200)}
    shown = name_list(list(names), names, limit=60, locale="en")
    assert len(shown) <= 60 and shown.startswith("Member 0000, ")
    listed = shown.split(" and ")[0].count(",") + 1
    assert shown.endswith(f" and {200 - listed} more")


def test_a_field_is_never_empty_nor_over_discords_limit() -> None:
    assert field("") == "\u200b"
    assert len(field("word " * 1000)) <= FIELD_MAX


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("You're in", "You're in."),
        ("**How are you arriving?**", "**How are you arriving?**"),
        ("“Done!”", "“Done!”"),
        ("Wait…", "Wait…"),
        ("Saved.", "Saved."),
    ],
)
def test_a_sentence_ends_with_exactly_one_stop(text: str, shown: str) -> None:
    assert sentence(text) == shown


def test_plurals_and_timestamps() -> None:
    assert plural(1, "step") == "1 step" and plural(2, "step") == "2 steps"
    assert plural(3, "person", "people") == "3 people"
    assert clock_and_relative(1_700_000_000.9) == "<t:1700000000:t> (<t:1700000000:R>)"

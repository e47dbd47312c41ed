"""A member's line: cleaned for the sheet, checked against a strict song's guide, refused with
every problem worded in the reader's language."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.errors import InvalidInput
from bot.core.lyric_lines import (
    LineRefused,
    check_line,
    clean_line,
    hidden_clue,
    previous_line,
    typed_line_number,
)
from bot.core.lyric_slots import slots
from tests.core.test_lyrics import write_step

WRITTEN: dict[int, dict[str, Any]] = {0: {"text": "the kettle on the stove", "author": 1}}


def test_clean_line_strips_mentions_and_markdown() -> None:
    assert clean_line("hi <@123> and @everyone **loud** `code`") == "hi and everyone loud code"
    assert clean_line("# big\nheading > quote") == "big heading > quote"
    assert clean_line("[click](https://x.y) <:smile:42>") == "click :smile:"
    assert clean_line("a" * 500, 50).endswith("…")


def test_the_line_before_and_the_hidden_clue() -> None:
    assert previous_line(WRITTEN, 1) == "the kettle on the stove"
    assert previous_line(WRITTEN, 0) is None
    assert hidden_clue(WRITTEN, 1) == "stove"
    assert hidden_clue(WRITTEN, 0) is None


def test_a_lenient_line_outside_the_guide_is_kept_and_flagged() -> None:
    step = write_step(strict=False, constraints={"max_chars": 10})
    checked = check_line(step, slots(step, "en")[1], WRITTEN, "a rather long line of words", "en")
    assert checked.text == "a rather long line of words" and "long" in checked.flags


def test_a_strict_line_is_refused_with_every_problem_in_the_readers_language() -> None:
    step = write_step(strict=True, constraints={"max_chars": 10, "syllables": {"min": 2, "max": 3}})
    with pytest.raises(LineRefused) as refused:
        check_line(step, slots(step, "en")[1], WRITTEN, "a rather long line of words", "en")
    problems = refused.value.text("en").split("\n")
    assert len(problems) == 2
    assert "27 characters long" in problems[0] and "syllables" in problems[1]
    assert refused.value.text("de") != refused.value.text("en")


def test_an_empty_line_is_refused() -> None:
    step = write_step()
    with pytest.raises(InvalidInput, match="empty"):
        check_line(step, slots(step, "en")[0], {}, "  **  ", "en")


def test_a_typed_line_number_is_a_number_or_refused_with_an_example() -> None:
    assert typed_line_number(" 3 ") == 3
    for typed in ("three", "-1", "", "2.5"):
        with pytest.raises(InvalidInput, match=r"as shown on the lyric sheet, e\.g\. 3"):
            typed_line_number(typed)

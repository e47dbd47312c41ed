"""The song's shape: slots, template blanks, and how many characters each fill may take."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.core.errors import InvalidInput
from bot.core.lyric_slots import (
    HARD_MAX_CHARS,
    allowance,
    blanks,
    fill_template,
    slots,
    split_fills,
)
from tests.core.test_lyrics import write_step


def test_slots_follow_the_structure_section_by_section() -> None:
    step = write_step(structure=[{"name": "verse", "lines": 2}, {"name": "verse", "lines": 1}])
    found = slots(step, "en")
    assert [(s.position, s.section, s.section_number, s.line_in_section) for s in found] == [
        (0, "verse", 1, 1),
        (1, "verse", 1, 2),
        (2, "verse", 2, 1),
    ]
    assert found[1].label == "line 2 (verse, line 2)"


def test_blanks_count_three_or_more_underscores() -> None:
    assert blanks("I ___ and ____, not __") == 2
    assert blanks(None) == 0 and blanks("no blanks") == 0


def test_a_line_with_blanks_wants_as_many_parts() -> None:
    assert split_fills("just one", 1) == ["just one"]
    with pytest.raises(InvalidInput, match="2 blanks"):
        split_fills("only one part", 2)


def test_template_helpers() -> None:
    assert split_fills("tea / toast", 2) == ["tea", "toast"]
    assert fill_template("a ___ b ____", ["x", "y"]) == "a x b y"
    assert [s.template for s in slots(write_step(structure=None, template=["___ go"]), "en")] == [
        "___ go"
    ]


def test_form_allowance_fits_the_step_limit() -> None:
    step = write_step(
        structure=None,
        template=["I ___", "and ___, even though ___"],
        constraints={"max_chars": 40},
    )
    one, two = slots(step, "en")
    assert allowance(step, one) == 40
    # Two blanks at their full allowance, joined with " / ", still fit in 40.
    assert allowance(step, two) == 18 and 18 + 3 + 18 <= 40
    # The largest allowance the validator accepts is the one a writer gets.
    assert (
        allowance(write_step(constraints={"max_chars": 500}), slots(write_step(), "en")[0]) == 500
    )


def test_the_validator_and_the_runtime_agree_on_line_length() -> None:
    """What `chorus validate` accepts for max_chars is what the line form and the rules allow."""
    step = write_step(constraints={"max_chars": HARD_MAX_CHARS}, strict=True)
    assert allowance(step, slots(step, "en")[0]) == HARD_MAX_CHARS
    with pytest.raises(ValidationError):
        write_step(constraints={"max_chars": HARD_MAX_CHARS + 1})

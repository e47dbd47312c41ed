"""Typed form ids: every family builds and parses its own id, and no id is two families'."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pytest

# The modules that define the form families (all in bot/ui: a cog's module may be imported
# afresh when its extension is loaded again, which would make a second class of a family).
import bot.ui.activity_builder
import bot.ui.checkins
import bot.ui.goals
import bot.ui.listening
import bot.ui.lyrics_forms
import bot.ui.reflection
import bot.ui.steps.round  # noqa: F401
from bot.ui.form_ids import FORM_FAMILIES, FormId
from bot.ui.lyrics_forms import EditLineFormId, LineFormId
from bot.ui.steps.round import RoundFormId


def families() -> list[type[FormId]]:
    return [f for f in FORM_FAMILIES if f.__module__.startswith("bot.")]


def test_every_form_family_declares_exactly_the_fields_of_its_spec() -> None:
    assert len(families()) == 11  # with a step kind's answer form (AnswerFormId)
    for family in families():
        # Each family is made a dataclass by its own @dataclass decorator, which mypy can't
        # see through the list's declared type (type[FormId]).
        declared = [f.name for f in dataclasses.fields(family)]  # type: ignore[arg-type]
        assert declared == [name for name, _ in family.fields], family.__name__
        assert family.spec.startswith(f"chorus:{family.area}"), family.spec


def sample(family: type[FormId]) -> FormId:
    """An instance of `family` with a value of each field's type."""
    values = {
        name: ("prompt" if convert is str else index + 7)
        for index, (name, convert) in enumerate(family.fields)
    }
    return family(**values)


@pytest.mark.parametrize("family", families(), ids=lambda f: f.__name__)
def test_a_family_reads_back_the_id_it_builds_and_no_other_family_does(
    family: type[FormId],
) -> None:
    form = sample(family)
    assert family.parse(form.custom_id) == form
    others = [f.__name__ for f in families() if f is not family and f.parse(form.custom_id)]
    assert others == []


def test_ids_have_the_shape_already_posted() -> None:
    # Literal ids as Chorus built them before the typed form ids (main, 5ae81c6).
    assert RoundFormId(run_id=1, step_index=0, turn_no=2).custom_id == "chorus:form_round:1:0:2"
    assert LineFormId(run_id=3, step_index=4, position=0).custom_id == "chorus:form_line:line:3:4:0"
    assert EditLineFormId.parse("chorus:form_line:edit:3:4:0") == EditLineFormId(
        run_id=3, step_index=4, position=0
    )


@pytest.mark.parametrize(
    "custom_id",
    [
        "chorus:form_round:1:0",  # a field missing
        "chorus:form_round:1:0:2:9",  # one too many
        "chorus:form_round:one:0:2",  # not a number
        "chorus:form_line:line:1:2:3",  # another family's
        "chorus:form_round:1:0:2 ",
        "",
        "someone-else:1:0:2",
    ],
)
def test_anything_else_parses_as_none_never_an_error(custom_id: str) -> None:
    assert RoundFormId.parse(custom_id) is None


def test_values_that_dont_fit_the_spec_are_refused_when_building() -> None:
    from bot.ui.activity_builder import StepFormId

    with pytest.raises(ValueError, match="bad form id"):
        _ = StepFormId(kind="Not a kind!").custom_id
    with pytest.raises(ValueError, match="bad form id"):
        _ = StepFormId(kind="x" * 100).custom_id  # over Discord's 100 characters


def test_a_family_is_one_small_class() -> None:
    @dataclass(frozen=True)
    class Sample(FormId, spec="chorus:form_sample:{run_id:int}:{word:word}"):
        run_id: int
        word: str

    try:
        assert Sample(run_id=5, word="hi").custom_id == "chorus:form_sample:5:hi"
        assert Sample.parse("chorus:form_sample:-1:a_b") == Sample(run_id=-1, word="a_b")
        assert Sample.area == "form_sample"
    finally:
        FORM_FAMILIES.remove(Sample)

"""The one registry of step kinds: models, handlers, presenters and the schema agree.

No list of kinds is kept here: every check reads the registry (`step_kinds()`) and the two kind
packages, so a kind added in its two files passes as it is."""

from __future__ import annotations

import pkgutil
import typing
from types import ModuleType

import pytest
from pydantic import BaseModel

import bot.core.steps as core_steps
import bot.ui.steps as ui_steps
from bot.core.activities import Activity, activity_json_schema
from bot.core.activity_builder import step_forms
from bot.core.activity_models import step_types
from bot.core.steps import step_handlers, step_kinds, step_type_names, summary_counts
from bot.core.steps.base import BaseStepHandler, type_argument
from bot.ui.steps import presented_model, presenters


def _modules(package: ModuleType) -> set[str]:
    path = package.__path__
    return {info.name for info in pkgutil.iter_modules(path)} - {"base"}


def test_models_handlers_and_presenters_name_the_same_kinds() -> None:
    kinds = step_kinds()
    names = [kind.name for kind in kinds]
    # Documentation order (as error messages and the schema list them): by `order`, then name.
    assert kinds == tuple(sorted(kinds, key=lambda kind: (kind.order, kind.name)))
    assert len(set(names)) == len(names) > 0
    assert set(names) == _modules(core_steps) == _modules(ui_steps)
    handlers = step_handlers()
    shown = presenters()
    for kind in kinds:
        literal = typing.get_args(kind.model.model_fields["type"].annotation)
        assert literal == (kind.name,)
        assert kind.model.__module__ == f"bot.core.steps.{kind.name}"
        assert handlers[kind.name].kind == kind.name
        # Typed by the kind's model, so mypy checks every field the handler reads of ctx.step.
        assert type_argument(type(handlers[kind.name]), BaseStepHandler) is kind.model
        assert shown[kind.name].kind == kind.name
        assert type(shown[kind.name]).__module__ == f"bot.ui.steps.{kind.name}"
        # Typed by the kind's model, so mypy checks every field the presenter reads (a model of
        # the kind: the trial kind, tried in a copy of the tree, imports its tests/ twin).
        model = presented_model(shown[kind.name])
        assert model is not None and model.__name__ == kind.model.__name__
        assert issubclass(model, BaseModel), model
        assert typing.get_args(model.model_fields["type"].annotation) == (kind.name,)


def test_the_activity_union_and_schema_derive_from_the_registry() -> None:
    assert step_types() == tuple(kind.model for kind in step_kinds())
    assert step_type_names() == [kind.name for kind in step_kinds()]
    annotation = Activity.model_fields["steps"].annotation
    (union,) = typing.get_args(annotation)
    members = typing.get_args(typing.get_args(union)[0])
    assert members == step_types()
    mapping = activity_json_schema()["properties"]["steps"]["items"]
    assert sorted(mapping["discriminator"]["mapping"]) == sorted(step_type_names())


def test_a_kind_module_must_be_named_by_its_type() -> None:
    before = step_type_names()
    with pytest.raises(RuntimeError, match="named by its type"):
        core_steps.add_package("tests.steps_example.misnamed")
    assert step_type_names() == before


def test_a_kind_without_a_presenter_stops_the_presenters() -> None:
    before = sorted(presenters())
    assert before == sorted(step_type_names())
    core_steps.add_package("tests.steps_example.core")
    try:
        with pytest.raises(RuntimeError, match="'hum' has no presenter"):
            presenters()
    finally:
        core_steps.remove_package("tests.steps_example.core")
    assert sorted(presenters()) == before


def test_a_presenter_typed_by_another_kinds_model_stops_the_presenters() -> None:
    before = sorted(presenters())
    core_steps.add_package("tests.steps_example.core")
    ui_steps.add_package("tests.steps_example.mistyped")
    try:
        with pytest.raises(RuntimeError, match="'hum' reads PromptStep, not a model of the kind"):
            presenters()
    finally:
        ui_steps.remove_package("tests.steps_example.mistyped")
        core_steps.remove_package("tests.steps_example.core")
    assert sorted(presenters()) == before


def test_the_activity_builder_offers_the_registered_kinds_with_a_form() -> None:
    offered = list(step_forms())
    assert offered == [kind.name for kind in step_kinds() if kind.form is not None]
    assert "round" in step_type_names() and "round" not in offered  # a round is YAML only
    for kind in step_kinds():
        if kind.form is not None:
            assert kind.form.fields[0].key == "title"
            assert len(kind.form.fields) <= 5  # a Discord form holds at most five inputs


def test_the_summary_counts_what_the_kinds_declare() -> None:
    """The session summary's words for each contribution kind are the kinds' own; a contribution
    kind several kinds offer (a pass) is declared by each with the one shared `SummaryCount`."""
    counts = summary_counts()
    declared = [(name, kind) for kind in step_kinds() for name in kind.summary_counts]
    assert declared and {name for name, _ in declared} == set(counts)
    for name, kind in declared:
        assert kind.summary_counts[name] == counts[name], (kind.name, name)
    offered_twice = {name for name, _ in declared if [n for n, _ in declared].count(name) > 1}
    assert offered_twice, "a contribution kind shared by kinds (a pass) is declared by each"
    for count in counts.values():
        assert "{count}" in count.one and "{count}" in count.many and "{k}" in count.few


def test_two_kinds_counting_one_contribution_kind_in_other_words_stop_the_summary() -> None:
    before = summary_counts()
    core_steps.add_package("tests.steps_example.clash")
    try:
        with pytest.raises(RuntimeError, match="'clap' counts 'pass' contributions"):
            summary_counts()
    finally:
        core_steps.remove_package("tests.steps_example.clash")
    assert summary_counts() == before

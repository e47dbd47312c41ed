"""Prompt pools: the `pool:` text field (validated with located errors) and the draw rule."""

from __future__ import annotations

import itertools
import random
import textwrap
from pathlib import Path

from bot.core.field_texts import TextPool
from bot.core.pools import draws_for, next_alternative, pool_key, pooled_fields, resolve
from bot.core.steps.reflect import ReflectStep
from tests.core.test_activity_loader import errors_for

QUESTIONS = ["What stayed with you?", "What surprised you?", "What will you take home?"]


def test_a_pool_is_drawn_without_repeats_until_exhausted_then_starts_over() -> None:
    rng = random.Random(7)
    history: list[int] = []
    for _ in range(4 * len(QUESTIONS)):
        history.append(next_alternative(history, len(QUESTIONS), rng))
    rounds = [history[i : i + 3] for i in range(0, len(history), 3)]
    for drawn in rounds:
        assert sorted(drawn) == [0, 1, 2], history
    for before, after in itertools.pairwise(rounds):
        assert after[0] != before[-1], "a new round never opens with the question just shown"


def test_a_shortened_pool_ignores_draws_out_of_range() -> None:
    assert next_alternative([5, 7, 0], 2, random.Random(1)) == 1


def test_pooled_fields_are_found_and_resolved_by_path() -> None:
    step = ReflectStep.model_validate(
        {"type": "reflect", "title": "Look back", "question": {"pool": QUESTIONS}}
    )
    pools = pooled_fields(step)
    assert list(pools) == ["question"]
    assert pools["question"] == TextPool(pool=tuple(QUESTIONS))
    shown = resolve(step, draws_for({"pools": {"4": {"question": 2}}}, 4))
    assert shown.question == QUESTIONS[2]
    assert resolve(step, {}).question == QUESTIONS[0]
    assert step.question == TextPool(pool=tuple(QUESTIONS)), "the definition is left as it was"


def test_the_pool_survives_the_run_definition_round_trip() -> None:
    step = ReflectStep.model_validate(
        {"type": "reflect", "title": "Look back", "question": {"pool": QUESTIONS}}
    )
    again = ReflectStep.model_validate_json(step.model_dump_json())
    assert again == step
    assert isinstance(again.question, TextPool) and isinstance(step.question, TextPool)
    assert pool_key(again.question) == pool_key(step.question)


def test_a_pool_of_locale_maps_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            id: demo
            title: Demo
            summary: A demo.
            version: 1
            duration_minutes: 10
            steps:
              - type: reflect
                title: Look back
                question:
                  pool:
                    - {en: What stayed with you?, de: Was ist dir geblieben?}
                    - What surprised you?
            """
        ),
        encoding="utf-8",
    )
    from tests.activity_files import load_file

    loaded = load_file(path, tmp_path / "media")
    assert not isinstance(loaded, list), loaded
    step = loaded.steps[0]
    assert isinstance(step, ReflectStep), step
    question = step.question
    assert isinstance(question, TextPool) and len(question.pool) == 2


def test_a_pool_needs_two_alternatives(tmp_path: Path) -> None:
    errors = errors_for(
        tmp_path,
        """\
          - type: reflect
            title: Look back
            question:
              pool: [Only one]
        """,
    )
    assert len(errors) == 1
    assert errors[0].startswith("demo.yaml:10:"), errors
    assert "steps[0].question" in errors[0]
    assert "a pool needs between 2 and 50 alternatives; got 1" in errors[0]


def test_an_empty_alternative_is_named_by_its_place(tmp_path: Path) -> None:
    errors = errors_for(
        tmp_path,
        """\
          - type: reflect
            title: Look back
            question:
              pool: [What stayed with you?, "  "]
        """,
    )
    assert len(errors) == 1 and "pool alternative 2: must not be empty" in errors[0], errors


def test_a_pool_with_another_key_is_refused(tmp_path: Path) -> None:
    errors = errors_for(
        tmp_path,
        """\
          - type: reflect
            title: Look back
            question:
              pool: [What stayed with you?, What surprised you?]
              shuffle: true
        """,
    )
    assert len(errors) == 1, errors
    assert (
        "a pool is written as pool: and a list of alternatives; got the keys pool, shuffle"
        in (errors[0])
    )


def test_the_activity_summary_takes_no_pool(tmp_path: Path) -> None:
    header = "id: demo\ntitle: Demo\nsummary: {pool: [One, Two]}\nversion: 1\nduration_minutes: 10\nsteps:\n"
    errors = errors_for(
        tmp_path, "  - type: prompt\n    title: Hi\n    text: Hello\n", header=header
    )
    assert len(errors) == 1 and "summary" in errors[0], errors

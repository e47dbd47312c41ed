"""The activity builder's draft: a header, steps from each kind's form, the YAML an activity
file holds, read back from its fenced message, and refusals for what can't be read or fit."""

from __future__ import annotations

import pytest

from bot.core.activities import Activity
from bot.core.activity_builder import (
    DRAFT_MAX,
    fenced,
    new_draft,
    parse,
    render,
    step_forms,
    step_from_form,
)
from bot.core.errors import InvalidInput
from bot.core.steps import step_kinds


def test_the_builder_offers_the_registered_kinds_that_have_a_form_in_their_order() -> None:
    offered = list(step_forms())
    with_form = [kind.name for kind in step_kinds() if kind.form is not None]
    assert offered == with_form and "prompt" in offered and "reflect" in offered


def test_a_draft_round_trips_through_its_message_and_validates_as_an_activity() -> None:
    draft = new_draft("evening", "  Evening circle ", " A calm close ", 20)
    draft["steps"].append(
        step_from_form("prompt", {"title": " Arrive ", "text": "Settle in.", "time_limit": "2m"})
    )
    draft["steps"].append(
        step_from_form("reflect", {"title": "Look back", "question": "What stayed?"})
    )
    assert draft["title"] == "Evening circle" and draft["summary"] == "A calm close"
    assert draft["steps"][0] == {
        "type": "prompt",
        "title": "Arrive",
        "text": "Settle in.",
        "time_limit": "2m",
    }
    text = render(draft)
    assert text.startswith("id: evening\ntitle: Evening circle\n")  # keys in written order
    message = fenced(text)
    assert message.startswith("```yaml\n") and message.endswith("```")
    assert parse(message) == draft
    activity = Activity.model_validate(parse(message))
    assert [step.type for step in activity.steps] == ["prompt", "reflect"]


def test_an_unknown_kind_an_unreadable_draft_or_one_too_long_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no step kind called “dance”"):
        step_from_form("dance", {"title": "x"})
    for broken in ("no fence at all", "```yaml\n- a list\n```", "```yaml\nid: [unclosed\n```"):
        with pytest.raises(InvalidInput, match="can't read this draft"):
            parse(broken)
    with pytest.raises(InvalidInput, match="too long to build here"):
        fenced("x" * (DRAFT_MAX + 1))

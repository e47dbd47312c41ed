"""The activity models on their own: the activity, its steps, scales, and snapshot round-trips."""

import pytest
from pydantic import ValidationError

from bot.core.activities import Activity
from bot.core.steps.breathe import BreatheStep
from bot.core.steps.checkin import CheckinStep
from bot.core.steps.write import WriteStep


def minimal(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "id": "demo",
        "title": "Demo",
        "summary": "A demo.",
        "version": 1,
        "duration_minutes": 5,
        "steps": [{"type": "prompt", "title": "Hello", "text": "Welcome."}],
    }
    data.update(overrides)
    return data


def test_time_limit_is_parsed_to_seconds() -> None:
    activity = Activity.model_validate(
        minimal(steps=[{"type": "prompt", "title": "Hi", "text": "Hi", "time_limit": "1m30s"}])
    )
    assert activity.steps[0].time_limit == 90
    assert activity.steps[0].advance == "facilitator"


def test_write_step_template_sets_the_line_count() -> None:
    step = WriteStep.model_validate(
        {"type": "write", "title": "W", "theme": "t", "template": ["I feel ___", "because ___"]}
    )
    assert step.total_lines == 2
    assert step.constraints.max_chars == 120
    assert step.strict is True
    assert step.turn_seconds == 90


def test_breathe_step_knows_its_length() -> None:
    step = BreatheStep.model_validate(
        {"type": "breathe", "title": "B", "inhale": 4, "hold": 2, "exhale": 6, "cycles": 5}
    )
    assert step.cycle_seconds == 12
    assert step.total_seconds == 60


def test_checkin_defaults_are_private_and_named() -> None:
    step = CheckinStep.model_validate(
        {"type": "checkin", "title": "C", "question": "Q?", "scale": "1-5"}
    )
    assert step.visibility_default == "private"
    assert step.anonymous is False
    assert step.note.mode == "off"
    assert step.phase == "any"


def test_note_off_is_a_word_not_a_boolean() -> None:
    step = CheckinStep.model_validate(
        {"type": "checkin", "title": "C", "question": "Q?", "scale": "1-5", "note": "optional"}
    )
    assert step.note.mode == "optional"
    assert step.note.max_chars == 300


def test_snapshot_round_trips_through_json() -> None:
    data = minimal(
        title={"en": "Demo", "de": "Demo"},
        steps=[
            {"type": "vote", "title": "V", "question": "Q", "from": "playlist"},
            {"type": "listen", "title": "L", "track": "from_vote"},
            {
                "type": "listen",
                "title": "L2",
                "track": {"title": "T", "artist": "A", "file": "songs/a.ogg", "duration": "3m"},
                "reflection": {"questions": ["Why?"], "reactions": ["calm", "odd"]},
            },
            {"type": "checkin", "title": "C", "question": "Q", "scale": ["a", "b"], "note": True},
            {
                "type": "write",
                "title": "W",
                "theme": "t",
                "structure": [{"name": "verse", "lines": 2}],
            },
            {"type": "reflect", "title": "R", "question": "Q"},
            {"type": "vote", "title": "V2", "question": "Q", "from": "previous"},
            {"type": "breathe", "title": "B", "bpm": 60},
        ],
    )
    activity = Activity.model_validate(data).model_copy(
        update={"source": "x.yaml", "version_hash": "abc"}
    )
    dumped = activity.model_dump(mode="json")
    assert dumped["steps"][0]["from"] == "playlist"
    again = Activity.model_validate(dumped)
    assert again == activity
    assert again.source == "x.yaml"
    assert Activity.model_validate_json(activity.model_dump_json()) == activity


def test_cross_step_rules_apply_without_the_loader() -> None:
    data = minimal(steps=[{"type": "listen", "title": "L", "track": "from_vote"}])
    with pytest.raises(
        ValidationError, match=r"steps\[0\]\.track: track: from_vote needs a vote step"
    ):
        Activity.model_validate(data)


def test_models_are_frozen() -> None:
    activity = Activity.model_validate(minimal())
    with pytest.raises(ValidationError):
        activity.id = "other"  # type: ignore[misc]  # frozen: the point of the test

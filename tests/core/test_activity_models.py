"""The activity models on their own: durations, texts, scales, and snapshot round-trips."""

import pytest
from pydantic import ValidationError

from bot.core.activities import Activity, Scale, format_duration, localize, parse_duration
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


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        (90, 90),
        ("90", 90),
        ("90s", 90),
        ("5m", 300),
        ("1m30s", 90),
        ("1h", 3600),
        ("1h2m3s", 3723),
        ("1:30", 90),
        (" 2m ", 120),
        (120.0, 120),
    ],
)
def test_parse_duration_accepts_the_documented_forms(written: object, seconds: int) -> None:
    assert parse_duration(written) == seconds


@pytest.mark.parametrize(
    "written", ["5 minutes", "", "m", "1.5m", "1:75", True, 1.5, None, [], "5M"]
)
def test_parse_duration_rejects_everything_else(written: object) -> None:
    with pytest.raises(ValueError, match="expected a duration"):
        parse_duration(written)


def test_format_duration_uses_the_file_notation() -> None:
    assert [format_duration(s) for s in (0, 45, 60, 90, 3723)] == [
        "0s",
        "45s",
        "1m",
        "1m30s",
        "1h2m3s",
    ]


def test_localize_falls_back_to_language_then_english_then_any() -> None:
    text = {"en": "Hello", "de": "Hallo", "pt-BR": "Olá"}
    assert localize(text) == "Hello"
    assert localize(text, "de") == "Hallo"
    assert localize(text, "de-AT") == "Hallo"
    assert localize(text, "pt") == "Olá"
    assert localize(text, "PT-br") == "Olá"
    assert localize(text, "fr") == "Hello"
    assert localize({"en-GB": "Colour"}, "fr") == "Colour"
    assert localize({"de": "Nur Deutsch"}, "fr") == "Nur Deutsch"
    assert localize("plain", "de") == "plain"
    assert localize(None) == ""


def test_time_limit_is_parsed_to_seconds() -> None:
    activity = Activity.model_validate(
        minimal(steps=[{"type": "prompt", "title": "Hi", "text": "Hi", "time_limit": "1m30s"}])
    )
    assert activity.steps[0].time_limit == 90
    assert activity.steps[0].advance == "facilitator"


@pytest.mark.parametrize(
    ("written", "kind", "first", "count"),
    [
        ("0-10", "0-10", (0, "0", None), 11),
        ("1-5", "1-5", (1, "very low", "😞"), 5),
        ("sam", "sam", (1, "1 · very unpleasant", None), 9),
        (["low", {"label": "high", "emoji": "🔥", "value": 7}], "custom", (1, "low", None), 2),
    ],
)
def test_scale_kinds_and_options(
    written: object, kind: str, first: tuple[object, ...], count: int
) -> None:
    scale = Scale.model_validate(written)
    assert scale.kind == kind
    options = scale.options()
    assert len(options) == count
    assert tuple(options[0]) == first


def test_sam_has_two_dimensions_with_their_own_labels() -> None:
    scale = Scale.model_validate("sam")
    assert scale.dimensions == ["valence", "arousal"]
    assert scale.options(dimension="arousal")[8].label == "9 · very activated"


def test_custom_scale_labels_are_localized() -> None:
    scale = Scale.model_validate([{"label": {"en": "calm", "de": "ruhig"}}, "tense"])
    assert [o.label for o in scale.options("de")] == ["ruhig", "tense"]
    assert scale.options()[1].value == 2


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
        activity.id = "other"  # type: ignore[misc]

"""Check-in scales (bot/core/scales.py): kinds, options, dimensions and their labels."""

import pytest

from bot.core.scales import Scale


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
    options = scale.options("en")
    assert len(options) == count
    assert tuple(options[0]) == first


def test_sam_has_two_dimensions_with_their_own_labels() -> None:
    scale = Scale.model_validate("sam")
    assert scale.options(dimension="valence", locale="en")[0].label != (
        scale.options(dimension="arousal", locale="en")[0].label
    )
    assert scale.options(dimension="arousal", locale="en")[8].label == "9 · very activated"


def test_custom_scale_labels_are_localized() -> None:
    scale = Scale.model_validate([{"label": {"en": "calm", "de": "ruhig"}}, "tense"])
    assert [o.label for o in scale.options("de")] == ["ruhig", "tense"]
    assert scale.options("en")[1].value == 2

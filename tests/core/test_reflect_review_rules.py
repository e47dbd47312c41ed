"""The `review:` field of a reflect step: validated with a located error."""

from __future__ import annotations

from pathlib import Path

from tests.core.test_activity_loader import errors_for


def test_a_reviewed_reflection_is_released_by_hand(tmp_path: Path) -> None:
    errors = errors_for(
        tmp_path,
        """\
          - type: reflect
            title: Look back
            question: What stayed with you?
            review: facilitator
            time_limit: 2m
            advance: auto
        """,
    )
    assert len(errors) == 1 and "review: facilitator needs advance: facilitator" in errors[0]
    assert errors[0].startswith("demo.yaml:7:"), errors

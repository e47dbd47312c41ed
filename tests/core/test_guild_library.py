"""Copying an activity rewrites only its id, however the id was written."""

from __future__ import annotations

import pytest

from bot.core.errors import InvalidInput
from bot.core.guild_library import with_id


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("id: old-one\ntitle: T\n", "id: new-one\ntitle: T\n"),
        ('id: "old-one"   # the id\ntitle: T\n', "id: new-one   # the id\ntitle: T\n"),
        ("title: T\nid:   'old-one'\n", "title: T\nid:   new-one\n"),
        ("title: id: x\nid: old-one\n", None),  # broken YAML: nothing to copy
    ],
)
def test_with_id(written: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(InvalidInput):
            with_id(written, "new-one")
    else:
        assert with_id(written, "new-one") == expected


def test_nested_ids_are_left_alone() -> None:
    text = "steps:\n  - id: inner\nid: outer\n"
    assert with_id(text, "new-one") == "steps:\n  - id: inner\nid: new-one\n"

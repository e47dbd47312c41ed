"""Untrusted YAML to plain data with the place of every value (bot/core/yaml_marks.py)."""

from __future__ import annotations

from bot.core.yaml_compose import MAX_DEPTH
from bot.core.yaml_marks import (
    MAX_BYTES,
    MarkedDocument,
    YamlProblem,
    decode_source,
    parse_marked,
)
from bot.core.yaml_syntax import Mark
from bot.i18n.wording import Wording

ACTIVITY = """\
id: a
steps:
  - type: prompt
    note: off
    at: 1:30
    n: 1.5
    b: true
    z: ~
"""


def parsed(text: str) -> MarkedDocument:
    document = parse_marked(text)
    assert isinstance(document, MarkedDocument), document
    return document


def problems(text: str) -> list[YamlProblem]:
    found = parse_marked(text)
    assert isinstance(found, list), found
    return found


def test_a_smaller_yaml_than_yaml_1_1_off_and_1_30_stay_text() -> None:
    steps = parsed(ACTIVITY).data["steps"]
    assert steps == [
        {"type": "prompt", "note": "off", "at": "1:30", "n": 1.5, "b": True, "z": None}
    ]


def test_every_value_and_key_has_its_line_and_column() -> None:
    document = parsed(ACTIVITY)
    assert document.value_marks[("steps", 0, "type")] == Mark(3, 11)
    assert document.key_marks[("steps", 0, "note")] == Mark(4, 5)
    assert document.locate(("steps", 0, "note"), key=True) == Mark(4, 5)
    # A missing field points at the nearest thing written: the step it belongs in.
    assert document.locate(("steps", 0, "missing")) == Mark(3, 5)


def test_duplicate_keys_aliases_and_deep_nesting_are_located_problems() -> None:
    assert parse_marked("a: 1\na: 2\n") == [
        YamlProblem(2, 1, ("a",), Wording("duplicate key 'a' (first written on line 1)"))
    ]
    (alias,) = problems("a: &x 1\nb: *x\n")
    assert (alias.line, alias.column) == (2, 4) and "aliases (*x) are not allowed" in alias.message
    deep = "a: " + "[" * (MAX_DEPTH + 6) + "]" * (MAX_DEPTH + 6)
    (nested,) = problems(deep)
    assert nested.message == f"YAML syntax: nesting is deeper than {MAX_DEPTH} levels"
    assert parse_marked("") == [
        YamlProblem(
            1, 1, (), Wording("file is empty; expected an activity (id, title, steps, ...)")
        )
    ]


def test_bytes_become_text_or_a_located_refusal() -> None:
    assert decode_source(b"\xef\xbb\xbfid: a") == "id: a"  # a BOM is dropped
    assert decode_source(b"id: a\n  \xff") == YamlProblem(
        2, 3, (), Wording("file is not valid UTF-8 text")
    )
    too_big = decode_source(b"x" * (MAX_BYTES + 1))
    assert isinstance(too_big, YamlProblem)
    assert too_big.message == "file is 257 KiB; activity files may be at most 256 KiB"

"""YAML syntax errors in Chorus's words: where the construct began, what was missing, and the
same message and place whether or not libyaml is installed (and whichever version)."""

import pytest

from bot.core import yaml_marks
from bot.core.yaml_marks import YamlProblem, parse_marked

BROKEN = {
    "unclosed_flow_sequence": (
        "id: x\ntitle: T\nsteps: []\nsummary: a\nversion: 1\n"
        "tags: [reflection, calm\nfacilitator_notes: Keep it gentle.\n",
        (6, 7),
        "the '[' opened here is never closed "
        "(found 'facilitator_notes' at 7:18 where ',' or ']' was expected)",
    ),
    "unclosed_flow_mapping": (
        "id: x\ntitle: {en: Hello, de: Hallo\nsummary: Hi\n",
        (2, 8),
        "the '{' opened here is never closed (found 'summary' at 3:8 where ',' or '}' was expected)",
    ),
    "flow_sequence_open_at_end_of_file": (
        "id: x\ntags: [a, b\n",
        (2, 7),
        "the '[' opened here is never closed "
        "(found the end of the file at 3:1 where ',' or ']' was expected)",
    ),
    "unclosed_double_quote": (
        'id: x\ntitle: "hello\nsummary: bar\n',
        (2, 8),
        'the " opened here is never closed (the file ends at 4:1 before a closing ")',
    ),
    "unclosed_single_quote": (
        "id: x\ntitle: 'hello\nsummary: bar\n",
        (2, 8),
        "the ' opened here is never closed (the file ends at 4:1 before a closing ')",
    ),
    "unknown_escape": (
        'id: x\ntitle: "C:\\qmusic"\n',
        (2, 12),
        "unknown escape in double-quoted text; write \\\\ for a backslash, or use single quotes",
    ),
    "tab_indent": (
        "id: x\n\ttitle: y\n",
        (2, 1),
        "a tab is used for indentation; YAML needs spaces",
    ),
    "colon_in_value": (
        "id: x\ntitle: Step one: breathe\n",
        (2, 16),
        "a ': ' here would start a mapping inside a value; put the whole value in quotes "
        '(title: "a: b") or fix the indentation',
    ),
    "key_out_of_line": (
        "steps:\n  - a\n  - b\n x: 1\n",
        (4, 2),
        "found 'x' at 4:2, which does not line up with the mapping that began at 1:1; "
        "indent it like the keys beside it",
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_syntax_error_is_located_and_worded(name: str) -> None:
    text, (line, column), message = BROKEN[name]
    assert parse_marked(text) == [YamlProblem(line, column, (), f"YAML syntax: {message}")]


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_same_answer_without_libyaml(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pure-Python parser and libyaml give one answer: Chorus's."""
    text = BROKEN[name][0]
    with_whatever_is_installed = parse_marked(text)
    monkeypatch.setattr(yaml_marks, "_FAST", False)
    assert parse_marked(text) == with_whatever_is_installed


def test_chorus_depth_limit_fires_before_any_parser_limit() -> None:
    """libyaml 0.2.6 refuses deep flow nesting at its own column; Chorus's limit comes first."""
    text = "id: " + "[" * 5000 + "]" * 5000 + "\n"
    expected = [
        YamlProblem(
            1, 4 + yaml_marks.MAX_DEPTH, (), "YAML syntax: nesting is deeper than 24 levels"
        )
    ]
    assert parse_marked(text) == expected
    block = "".join("  " * level + "- \n" for level in range(2000))
    problems = parse_marked("id:\n" + block)
    assert isinstance(problems, list)
    assert [p.message for p in problems] == ["YAML syntax: nesting is deeper than 24 levels"]


def test_depth_just_under_the_limit_is_accepted() -> None:
    depth = yaml_marks.MAX_DEPTH - 1  # the top-level mapping is one level
    doc = parse_marked("id: " + "[" * depth + "1" + "]" * depth + "\n")
    assert not isinstance(doc, list)

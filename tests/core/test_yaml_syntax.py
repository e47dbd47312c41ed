"""YAML syntax errors in Chorus's words: where the construct began, what was missing, and the
same message and place whether or not libyaml is installed (and whichever version)."""

import random
import re

import pytest

from bot.core import yaml_compose, yaml_syntax
from bot.core.yaml_marks import YamlProblem, parse_marked
from bot.i18n.wording import Wording

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
        "text that contains ': ' must be in quotes; write title: \"Step one: breathe\"",
    ),
    "colon_in_a_theme": (
        "id: x\nsteps:\n  - type: write\n    theme: Rain: what it washes away\n",
        (4, 16),
        "text that contains ': ' must be in quotes; write theme: \"Rain: what it washes away\"",
    ),
    "colon_in_a_list_item": (
        'steps:\n  - title: Rain: a "wet" day\n',
        (2, 16),
        'text that contains \': \' must be in quotes; write title: "Rain: a \\"wet\\" day"',
    ),
    "key_indented_under_a_value": (
        "title: X\n  summary: y\n",
        (2, 10),
        "check the indentation of this line against the one above: a ': ' here can't start a "
        "key inside the text of the line above (or, if it belongs to the text, text that "
        "contains ': ' must be in quotes)",
    ),
    "key_indented_too_far_in_a_step": (
        "steps:\n  - type: prompt\n    title: A\n      text: b\n",
        (4, 11),
        "check the indentation of this line against the one above: a ': ' here can't start a "
        "key inside the text of the line above (or, if it belongs to the text, text that "
        "contains ': ' must be in quotes)",
    ),
    "key_indented_too_little_in_a_step": (
        "steps:\n  - type: prompt\n    title: A\n   text: b\n",
        (4, 4),
        "found 'text' at 4:4, which does not line up with the list that began at 2:3; check "
        "the indentation of this line against the one above (start each item with '- ' at the "
        "same indentation)",
    ),
    "tab_inside_a_line": (
        "id: x\ntitle: a\tb: c\n",
        (2, 9),
        "a tab can't separate things here; use spaces",
    ),
    "first_line_indented": (
        "  id: x\ntitle: y\n",
        (2, 1),
        "this line is not indented like the file's first line; start every top-level key at "
        "column 1",
    ),
    "second_document": (
        "id: x\n---\nid: y\n",
        (2, 1),
        "an activity file holds one document; remove the '---' here and what follows, or move "
        "it to a file of its own",
    ),
    "duplicate_anchor": (
        "a: &x 1\nb: &x 2\n",
        (2, 4),
        "anchors (&name) aren't used in activity files, because aliases aren't allowed; "
        "remove them",
    ),
    "character_that_cannot_start": (
        "id: @calm\n",
        (1, 5),
        "'@' can't start a value; put the whole value in quotes",
    ),
    "leading_comma": (
        "tags: [, calm]\n",
        (1, 8),
        "a ',' with nothing before it; remove it or write a value",
    ),
    "extra_closing_bracket": (
        "tags: [calm, slow]]\n",
        (1, 19),
        "this ']' closes nothing; remove it (or open it earlier)",
    ),
    "list_item_inside_a_mapping": (
        "id: x\n- y\n",
        (2, 1),
        "a list item here, inside the mapping that began at 1:1; put the list under a key "
        "(key:, then '- item' lines indented below it)",
    ),
    "block_scalar_header": (
        "text: |#\n  hello\n",
        (1, 7),
        "after '|' or '>' only '-', '+' or a digit may follow on the same line; start the "
        "text on the next line",
    ),
    "key_out_of_line": (
        "steps:\n  - a\n  - b\n x: 1\n",
        (4, 2),
        "found 'x' at 4:2, which does not line up with the mapping that began at 1:1; "
        "check the indentation of this line against the one above (indent it like the keys "
        "beside it)",
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_syntax_error_is_located_and_worded(name: str) -> None:
    text, (line, column), message = BROKEN[name]
    assert parse_marked(text) == [
        YamlProblem(line, column, (), Wording("YAML syntax: {message}", message=message))
    ]


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_same_answer_without_libyaml(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pure-Python parser and libyaml give one answer: Chorus's."""
    text = BROKEN[name][0]
    with_whatever_is_installed = parse_marked(text)
    monkeypatch.setattr(yaml_compose, "_FAST", False)
    assert parse_marked(text) == with_whatever_is_installed


def test_chorus_depth_limit_fires_before_any_parser_limit() -> None:
    """libyaml 0.2.6 refuses deep flow nesting at its own column; Chorus's limit comes first."""
    text = "id: " + "[" * 5000 + "]" * 5000 + "\n"
    expected = [
        YamlProblem(
            1,
            4 + yaml_compose.MAX_DEPTH,
            (),
            Wording("YAML syntax: nesting is deeper than 24 levels"),
        )
    ]
    assert parse_marked(text) == expected
    block = "".join("  " * level + "- \n" for level in range(2000))
    problems = parse_marked("id:\n" + block)
    assert isinstance(problems, list)
    assert [p.message for p in problems] == ["YAML syntax: nesting is deeper than 24 levels"]


def test_depth_just_under_the_limit_is_accepted() -> None:
    depth = yaml_compose.MAX_DEPTH - 1  # the top-level mapping is one level
    doc = parse_marked("id: " + "[" * depth + "1" + "]" * depth + "\n")
    assert not isinstance(doc, list)


def test_depth_limit_holds_for_complex_key_chains() -> None:
    problems = parse_marked("? " * 1000 + "x\n")
    assert isinstance(problems, list)
    assert [p.message for p in problems] == ["YAML syntax: nesting is deeper than 24 levels"]


def test_an_alias_hidden_behind_a_byte_order_mark_is_refused() -> None:
    problems = parse_marked("title: &t Hello\nsummary:\n\ufeff*t\n")
    assert isinstance(problems, list) and problems
    assert all("alias" in p.message or "YAML syntax" in p.message for p in problems)


def test_a_tab_at_the_end_of_a_line_is_harmless() -> None:
    doc = parse_marked("id: calm\ntitle: Calm evening\t\ntags: [a, b]\n")
    assert not isinstance(doc, list)
    assert doc.data["title"] == "Calm evening"


def test_text_that_cant_be_encoded_is_a_problem_not_a_crash() -> None:
    problems = parse_marked("a: \ud800\n")
    assert isinstance(problems, list) and problems[0].message.startswith("YAML syntax:")


def test_no_pyyaml_sentence_reaches_a_facilitator() -> None:
    """Every syntax message is one of Chorus's own, for a corpus of hand-made mistakes."""
    ours = (
        "the '",
        'the "',
        "unknown escape",
        "a tab",
        yaml_syntax.QUOTES_HINT,
        yaml_syntax.INDENTATION_HINT,
        "an activity file holds one document",
        "anchors (&name)",
        "this line is not indented",
        "after '|' or '>'",
        "a ',' with nothing",
        "expected a value here",
        "this ']'",
        "this '}'",
        "a list item here",
        "found '",
        "expected 'key: value'",
        "nesting is deeper",
        "aliases",
        "control character",
        yaml_syntax.GENERIC,
    )
    rng = random.Random(3)
    for _ in range(2000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 25)))
        problems = parse_marked(text)
        if isinstance(problems, list):
            for problem in problems:
                said = problem.message.removeprefix("YAML syntax: ")
                if problem.message.startswith("YAML syntax: "):
                    assert said.startswith(ours) or CANNOT_START.match(said), (text, said)


CANNOT_START = re.compile(r"^'.+' can't start a value; put the whole value in quotes$")
PIECES = [
    *"ab: -[]{},'\"#\n\n  &*!|>?%@`",
    "id: x\n",
    "- ",
    ": ",
    "\n  ",
    "key: value\n",
    "\t",
    "\r\n",
    "\ufeff",
    "---\n",
]


def test_libyaml_and_the_pure_python_parser_always_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    """A differential fuzz: 3,000 random YAML-like texts (tabs, odd line breaks, tags, anchors,
    flow and block collections, quotes) give the same data or the same located problems."""
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40)))
        monkeypatch.setattr(yaml_compose, "_FAST", True)
        fast = parse_marked(text)
        monkeypatch.setattr(yaml_compose, "_FAST", False)
        assert parse_marked(text) == fast, text

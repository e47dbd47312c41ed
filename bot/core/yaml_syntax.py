"""Chorus's own words for YAML syntax errors, whatever PyYAML or libyaml version is installed.

PyYAML's messages differ between its pure-Python parser and libyaml (and between releases), and
they are located where the parser *noticed* a problem, which is often a line after the mistake.
A facilitator needs to know where the construct they left open *began*, and what was missing.
So syntax errors are always read from the pure-Python parser's exception (its marks and its
context), sorted into the kinds of mistakes people make by hand, and worded here.
"""

import re
from dataclasses import dataclass
from typing import NamedTuple

import yaml

_CLOSERS = {"[": "]", "{": "}"}
_WORD = re.compile(r"[^\s,:\[\]{}#]+")


class Mark(NamedTuple):
    """A 1-based line and column in the source text."""

    line: int
    column: int


@dataclass(frozen=True)
class SyntaxProblem:
    """One located syntax message (1-based line and column)."""

    mark: Mark
    message: str


def _at(mark: yaml.Mark | None) -> Mark | None:
    return None if mark is None else Mark(mark.line + 1, mark.column + 1)


def _here(mark: Mark) -> str:
    return f"{mark.line}:{mark.column}"


def _char_at(text: str, mark: Mark) -> str:
    lines = text.split("\n")
    if mark.line - 1 >= len(lines):
        return ""
    line = lines[mark.line - 1]
    return line[mark.column - 1 : mark.column] if mark.column - 1 < len(line) else ""


def _found(text: str, mark: Mark) -> str:
    """What stands at ``mark``, as the facilitator wrote it: a word, a symbol, or the file's end.

    A ':' found where a ',' was expected belongs to the key written just before it, so that key
    is named (``facilitator_notes:`` reads as "found 'facilitator_notes'").
    """
    lines = text.split("\n")
    if mark.line - 1 >= len(lines) or (
        mark.line == len(lines) and mark.column - 1 >= len(lines[-1])
    ):
        return f"the end of the file at {_here(mark)}"
    line = lines[mark.line - 1]
    start = mark.column - 1
    if line[start : start + 1] == ":":
        before = line[:start].rstrip()
        match = re.search(r"[^\s,\[\]{}]+$", before)
        if match:
            return f"'{match.group(0)}' at {_here(mark)}"
    match = _WORD.match(line, start)
    if match:
        return f"'{match.group(0)}' at {_here(mark)}"
    symbol = line[start : start + 1] or "the end of the line"
    return f"'{symbol}' at {_here(mark)}" if symbol.strip() else f"a space at {_here(mark)}"


def describe(text: str, error: yaml.MarkedYAMLError) -> SyntaxProblem:
    """Word a pure-Python PyYAML syntax error for a person editing ``text``.

    Returns a problem located where the broken construct began when that is known (an
    unclosed bracket or quote), else where the parser stopped.
    """
    context = error.context or ""
    problem = error.problem or ""
    began = _at(error.context_mark)
    stopped = _at(error.problem_mark) or began or Mark(1, 1)
    found = _found(text, stopped)

    if began is not None and ("flow sequence" in context or "flow mapping" in context):
        opener = _char_at(text, began) or ("[" if "sequence" in context else "{")
        closer = _CLOSERS.get(opener, "]")
        return SyntaxProblem(
            began,
            f"the '{opener}' opened here is never closed "
            f"(found {found} where ',' or '{closer}' was expected)",
        )
    if began is not None and "quoted scalar" in context:
        quote = _char_at(text, began) or '"'
        if "end of stream" in problem:
            return SyntaxProblem(
                began,
                f"the {quote} opened here is never closed "
                f"(the file ends at {_here(stopped)} before a closing {quote})",
            )
        if "escape" in problem:
            return SyntaxProblem(
                stopped,
                "unknown escape in double-quoted text; write \\\\ for a backslash, "
                "or use single quotes",
            )
    if "\\t" in problem or "tab" in problem:
        return SyntaxProblem(stopped, "a tab is used for indentation; YAML needs spaces")
    if "mapping values are not allowed" in problem:
        return SyntaxProblem(
            stopped,
            "a ': ' here would start a mapping inside a value; put the whole value in "
            'quotes (title: "a: b") or fix the indentation',
        )
    if began is not None and "block mapping" in context:
        return SyntaxProblem(
            stopped,
            f"found {found}, which does not line up with the mapping that began at "
            f"{_here(began)}; indent it like the keys beside it",
        )
    if began is not None and "block collection" in context:
        return SyntaxProblem(
            stopped,
            f"found {found}, which does not line up with the list that began at "
            f"{_here(began)}; start each item with '- ' at the same indentation",
        )
    if "simple key" in context:
        return SyntaxProblem(
            began or stopped,
            "expected 'key: value' here, but this line has no ':' after its key",
        )
    where = f" (while reading what began at {_here(began)})" if began and began != stopped else ""
    return SyntaxProblem(stopped, f"{problem or context or 'unreadable YAML'}{where}")


__all__ = ["Mark", "SyntaxProblem", "describe"]

"""Chorus's own words for YAML syntax errors, whatever PyYAML or libyaml version is installed.

PyYAML's messages differ between its pure-Python parser and libyaml (and between releases), and
they are located where the parser *noticed* a problem, which is often a line after the mistake.
A facilitator needs to know where the construct they left open *began*, and what was missing.
So a syntax error is read for its kind (the parser's context and its marks), and worded here;
PyYAML's own sentences never reach a facilitator.
"""

import re
from dataclasses import dataclass
from typing import NamedTuple

import yaml

from bot.i18n import Wording

_CLOSERS = {"[": "]", "{": "}"}
_WORD = re.compile(r"[^\s,:\[\]{}#]+")
_LINE_BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
"""Where PyYAML starts a new line (its marks count lines the same way)."""
_CANNOT_START = re.compile(r"found character '(.+)' that cannot start any token")
GENERIC = Wording(
    "this can't be read as YAML; look here (and at the line above) for a stray character, "
    "a missing ':' or an unmatched quote or bracket"
)


INDENTATION_HINT = Wording("check the indentation of this line against the one above")
QUOTES_HINT = Wording("text that contains ': ' must be in quotes")
_KEY_THEN_TEXT = re.compile(r"^(\s*(?:- )?[^\s:#'\"][^:#]*?):[ \t]+(\S.*?)\s*$")
"""`key: text` on one line (optionally a list item), for the quoted example in a hint."""


class Mark(NamedTuple):
    """A 1-based line and column in the source text."""

    line: int
    column: int


@dataclass(frozen=True)
class SyntaxProblem:
    """One located syntax message (1-based line and column)."""

    mark: Mark
    message: Wording


def _at(mark: yaml.Mark | None) -> Mark | None:
    return None if mark is None else Mark(mark.line + 1, mark.column + 1)


def _here(mark: Mark) -> str:
    return f"{mark.line}:{mark.column}"


def _lines(text: str) -> list[str]:
    return _LINE_BREAKS.split(text)


def _char_at(text: str, mark: Mark) -> str:
    lines = _lines(text)
    if mark.line - 1 >= len(lines):
        return ""
    line = lines[mark.line - 1]
    return line[mark.column - 1 : mark.column] if mark.column - 1 < len(line) else ""


def _found(text: str, mark: Mark) -> Wording:
    """What stands at ``mark``, as the facilitator wrote it: a word, a symbol, or the file's end.

    A ':' found where a ',' was expected belongs to the key written just before it, so that key
    is named (``facilitator_notes:`` reads as "found 'facilitator_notes'").
    """
    lines = _lines(text)
    if mark.line - 1 >= len(lines) or (
        mark.line == len(lines) and mark.column - 1 >= len(lines[-1])
    ):
        return Wording("the end of the file at {place}", place=_here(mark))
    line = lines[mark.line - 1]
    start = mark.column - 1
    if line[start : start + 1] == ":":
        before = line[:start].rstrip()
        match = re.search(r"[^\s,\[\]{}]+$", before)
        if match:
            return _written_at(match.group(0), mark)
    match = _WORD.match(line, start)
    if match:
        return _written_at(match.group(0), mark)
    symbol = line[start : start + 1]
    if not symbol:
        return Wording("the end of line {line}", line=mark.line)
    if symbol.strip():
        return _written_at(symbol, mark)
    return Wording("a space at {place}", place=_here(mark))


def _written_at(written: str, mark: Mark) -> Wording:
    return Wording("'{written}' at {place}", written=written, place=_here(mark))


def _colon_in_value(text: str, stopped: Mark) -> Wording:
    """A ': ' where no key can start: inside text after `key: ` on the same line (the text
    needs quotes, shown with the facilitator's own words), or a line indented under a value."""
    lines = _lines(text)
    line = lines[stopped.line - 1] if stopped.line - 1 < len(lines) else ""
    before = line[: stopped.column - 1]
    written = _KEY_THEN_TEXT.match(line)
    if ": " in before and written is not None:
        value = written.group(2).replace("\\", "\\\\").replace('"', '\\"')
        example = f'{written.group(1).strip().removeprefix("- ")}: "{value}"'
        if len(example) > 80:
            example = Wording(
                'title: "Step one: breathe"'
            )  # the step's title, in the reader's words
        return Wording("{hint}; write {example}", hint=QUOTES_HINT, example=example)
    return Wording(
        "{hint}: a ': ' here can't start a key inside the text of the line above (or, if it "
        "belongs to the text, {quotes})",
        hint=INDENTATION_HINT,
        quotes=QUOTES_HINT,
    )


def _in_indentation(text: str, mark: Mark) -> bool:
    lines = _lines(text)
    if mark.line - 1 >= len(lines):
        return False
    return lines[mark.line - 1][: mark.column - 1].strip(" \t") == ""


def describe(text: str, error: yaml.MarkedYAMLError) -> SyntaxProblem:
    """Word a PyYAML syntax error for a person editing ``text``.

    Located where the broken construct began when that is known (an unclosed bracket or
    quote), else where the parser stopped; a mistake of no known kind gets a general message.
    """
    problem = recognise(text, error)
    if problem is not None:
        return problem
    stopped = _at(error.problem_mark) or _at(error.context_mark) or Mark(1, 1)
    return SyntaxProblem(stopped, GENERIC)


def recognise(text: str, error: yaml.MarkedYAMLError) -> SyntaxProblem | None:
    """The error worded as one of the known kinds of mistake, or None for any other."""
    return _describe(text, error)


def _describe(text: str, error: yaml.MarkedYAMLError) -> SyntaxProblem | None:
    context = error.context or ""
    problem = error.problem or ""
    began = _at(error.context_mark)
    stopped = _at(error.problem_mark) or began or Mark(1, 1)
    found = _found(text, stopped)

    if began is not None and ("flow sequence" in context or "flow mapping" in context):
        opener = _char_at(text, began)
        if opener not in _CLOSERS:
            opener = "[" if "sequence" in context else "{"
        return SyntaxProblem(
            began,
            Wording(
                "the '{opener}' opened here is never closed (found {found} where ',' or "
                "'{closer}' was expected)",
                opener=opener,
                found=found,
                closer=_CLOSERS[opener],
            ),
        )
    if began is not None and "quoted scalar" in context:
        quote = _char_at(text, began)
        quote = quote if quote in ("'", '"') else '"'
        if "end of stream" in problem:
            return SyntaxProblem(
                began,
                Wording(
                    "the {quote} opened here is never closed (the file ends at {place} before "
                    "a closing {quote})",
                    quote=quote,
                    place=_here(stopped),
                ),
            )
        if "escape" in problem:
            return SyntaxProblem(
                stopped,
                Wording(
                    "unknown escape in double-quoted text; write \\\\ for a backslash, "
                    "or use single quotes"
                ),
            )
        return None
    if "\\t" in problem or " tab " in f" {problem} ":
        if _in_indentation(text, stopped):
            return SyntaxProblem(
                stopped, Wording("a tab is used for indentation; YAML needs spaces")
            )
        return SyntaxProblem(stopped, Wording("a tab can't separate things here; use spaces"))
    cannot_start = _CANNOT_START.search(problem)
    if cannot_start:
        return SyntaxProblem(
            stopped,
            Wording(
                "'{symbol}' can't start a value; put the whole value in quotes",
                symbol=cannot_start.group(1),
            ),
        )
    if "mapping values are not allowed" in problem:
        return SyntaxProblem(stopped, _colon_in_value(text, stopped))
    if "single document" in context or "another document" in problem:
        return SyntaxProblem(
            stopped,
            Wording(
                "an activity file holds one document; remove the '---' here and what "
                "follows, or move it to a file of its own"
            ),
        )
    if "duplicate anchor" in context:
        return SyntaxProblem(
            stopped,
            Wording(
                "anchors (&name) aren't used in activity files, because aliases aren't "
                "allowed; remove them"
            ),
        )
    if "document start" in problem and "block mapping start" in problem:
        return SyntaxProblem(
            stopped,
            Wording(
                "this line is not indented like the file's first line; start every "
                "top-level key at column 1"
            ),
        )
    if "block scalar" in context:
        return SyntaxProblem(
            began or stopped,
            Wording(
                "after '|' or '>' only '-', '+' or a digit may follow on the same line; "
                "start the text on the next line"
            ),
        )
    if "node content" in problem:
        symbol = _char_at(text, stopped)
        if symbol == ",":
            return SyntaxProblem(
                stopped, Wording("a ',' with nothing before it; remove it or write a value")
            )
        return SyntaxProblem(
            stopped, Wording("expected a value here, but found {found}", found=found)
        )
    if began is not None and ("block mapping" in context or "block collection" in context):
        symbol = _char_at(text, stopped)
        if symbol in ("]", "}"):
            return SyntaxProblem(
                stopped,
                Wording(
                    "this '{symbol}' closes nothing; remove it (or open it earlier)", symbol=symbol
                ),
            )
        if "block mapping" in context and symbol == "-":
            return SyntaxProblem(
                stopped,
                Wording(
                    "a list item here, inside the mapping that began at {place}; put the "
                    "list under a key (key:, then '- item' lines indented below it)",
                    place=_here(began),
                ),
            )
        if "mapping" in context:
            return SyntaxProblem(
                stopped,
                Wording(
                    "found {found}, which does not line up with the mapping that began at "
                    "{place}; {hint} (indent it like the keys beside it)",
                    found=found,
                    place=_here(began),
                    hint=INDENTATION_HINT,
                ),
            )
        return SyntaxProblem(
            stopped,
            Wording(
                "found {found}, which does not line up with the list that began at {place}; "
                "{hint} (start each item with '- ' at the same indentation)",
                found=found,
                place=_here(began),
                hint=INDENTATION_HINT,
            ),
        )
    if "simple key" in context:
        return SyntaxProblem(
            began or stopped,
            Wording("expected 'key: value' here, but this line has no ':' after its key"),
        )
    return None


__all__ = [
    "GENERIC",
    "INDENTATION_HINT",
    "QUOTES_HINT",
    "Mark",
    "SyntaxProblem",
    "describe",
    "recognise",
]

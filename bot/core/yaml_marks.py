"""Read untrusted YAML into plain data while remembering where every value came from.

Activity files are written by hand, so every problem must point at a line and column. PyYAML's
constructor forgets positions, so we compose the node graph with a SafeLoader-style stack and
build the Python values ourselves, recording the mark of each key and value by path.

The reader is deliberately smaller than YAML 1.1: only ``true``/``false`` are booleans (so
``note: off`` and ``locale: no`` stay strings), only plain decimal numbers are numbers (no
sexagesimal ``1:30``), and there are no timestamps. Aliases are refused (no alias bombs), nesting
is capped, duplicate keys are errors, and nothing here ever raises: problems come back as data.
"""

import re
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from bot.core.yaml_compose import BOOL, FLOAT, INT, NULL, ChorusLimit, compose, too_deep
from bot.core.yaml_syntax import GENERIC, Mark, describe
from bot.i18n import Wording

MAX_BYTES = 256 * 1024
"""Activity files are small; anything bigger is a mistake or an attack."""

YamlPath: TypeAlias = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


@dataclass(frozen=True)
class YamlProblem:
    """Something wrong with the YAML itself, before any schema is applied."""

    line: int
    column: int
    path: YamlPath
    message: Wording
    """What is wrong: English as a str, ``message.text(locale)`` in a reader's language."""


@dataclass
class MarkedDocument:
    """Plain data (dicts, lists, scalars) plus where each value and key was written."""

    data: Any
    value_marks: dict[YamlPath, Mark] = field(default_factory=dict)
    key_marks: dict[YamlPath, Mark] = field(default_factory=dict)

    def locate(self, path: YamlPath, *, key: bool = False) -> Mark:
        """Mark of the path, or of its nearest written ancestor (a missing field has none)."""
        if key and path in self.key_marks:
            return self.key_marks[path]
        for end in range(len(path), -1, -1):
            mark = self.value_marks.get(path[:end])
            if mark is not None:
                return mark
        return Mark(1, 1)


def too_big(size: int) -> Wording:
    """The problem of a file of ``size`` bytes, over `MAX_BYTES`."""
    return Wording(
        "file is {size} KiB; activity files may be at most {limit} KiB",
        size=-(-size // 1024),
        limit=MAX_BYTES // 1024,
    )


def _unsupported(tag: str) -> Wording:
    return Wording("unsupported tag {tag}", tag=tag)


def _syntax(problem: Wording) -> Wording:
    return Wording("YAML syntax: {problem}", problem=problem)


def decode_source(raw: bytes) -> str | YamlProblem:
    """Bytes to text, refusing oversized and non-UTF-8 files with a located problem."""
    if len(raw) > MAX_BYTES:
        return YamlProblem(1, 1, (), too_big(len(raw)))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return YamlProblem(line, column, (), Wording("file is not valid UTF-8 text"))


def _mark(node: Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


def _position(text: str, index: int) -> Mark:
    line = text.count("\n", 0, index) + 1
    return Mark(line, index - (text.rfind("\n", 0, index) + 1) + 1)


class _Builder:
    """Turns composed nodes into plain values, collecting marks and problems."""

    def __init__(self) -> None:
        self.doc = MarkedDocument(data=None)
        self.problems: list[YamlProblem] = []
        self._seen: set[int] = set()

    def problem(self, node: Node, path: YamlPath, message: Wording) -> None:
        mark = _mark(node)
        self.problems.append(YamlProblem(mark.line, mark.column, path, message))

    def build(self, node: Node, path: YamlPath) -> Any:
        self.doc.value_marks[path] = _mark(node)
        if id(node) in self._seen:
            # A node reached twice is an alias (a scalar one too); never expand it.
            self.problem(node, path, Wording("aliases are not allowed in activity files"))
            return None
        self._seen.add(id(node))
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                self.problem(node, path, _unsupported(node.tag))
            return [self.build(child, (*path, index)) for index, child in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self.mapping(node, path)
        self.problem(node, path, _unsupported(type(node).__name__))  # pragma: no cover
        return None

    def mapping(self, node: MappingNode, path: YamlPath) -> dict[str, Any]:
        if node.tag != _MAP:
            self.problem(node, path, _unsupported(node.tag))
        result: dict[str, Any] = {}
        seen: dict[str, Mark] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.problem(
                    key_node, path, Wording("keys must be plain words, not lists or mappings")
                )
                continue
            key = str(key_node.value)
            child = (*path, key)
            if key in seen:
                first = seen[key]
                self.problem(
                    key_node,
                    child,
                    Wording(
                        "duplicate key '{key}' (first written on line {line})",
                        key=key,
                        line=first.line,
                    ),
                )
                continue
            seen[key] = _mark(key_node)
            self.doc.key_marks[child] = seen[key]
            result[key] = self.build(value_node, child)
        return result

    def scalar(self, node: ScalarNode, path: YamlPath) -> Any:
        value = str(node.value)
        tag = node.tag
        try:
            if tag == _STR:
                return value
            if tag == NULL:
                return None
            if tag == BOOL:
                return value.lower() == "true"
            if tag == INT:
                return int(value)
            if tag == FLOAT:
                lowered = value.lower()
                if lowered.endswith(".inf"):
                    return float("-inf") if lowered.startswith("-") else float("inf")
                if lowered == ".nan":
                    return float("nan")
                return float(value)
        except ValueError:
            self.problem(
                node,
                path,
                Wording(
                    "cannot read {value} as {kind}",
                    value=repr(value[:40]),
                    kind=tag.rsplit(":", 1)[-1],
                ),
            )
            return None
        self.problem(node, path, _unsupported(tag))
        return None


_TRAILING_TABS = re.compile(r"[ \t]*\t[ \t]*$", re.MULTILINE)


def parse_marked(text: str) -> MarkedDocument | list[YamlProblem]:
    """Parse one YAML document; never raises, returns located problems instead."""
    # A tab at the end of a line is invisible in an editor and harmless in YAML 1.2, but
    # PyYAML's pure-Python parser refuses it; dropping it moves no mark (nothing follows it).
    text = _TRAILING_TABS.sub("", text)
    try:
        root = compose(text)
    except ChorusLimit as exc:
        return [YamlProblem(exc.mark.line, exc.mark.column, (), _syntax(exc.message))]
    except yaml.MarkedYAMLError as exc:
        worded = describe(text, exc)
        where = worded.mark
        return [YamlProblem(where.line, where.column, (), _syntax(worded.message))]
    except ReaderError as exc:
        where = _position(text, exc.position)
        char = (
            exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
        )
        message = Wording("control character U+{code} is not allowed", code=format(char, "04X"))
        return [YamlProblem(where.line, where.column, (), _syntax(message))]
    except RecursionError:
        return [YamlProblem(1, 1, (), _syntax(too_deep()))]
    except (yaml.YAMLError, MemoryError, UnicodeError):
        return [YamlProblem(1, 1, (), _syntax(GENERIC))]
    if root is None:
        return [
            YamlProblem(
                1, 1, (), Wording("file is empty; expected an activity (id, title, steps, ...)")
            )
        ]
    builder = _Builder()
    builder.doc.data = builder.build(root, ())
    if builder.problems:
        return builder.problems
    return builder.doc

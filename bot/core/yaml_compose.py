"""Compose untrusted YAML's node graph safely, and the same whichever parser is installed.

Chorus's own limits fire first (no aliases, so no alias bombs; nesting at most `MAX_DEPTH`), with
its words and its marks; the implicit types are close to YAML 1.2's core schema; libyaml composes
where it is known to agree with PyYAML's pure-Python parser, which decides everything else (see
`compose`). `yaml_marks` builds the marked values from the graph.
"""

import re
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import Node
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from bot.core.yaml_syntax import Mark
from bot.i18n import Wording

MAX_DEPTH = 24
"""Deepest nesting of mappings and sequences; real activity files need about 6."""

NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"


class _Resolver(BaseResolver):
    """Implicit types close to YAML 1.2's core schema: fewer surprises for hand-written files."""


_Resolver.add_implicit_resolver(
    BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Resolver.add_implicit_resolver(NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_Resolver.add_implicit_resolver(INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Resolver.add_implicit_resolver(
    FLOAT,
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


_FAST = getattr(yaml, "__with_libyaml__", False)


class _Composer(Reader, Scanner, Parser, Composer, _Resolver):
    """PyYAML's pure-Python safe composer: the fallback where libyaml isn't installed."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _Resolver.__init__(self)


if _FAST:
    from yaml._yaml import CParser

    class _FastComposer(CParser, _Resolver):
        """libyaml's composer (about ten times faster), with our plain-types resolver."""

        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            _Resolver.__init__(self)


class ChorusLimit(Exception):
    """One of Chorus's own limits on activity files (aliases, depth), with where it was hit."""

    def __init__(self, mark: Any, message: Wording) -> None:
        super().__init__(message)
        self.mark = Mark(mark.line + 1, mark.column + 1)
        self.message = message


def _refuse_aliases_and_depth(text: str) -> None:
    """Walk the event stream (flat, no recursion) before composing any node.

    Aliases are refused (an alias bomb never gets built) and so is deep nesting (the composer
    recurses once per level). The scan always uses PyYAML's pure-Python parser, which has no
    nesting limit of its own: libyaml 0.2.6 (PyYAML 6.0.4) refuses deep flow nesting while
    scanning ahead, with its own words and at its own column, before Chorus's limit is reached.
    Chorus's limits must fire first whatever is installed, so their message and place are ours.
    """
    loader: Any = _Composer(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, AliasEvent):
                raise ChorusLimit(
                    event.start_mark,
                    Wording(
                        "aliases (*{anchor}) are not allowed in activity files; write the "
                        "value out in full",
                        anchor=event.anchor,
                    ),
                )
            if isinstance(event, MappingStartEvent | SequenceStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise ChorusLimit(event.start_mark, too_deep())
            elif isinstance(event, MappingEndEvent | SequenceEndEvent):
                depth -= 1
    finally:
        loader.dispose()


_ALIAS_LIKE = re.compile(r"(?:^|[\s,\[\{:\-\ufeff])\*[^\s*]")
_DEPTH_MARKS = re.compile(r"- |: |\? ")


def _needs_event_scan(text: str) -> bool:
    """Whether the text could hold an alias or nest too deeply (else the scan is skipped).

    A conservative bound: every nesting level needs an indent step, a "- ", a ": " or a
    bracket, so a file with fewer of those than MAX_DEPTH on any one path cannot be too deep.
    """
    if _ALIAS_LIKE.search(text):
        return True
    deepest = 0
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        deepest = max(deepest, len(line) - len(stripped) + len(_DEPTH_MARKS.findall(stripped)))
    return deepest + text.count("[") + text.count("{") >= MAX_DEPTH


def _compose_with(loader: Any) -> Node | None:
    try:
        root: Node | None = loader.get_single_node()
        return root
    finally:
        loader.dispose()


_EXOTIC = re.compile(
    r"[\t\r\x85\u2028\u2029\ufeff]"  # tabs and the rarer line breaks: the parsers differ
    r"|(?:^|[\s\[\{,])(?:[!&*%]|\?(?=\s|$))"  # tags, anchors, aliases, directives, '? ' keys
    r"|[|>][-+0-9]*[^-+0-9\s]",  # a block scalar header with anything unusual after it
    re.MULTILINE,
)


def _plain_enough_for_libyaml(text: str) -> bool:
    """Whether libyaml and PyYAML's pure-Python parser are known to agree on this text.

    Activity files are plain mappings, lists and text, where the two agree exactly (a
    differential fuzz test holds them to it). Where they are known to part ways (tabs, rare line
    breaks, tags, anchors, directives, complex keys, odd block-scalar headers) the pure-Python
    parser alone decides, so a file's result never depends on which is installed.
    """
    return _FAST and _EXOTIC.search(text) is None


def compose(text: str) -> Node | None:
    """Compose the node graph, with libyaml when installed; raises PyYAML's errors.

    Whatever libyaml says about a file, the answer is the pure-Python parser's: a file libyaml
    refuses is composed again in pure Python, so the result and the error (its marks and
    context, which ``yaml_syntax`` words) don't depend on whether or which libyaml is present.
    """
    if _needs_event_scan(text):
        _refuse_aliases_and_depth(text)
    if _plain_enough_for_libyaml(text):
        try:
            return _compose_with(_FastComposer(text))
        except yaml.YAMLError:
            pass  # libyaml's marks differ from the reference parser's: ask it (slower, rare)
    return _compose_with(_Composer(text))


def too_deep() -> Wording:
    """The problem of nesting deeper than `MAX_DEPTH` levels."""
    return Wording("nesting is deeper than {limit} levels", limit=MAX_DEPTH)

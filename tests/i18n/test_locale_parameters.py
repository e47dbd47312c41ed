"""No text falls back to English because a caller left its language out.

A function that words text for a reader takes the reader's language; when that parameter had a
default (``locale: str = "en"``, or ``locale: str | None = None`` meaning English), every caller
that forgot it showed English to a German or Spanish reader, and nothing noticed: the catalogue
tests see only that a text *is* translated, not that it is looked up in the right language.
With no default, mypy names every caller that lacks one.

This test reads bot/cogs, bot/ui and bot/core with `ast` (nothing is imported) and fails on:

- a parameter named ``locale`` or ``language`` with a default, in any function or method;
- a class field of that name with a default (a dataclass's ``locale: str = "en"``);
- a marked lookup (``_``, ``gettext``, ``ngettext``, ``pgettext``) given a fixed language: a
  string literal, ``None`` or ``SOURCE_LANGUAGE`` where the reader's language belongs.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("bot/cogs", "bot/ui", "bot/core")
NAMES = frozenset({"locale", "language"})

EXCEPTIONS = {
    # The activity file's own `locale:` field: the language its texts are written in (data,
    # not a reader's language); "en" is the format's documented default.
    ("bot/core/activity_models.py", "Activity.locale"),
    # cogs/listen_voice.py (the voice-i18n branch's file this round) calls these two for a
    # track's file and length only, no words; remove both once it passes a language.
    ("bot/core/listening.py", "step_track.locale"),
    ("bot/core/listening.py", "set_tracks.locale"),
    ("bot/cogs/listen_voice.py", "ListenVoice.where.locale"),
}
"""(file, qualified name) pairs allowed a default, each with its reason."""

LOOKUPS = {"_": 1, "gettext": 1, "pgettext": 2, "ngettext": 3}
"""Marked lookups and the position of their language argument."""


def _sources() -> Iterator[tuple[str, ast.Module]]:
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(), str(path))


def _defaults(tree: ast.Module) -> Iterator[tuple[str, int]]:
    """(qualified name, line) of every locale/language parameter or field with a default."""

    def visit(node: ast.AST, prefix: str) -> Iterator[tuple[str, int]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{child.name}"
                args = child.args
                positional = [*args.posonlyargs, *args.args]
                with_default = positional[len(positional) - len(args.defaults) :]
                for arg in with_default:
                    if arg.arg in NAMES:
                        yield f"{name}.{arg.arg}", arg.lineno
                for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
                    if arg.arg in NAMES and default is not None:
                        yield f"{name}.{arg.arg}", arg.lineno
                yield from visit(child, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                name = f"{prefix}{child.name}"
                for statement in child.body:
                    if (
                        isinstance(statement, ast.AnnAssign)
                        and isinstance(statement.target, ast.Name)
                        and statement.target.id in NAMES
                        and statement.value is not None
                    ):
                        yield f"{name}.{statement.target.id}", statement.lineno
                yield from visit(child, f"{name}.")

    yield from visit(tree, "")


def _fixed_languages(tree: ast.Module) -> Iterator[int]:
    """Lines where a marked lookup is given a fixed language instead of the reader's."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        position = LOOKUPS.get(node.func.id)
        if position is None or len(node.args) <= position:
            continue
        language = node.args[position]
        if isinstance(language, ast.Constant) or (
            isinstance(language, ast.Name) and language.id == "SOURCE_LANGUAGE"
        ):
            yield node.lineno


def test_no_language_parameter_has_a_default() -> None:
    found = {(file, name): line for file, tree in _sources() for name, line in _defaults(tree)}
    wrong = sorted(
        f"{file}:{line} {name}"
        for (file, name), line in found.items()
        if (file, name) not in EXCEPTIONS
    )
    assert not wrong, (
        "A language parameter with a default lets a caller show English by forgetting it; "
        "remove the default and pass the reader's language (member_language/reply_language "
        "for private replies, the server's for public posts and DMs):\n" + "\n".join(wrong)
    )
    stale = sorted(f"{file} {name}" for file, name in EXCEPTIONS if (file, name) not in found)
    assert not stale, "No longer needed, remove from EXCEPTIONS:\n" + "\n".join(stale)


def test_no_text_is_looked_up_in_a_fixed_language() -> None:
    wrong = [f"{file}:{line}" for file, tree in _sources() for line in _fixed_languages(tree)]
    assert not wrong, "A text looked up in a fixed language, not the reader's:\n" + "\n".join(wrong)


def test_the_scan_sees_a_default_and_a_fixed_language() -> None:
    """The checks above find what they look for (so their passing means something)."""
    tree = ast.parse(
        "from dataclasses import dataclass\n"
        "def worded(x, locale='en'):\n    return _('Hi', 'en')\n"
        "class Card:\n    locale: str = 'en'\n"
        "    def text(self, *, language=None):\n        return ngettext('a', 'b', 2, None)\n"
        "def fine(x, locale):\n    return _('Hi', locale)\n"
    )
    assert sorted(_defaults(tree)) == [
        ("Card.locale", 5),
        ("Card.text.language", 6),
        ("worded.locale", 2),
    ]
    assert sorted(_fixed_languages(tree)) == [3, 7]

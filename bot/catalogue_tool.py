"""Keeps the message catalogues in step with the code: ``python -m bot.catalogue_tool``.

``make messages`` runs it: it extracts every text marked in ``bot/`` (``_``, ``gettext``,
``ngettext``, ``N_``, as ``pybabel extract -F babel.cfg`` would) and every text of the slash-command
tree (descriptions, option names under the context ``option name``, choices), writes the template
``bot/locales/chorus.pot`` and merges it into each language's ``chorus.po`` (new texts arrive
untranslated, texts gone from the code are dropped). tests/test_catalogue.py fails until the
template matches the code and every language translates every text.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import io
import sys
import tempfile
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir, extract_python
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po
from discord.app_commands import TranslationContextLocation as Where

from bot.i18n import DOMAIN, LOCALES_DIR, SHIPPED, SOURCE_LANGUAGE, catalogue_path
from bot.ui.translator import OPTION_NAME, UNTRANSLATED, tree_texts

if TYPE_CHECKING:
    from babel.messages.extract import _PyOptions

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = LOCALES_DIR / f"{DOMAIN}.pot"
KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "_": None,
    "gettext": None,
    "N_": None,
    "ngettext": (1, 2),
    "counted": (1, 2),  # bot/ui/privacy.py's plural texts, worded when the count is known
    "SummaryCount": (1, 2),  # a step kind's summary count (its `few` text is marked N_)
    # Texts worded when the reader is known: activity-file problems (bot/core/yaml_*.py, the
    # loader, error_wording) and the format's validation errors (format_error(kind, text)).
    "Wording": None,
    "plural": (1, 2),
    "format_error": (2,),
}
"""The marking functions of bot/i18n/ (texts.py, wording.py) and the arguments that hold the texts."""


BABEL_FSTRING_WARNING = "warning: Skipping f-string with substitutions"
"""The start of babel's own warning (after the file and line) about an f-string anywhere in a
marked call, also one that is only a keyword argument's value (a placeholder's)."""


def fstring_texts(source: str, keywords: Mapping[str, tuple[int, ...] | None]) -> list[int]:
    """The lines (1-based) of `source` (Python code) where a call of one of `keywords` (a name
    as KEYWORDS has it, to the 1-based positions of its texts, None for the first) is given an
    f-string with substitutions as a text to translate: it could never match a catalogue entry.
    Only those positional arguments count; a placeholder's value (`channel=f"<#{id}>"`) is
    filled in after the translation and may be anything. Raises SyntaxError for code that
    does not parse."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if not isinstance(name, str) or name not in keywords:
            continue
        for position in keywords[name] or (1,):
            if position > len(node.args):
                continue
            text = node.args[position - 1]
            if isinstance(text, ast.JoinedStr) and any(
                isinstance(part, ast.FormattedValue) for part in text.values
            ):
                lines.append(text.lineno)
    return sorted(lines)


def extract_python_texts(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: _PyOptions,
) -> list[tuple[int, str, Any, list[str]]]:
    """babel's Python extractor (the same messages), with its f-string warning replaced by
    `fstring_texts`' rule: babel warns of an f-string anywhere inside a marked call, a
    placeholder's value included; this warns only of one given as a text to translate.
    `keywords` are the marking functions' names (babel passes KEYWORDS' keys). Returns what
    babel's gives: (line, marking function, its texts, translator comments) of each call."""
    source = fileobj.read()
    fileobj.seek(0)
    told = io.StringIO()
    with contextlib.redirect_stderr(told):
        # babel types each result as (line, text, comments, context); it is as returned here.
        found: list[Any] = list(
            extract_python(fileobj, dict.fromkeys(keywords), comment_tags, options)
        )
    for line in told.getvalue().splitlines(keepends=True):
        if BABEL_FSTRING_WARNING not in line:
            sys.stderr.write(line)
    path = getattr(fileobj, "name", "(unknown)")
    marks = {name: KEYWORDS.get(name) for name in keywords}
    for lineno in fstring_texts(source.decode(options.get("encoding", "utf-8")), marks):
        sys.stderr.write(
            f"{path}:{lineno}: warning: an f-string with substitutions as a text to translate"
            " can't be translated: mark the text with named placeholders and pass the values"
            ' as keyword arguments, e.g. _("Hello {name}", locale, name=name).\n'
        )
    return found


def code_messages() -> list[tuple[str | tuple[str, ...], str | None]]:
    """(msgid or (singular, plural), context) of every marked text in bot/; a text to
    translate given as an f-string with substitutions is told on stderr (`fstring_texts`)."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)  # type: ignore[no-untyped-call]
    # Every Python file goes through our wrapper of babel's extractor (its warning rule).
    method_map = [
        (pattern, extract_python_texts if method == "python" else method)
        for pattern, method in method_map
    ]
    found = []
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        found.append((message, context))
    return found


async def command_messages() -> list[tuple[str, str | None]]:
    """(text, context) of every translated text of the command tree, as the bot registers it."""
    from bot.app import create_bot
    from bot.chorus_bot import COGS
    from bot.settings import Settings

    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(
            database_path=Path(scratch) / "chorus.db", media_dir=Path(scratch) / "media"
        )
        bot = create_bot(settings)
        # Some cogs read the store when they load; nothing connects to Discord.
        await bot.store.open()
        try:
            await bot.guild_settings.load()
            await bot.library.load()
            for name in COGS:
                await bot.load_extension(name)
            texts = tree_texts(bot.tree.get_commands())
        finally:
            await bot.close()
    return [
        (text, OPTION_NAME if where is Where.parameter_name else None)
        for where, text in texts
        if where not in UNTRANSLATED
    ]


def template() -> Catalog:
    """The catalogue template as the code and the command tree make it today."""
    catalog = Catalog(domain=DOMAIN, project="Chorus", locale=SOURCE_LANGUAGE, fuzzy=False)
    for message, context in code_messages():
        catalog.add(message, context=context)
    for text, context in asyncio.run(command_messages()):
        catalog.add(text, context=context)
    return catalog


def write(catalog: Catalog, path: Path) -> None:
    """`catalog` written to `path` as a .po/.pot file, 100 columns wide, sorted, without source
    locations (so a file changes only when a text does)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        # No line numbers or dates: the files change only when a text changes.
        write_po(out, catalog, width=100, omit_header=False, no_location=True, sort_output=True)


def _keys(catalog: Catalog) -> set[tuple[str | None, object]]:
    return {(m.context, m.id) for m in catalog if m.id}


def main() -> int:
    """`make messages`: the template extracted again (its date kept when no text changed) and merged
    into each shipped language's catalogue without fuzzy matching; prints each language's
    untranslated count. Returns 0 (the exit status)."""
    fresh = template()
    if TEMPLATE.exists():
        with TEMPLATE.open("rb") as pot:
            before = read_po(pot, domain=DOMAIN)
        if _keys(before) == _keys(fresh):
            # Nothing changed: keep the date too, so an idle run leaves no diff.
            fresh.creation_date = before.creation_date
    write(fresh, TEMPLATE)
    for language in SHIPPED:
        if language == SOURCE_LANGUAGE:
            continue
        path = catalogue_path(language)
        if path.exists():
            with path.open("rb") as po:
                catalog = read_po(po, locale=language, domain=DOMAIN)
        else:
            catalog = Catalog(domain=DOMAIN, project="Chorus", locale=language, fuzzy=False)
        # No fuzzy matching: a guessed translation of a changed text is worse than none.
        catalog.update(fresh, no_fuzzy_matching=True)
        write(catalog, path)
        untranslated = [m.id for m in catalog if m.id and not all(_forms(m))]
        print(f"{language}: {len(catalog)} texts, {len(untranslated)} untranslated")
    return 0


def _forms(message: Message) -> list[str]:
    """A message's translations: its one string, or each plural form's (all must be given)."""
    if isinstance(message.string, tuple | list):
        return list(message.string)
    return [message.string or ""]


if __name__ == "__main__":
    sys.exit(main())

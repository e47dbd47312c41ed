"""The facilitator guide's translations keep up with the English guide in README.md.

``docs/facilitator-guide.<language>.md`` translates README.md's "## Facilitator's guide" section
(from that heading to just before "## Writing activities"). Each translation keeps the section's
headings, names every slash command the section names, gives every button and label the section
puts in bold exactly as that language's catalogue shows it, and leaves no paragraph in English.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import zip_longest
from pathlib import Path

import pytest
import simcord
from babel.messages.pofile import read_po
from discord import app_commands

from bot.i18n import DOMAIN, catalogue_path
from bot.ui.translator import OPTION_NAME
from tests.conftest import chorus_of

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("de", "es")

NOT_IN_CATALOGUE = {
    "Facilitator": "the default name of the facilitator role, a server's own role name",
    "Manage Server": "Discord's permission name; Discord's client shows its own translation",
    "Move Members": "Discord's permission name; Discord's client shows its own translation",
    "Interested": "Discord's own button on a server event, shown by Discord's client",
    "session board": "the guide's name for the board message, not a label on it",
    "waitlist": "a word of the guide's prose (the board's field is the catalogue's 'Waitlist')",
    "let in": "the Manage list's options read 'Let in: <name>', a text with a placeholder",
    "take out": "the Manage list's options read 'Take out: <name>', a text with a placeholder",
    "What you need": "one of the guide's own bold sub-headings",
    "Try it on a real server": "one of the guide's own bold sub-headings",
    "Developing without a server": "one of the guide's own bold sub-headings",
    "Covered:": "one of the guide's own bold sub-headings",
    "Not covered:": "one of the guide's own bold sub-headings",
    "with a voice channel": "emphasis in the guide's prose",
    "set": "emphasis in the guide's prose (several pieces back to back)",
    "FFmpeg": "a program's name",
}
"""Bold terms of the English guide that are no catalogue entry, with the reason; every other bold
term must be a msgid (or 'A/B' of two msgids, like 'Pause/Resume': two labels of one button)."""

ENGLISH_WORDS = frozenset({"the", "and", "with", "you", "your", "when", "is", "are", "of", "that"})
"""Common English words that no German or Spanish sentence uses; two of them in a paragraph's prose
mean the paragraph was left (partly) in English."""


def english_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("\n## Facilitator's guide\n")
    return readme[start : readme.index("\n## Writing activities\n", start)]


def translation(language: str) -> str:
    path = ROOT / "docs" / f"facilitator-guide.{language}.md"
    if not path.is_file():
        pytest.fail(
            f"{path.relative_to(ROOT)} is missing: translate README.md's Facilitator's guide"
        )
    return path.read_text(encoding="utf-8")


def without_code_blocks(text: str) -> str:
    """The text with each fenced code block replaced by a blank line."""
    return re.sub(r"^[ \t]*```.*?^[ \t]*```[ \t]*$", "", text, flags=re.M | re.S)


def one_line(text: str) -> str:
    return " ".join(text.split())


def headings(text: str) -> list[tuple[int, str]]:
    """(level, title) of every Markdown heading outside code blocks, in order."""
    found = re.findall(r"^(#{1,6}) +(.+?)\s*$", without_code_blocks(text), re.M)
    return [(len(marks), title) for marks, title in found]


def bold_terms(text: str) -> list[str]:
    """Every **bold** text outside code blocks, its line breaks as spaces, first seen first."""
    found = re.findall(r"\*\*([^*]+?)\*\*", without_code_blocks(text))
    return list(dict.fromkeys(one_line(term) for term in found))


@cache
def catalogue(language: str) -> dict[str, str]:
    """msgid -> msgstr of the language's catalogue (texts without a context, no plurals)."""
    with catalogue_path(language).open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    return {
        m.id: m.string
        for m in catalog
        if isinstance(m.id, str) and m.id and m.context is None and isinstance(m.string, str)
    }


@cache
def option_names(language: str) -> dict[str, str]:
    """English option name -> the name the language's Discord client shows (msgctxt "option name")."""
    with catalogue_path(language).open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    return {
        m.id: m.string
        for m in catalog
        if m.context == OPTION_NAME and isinstance(m.id, str) and isinstance(m.string, str)
    }


def paragraphs(text: str) -> list[str]:
    """The prose paragraphs of a text: blank-line separated, code blocks and code-only lines left
    out, whitespace collapsed."""
    found = []
    for block in re.split(r"\n[ \t]*\n", without_code_blocks(text)):
        lines = [
            line for line in block.splitlines() if re.sub(r"`[^`]*`|[\s\-*#>.,;:()0-9]", "", line)
        ]
        if lines:
            found.append(one_line("\n".join(lines)))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_translation_opens_with_the_english_guide_it_matches(language: str) -> None:
    opening = translation(language).lstrip().split("\n\n", 1)[0]
    assert "(../README.md#facilitators-guide)" in opening, (
        f"the {language} guide's first lines should link the English guide it translates"
    )
    assert re.search(r"\b[0-9a-f]{7,40}\b", opening), (
        f"the {language} guide's first lines should name the README commit it matches"
    )
    assert not opening.startswith("#"), "the note comes before the guide's first heading"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_translation_has_the_english_headings(language: str) -> None:
    english, translated = headings(english_section()), headings(translation(language))
    if [level for level, _ in english] != [level for level, _ in translated]:
        rows = [f"  {shown(e):<50} | {shown(t)}" for e, t in zip_longest(english, translated)]
        pytest.fail(
            f"the {language} guide's headings differ from README.md's (English | {language}):\n"
            + "\n".join(rows)
        )


def shown(heading: tuple[int, str] | None) -> str:
    return "-" if heading is None else "#" * heading[0] + " " + heading[1]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_translation_names_every_command_the_english_guide_names(
    env: simcord.Env, language: str
) -> None:
    english, translated = one_line(english_section()), one_line(translation(language))
    commands = sorted(
        "/" + c.qualified_name
        for c in chorus_of(env).tree.walk_commands()
        if isinstance(c, app_commands.Command)
    )

    def named(command: str, text: str) -> bool:
        return re.search(re.escape(command) + r"(?![\w-])", text) is not None

    mentioned = [c for c in commands if named(c, english)]
    # The English guide names every command (tests/test_readme.py): the walk found them.
    assert len(mentioned) > 50
    missing = [c for c in mentioned if not named(c, translated)]
    assert not missing, f"the {language} guide never names these commands: {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_translation_writes_options_as_that_languages_client_shows_them(language: str) -> None:
    # `title:Tuesday circle`, `capacity:8`: an option typed with its value, as in Discord.
    spans = re.findall(r"`([^`]+)`", one_line(without_code_blocks(english_section())))
    typed = {name for span in spans for name in re.findall(r"(?<![\w-])([a-z_]+):(?! )", span)}
    names = option_names(language)
    options = sorted(typed & names.keys())
    assert len(options) > 20, "the English guide's typed options were found"
    translated = one_line(translation(language))
    missing = [
        f"{names[o]}: (English {o}:)"
        for o in options
        if not re.search(rf"(?<![\w-]){re.escape(names[o])}:", translated)
    ]
    assert not missing, f"the {language} guide never types these options: {missing}"


def test_the_bold_terms_outside_the_catalogue_are_bold_in_the_english_guide() -> None:
    english = bold_terms(english_section())
    stale = [t for t in NOT_IN_CATALOGUE if t not in english]
    assert not stale, f"NOT_IN_CATALOGUE lists terms the English guide no longer has: {stale}"
    in_catalogue = [t for t in NOT_IN_CATALOGUE if t in catalogue("de")]
    assert not in_catalogue, f"these are catalogue entries now; take them off: {in_catalogue}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_translation_gives_every_bold_label_as_the_catalogue_shows_it(language: str) -> None:
    shown = catalogue(language)
    translated = set(bold_terms(translation(language)))
    # A bold "A/B" names two labels, so each half counts as bold too.
    bold = translated | {part for term in translated for part in term.split("/")}
    problems: list[str] = []
    for term in bold_terms(english_section()):
        if term in NOT_IN_CATALOGUE:
            continue
        parts = [term] if term in shown else term.split("/")
        if not all(part in shown for part in parts):
            problems.append(
                f"**{term}** is no catalogue entry: fix the English guide or add it to "
                "NOT_IN_CATALOGUE with the reason"
            )
            continue
        wanted = [shown[part] for part in parts]
        if "/".join(wanted) not in bold and not all(w in bold for w in wanted):
            expected = " and ".join(f"**{w}**" for w in wanted)
            problems.append(f"**{term}** should appear as {expected}")
    assert not problems, f"the {language} guide's bold labels:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_paragraph_of_the_translation_is_left_in_english(language: str) -> None:
    english = set(paragraphs(english_section()))
    problems: list[str] = []
    for paragraph in paragraphs(translation(language)):
        if paragraph in english:
            problems.append(f"untranslated: {paragraph[:100]}")
            continue
        prose = re.sub(r"`[^`]*`|\]\([^)]*\)|https?://\S+", " ", paragraph)
        words = sorted(ENGLISH_WORDS & set(re.findall(r"[a-z]+", prose.lower())))
        if len(words) >= 2:
            problems.append(f"reads as English ({', '.join(words)}): {paragraph[:100]}")
    assert not problems, f"the {language} guide:\n" + "\n".join(problems)


def section_links(text: str) -> list[set[str]]:
    """The link targets of each section, split at headings (what comes before the first heading
    counts with the first section); a language's own PRIVACY page reads ``PRIVACY.<lang>.md``."""
    found: list[set[str]] = [set()]
    seen_heading = False
    for line in without_code_blocks(text).splitlines():
        if re.match(r"#{1,6} ", line):
            if seen_heading:
                found.append(set())
            seen_heading = True
        for target in re.findall(r"\]\(([^)]+)\)", line):
            found[-1].add(re.sub(r"PRIVACY\.(de|es)\.md", "PRIVACY.<lang>.md", target))
    return found


def test_the_translations_point_to_the_same_pages_in_each_section() -> None:
    """A note one translation makes and the other lacks often carries a link (the syllable
    counter's English-only note links "Translating an activity"): each section of the German and
    the Spanish guide links the same pages."""
    german, spanish = (section_links(translation(language)) for language in LANGUAGES)
    assert len(german) == len(spanish)
    titles = [title for _, title in headings(translation("de"))]
    problems = [
        f"{title}: only German {sorted(de - es)}, only Spanish {sorted(es - de)}"
        for title, de, es in zip(titles, german, spanish, strict=True)
        if de != es
    ]
    assert not problems, "\n".join(problems)

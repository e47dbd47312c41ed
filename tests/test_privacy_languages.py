"""PRIVACY.de.md and PRIVACY.es.md keep up with PRIVACY.md.

The same rules as the facilitator guide's translations (tests/test_guide_languages.py): the same
headings, the same number of bullets and table rows in each section (a stored thing, a retention
rule or a /forget row added to PRIVACY.md and not to a translation fails here), every slash
command PRIVACY.md names, every button it names (bold, or quoted) as that language's catalogue
shows it, and no paragraph left in English.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import simcord
from discord import app_commands

from tests.conftest import chorus_of
from tests.test_guide_languages import (
    ENGLISH_WORDS,
    LANGUAGES,
    bold_terms,
    catalogue,
    headings,
    one_line,
    paragraphs,
    without_code_blocks,
)

ROOT = Path(__file__).resolve().parent.parent

QUOTED_NOT_LABELS = {
    "passed": "a marker word of the contributions log, worded freely in prose",
    "slept badly": "an example of a tag a member types in their own words",
}
"""Quoted texts of PRIVACY.md that are catalogue entries but not labels a member sees there."""


def english() -> str:
    return (ROOT / "PRIVACY.md").read_text(encoding="utf-8")


def translation(language: str) -> str:
    return (ROOT / f"PRIVACY.{language}.md").read_text(encoding="utf-8")


def counts(text: str) -> list[tuple[str, int, int]]:
    """(heading, bullets, table rows) for each section, headings in order; the text before the
    first heading is a section of its own."""
    found: list[tuple[str, int, int]] = []
    heading, bullets, rows = "", 0, 0
    for line in without_code_blocks(text).splitlines():
        if re.match(r"#{1,6} ", line):
            found.append((heading, bullets, rows))
            heading, bullets, rows = line, 0, 0
        elif re.match(r"\s*[-*] ", line):
            bullets += 1
        elif line.startswith("|") and not re.match(r"\|\s*-", line):
            rows += 1
    found.append((heading, bullets, rows))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_same_headings(language: str) -> None:
    assert [level for level, _ in headings(translation(language))] == [
        level for level, _ in headings(english())
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_same_bullets_and_table_rows_in_each_section(language: str) -> None:
    theirs = counts(translation(language))
    ours = counts(english())
    assert len(theirs) == len(ours)
    problems = [
        f"{e[0] or '(opening)'} has {e[1]} bullets and {e[2]} rows; {t[0] or '(opening)'} has "
        f"{t[1]} and {t[2]}"
        for e, t in zip(ours, theirs, strict=True)
        if e[1:] != t[1:]
    ]
    assert not problems, f"PRIVACY.{language}.md lags PRIVACY.md:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_every_command_privacy_names(env: simcord.Env, language: str) -> None:
    ours, theirs = one_line(english()), one_line(translation(language))
    commands = sorted(
        "/" + c.qualified_name
        for c in chorus_of(env).tree.walk_commands()
        if isinstance(c, app_commands.Command | app_commands.Group)
    )

    def named(command: str, text: str) -> bool:
        return re.search(re.escape(command) + r"(?![\w-])", text) is not None

    mentioned = [c for c in commands if named(c, ours)]
    assert len(mentioned) > 15
    missing = [c for c in mentioned if not named(c, theirs)]
    assert not missing, f"PRIVACY.{language}.md never names: {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_label_as_the_catalogue_shows_it(language: str) -> None:
    shown = catalogue(language)
    text = one_line(translation(language))
    bold = set(bold_terms(translation(language)))
    problems = [
        f"**{term}** should appear as **{shown[term]}**"
        for term in bold_terms(english())
        if term in shown and shown[term] not in bold
    ]
    # Labels in quotes, bold or not ('If you press "Share with the group"', "a former member").
    for quoted in dict.fromkeys(re.findall(r'"([^"]+)"', english())):
        if quoted in shown and quoted not in QUOTED_NOT_LABELS and shown[quoted] not in text:
            problems.append(f'"{quoted}" should appear as "{shown[quoted]}"')
    assert not problems, f"PRIVACY.{language}.md:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_paragraph_left_in_english(language: str) -> None:
    ours = set(paragraphs(english()))
    problems: list[str] = []
    for paragraph in paragraphs(translation(language)):
        for row in paragraph.split(" | ") if paragraph.startswith("|") else [paragraph]:
            prose = re.sub(r"`[^`]*`|\]\([^)]*\)|https?://\S+", " ", row)
            words = sorted(ENGLISH_WORDS & set(re.findall(r"[a-z]+", prose.lower())))
            if row in ours or len(words) >= 2:
                problems.append(f"reads as English ({', '.join(words)}): {row[:100]}")
    assert not problems, f"PRIVACY.{language}.md:\n" + "\n".join(problems)

"""The catalogues keep up with the code: every text extracted, translated, same placeholders.

`make messages` (python -m bot.catalogue_tool) rewrites the template and merges the languages; these
tests fail until it has been run and every new text translated.
"""

from __future__ import annotations

import io
import string
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from bot import catalogue_tool
from bot.i18n import DOMAIN, SHIPPED, catalogue_path, gettext, ngettext
from bot.i18n.catalogue import load_catalogues, translations

LANGUAGES = [lang for lang in SHIPPED if lang != "en"]


def load(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=locale, domain=DOMAIN)


def keys(catalog: Catalog) -> set[tuple[str | None, str]]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.fixture(scope="module")
def template() -> Catalog:
    return catalogue_tool.template()


def test_the_template_holds_exactly_the_texts_of_the_code_and_commands(template: Catalog) -> None:
    committed = load(catalogue_tool.TEMPLATE)
    missing = keys(template) - keys(committed)
    stale = keys(committed) - keys(template)
    assert not missing, (
        f"texts not in the catalogue (run `make messages`): {sorted(missing, key=str)}"
    )
    assert not stale, f"texts no longer in the code (run `make messages`): {sorted(stale, key=str)}"
    # The command tree alone gives well over a hundred texts: the extraction really ran.
    assert len(keys(template)) > 150


def test_extracting_the_code_warns_of_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    """A placeholder's value may be an f-string (`channel=f"<#{voice}>"`, bot/ui/steps/listen.py):
    babel's extractor warns of it, ours doesn't; the texts are the same."""
    messages = catalogue_tool.code_messages()
    assert ("It plays in {channel} when the countdown reaches zero.", None) in messages
    assert "warning" not in capsys.readouterr().err


def test_only_a_text_to_translate_given_as_an_f_string_is_warned_of() -> None:
    source = "\n".join(
        [
            '_("It plays in {channel}.", locale, channel=f"<#{voice}>")',
            '_(f"Hello {name}", locale)',
            'ngettext("one", f"{n} many", n)',
            'format_error(kind, f"bad {x}")',
            'format_error(f"{kind}", "fine")',
            'self.texts._(f"{a}", locale)',
            '_(f"no substitution", locale)',
            'print(f"{not_marked}")',
        ]
    )
    assert catalogue_tool.fstring_texts(source, catalogue_tool.KEYWORDS) == [2, 3, 4, 6]


def test_the_extractor_warns_at_the_line_of_an_f_string_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    file = io.BytesIO(b'x = 1\n_(f"Hello {name}", locale)\n_("Hi {name}", locale, name=f"{a}")\n')
    file.name = "greeting.py"
    found = list(catalogue_tool.extract_python_texts(file, catalogue_tool.KEYWORDS, [], {}))
    assert [texts[0] for _line, _name, texts, _comments in found] == [None, "Hi {name}"]
    warnings = capsys.readouterr().err.splitlines()
    assert len(warnings) == 1 and warnings[0].startswith("greeting.py:2: warning: an f-string")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_translates_every_text(template: Catalog, language: str) -> None:
    catalog = load(catalogue_path(language), language)
    assert keys(catalog) == keys(template)
    untranslated = [
        m.id for m in catalog if m.id and (not m.string or not all(_forms(m)) or m.fuzzy)
    ]
    assert not untranslated, f"{language} lacks: {untranslated}"


def _forms(message: Message) -> list[str]:
    return (
        list(message.string) if isinstance(message.string, tuple | list) else [message.string or ""]
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_use_the_same_placeholders(language: str) -> None:
    catalog = load(catalogue_path(language), language)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        wanted = set().union(*(fields(i) for i in ids))
        for form in _forms(message):
            # A singular form may leave out {count} ("one song"); nothing may be added.
            if fields(form) - wanted or (len(ids) == 1 and fields(form) != wanted):
                wrong.append((message.id, form))
    assert not wrong, f"{language}: placeholders differ: {wrong}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_follow_each_language(language: str) -> None:
    catalog = load(catalogue_path(language), language)
    rule = Locale.parse(language).plural_form
    assert catalog.num_plurals == len(rule.rules) + 1
    plurals = [m for m in catalog if m.id and m.pluralizable]
    assert plurals, "the catalogue has plural texts to check"
    for message in plurals:
        assert len(_forms(message)) == catalog.num_plurals, message.id


def test_lookups_fill_named_placeholders_after_translating() -> None:
    text = "{count} of {total} answered"
    # The verb agrees with how many answered: "1 von 5 hat", "2 von 5 haben".
    assert ngettext(text, text, 1, "de", total=5) == "1 von 5 hat geantwortet"
    assert ngettext(text, text, 2, "es-ES", total=4) == "2 de 4 han respondido"
    assert ngettext(text, text, 2, "fr", total=4) == "2 of 4 answered"
    assert gettext("Which activity", "de") == "Welche Aktivität"
    assert gettext("Which activity", "pt-BR") == "Which activity"


def test_every_shipped_catalogue_compiles_and_english_is_the_msgids() -> None:
    load_catalogues()  # what start-up's worker thread runs
    assert translations("de").gettext("Connect") == "Verbinden"
    assert translations("es-ES") is translations("es-ES")  # compiled once
    assert translations("pt-BR").gettext("Connect") == "Connect"
    assert translations(None).gettext("Connect") == "Connect"

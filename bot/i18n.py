"""Message catalogues: every string Chorus writes, looked up per locale (gettext, via Babel).

The catalogues are ``bot/locales/<lang>/LC_MESSAGES/chorus.po``; the English text in the code is
the msgid. Only the ``.po`` files are committed: they are compiled to ``gettext`` catalogues in
memory the first time a language is used (Babel's ``read_po`` + ``write_mo``, a few milliseconds),
so there is no binary ``.mo`` that can drift from its source.

Texts take named placeholders, filled after translation so each language may reorder them::

    _("{count} of {total} answered", locale, count=3, total=5)
    ngettext("{count} member", "{count} members", n, locale)   # count=n is filled in

A field that is an ``int`` or ``float`` is a quantity and is written the reader's way (Babel's
CLDR data): ``1000`` -> ``"1.000"`` (de), ``"1000"`` (es: four digits take no separator),
``10000`` -> ``"10.000"`` (de, es); ``1.5`` -> ``"1,5"``. English texts keep their figures as
the code writes them, without grouping (``"1000"``, ``"1.5"``; a float's ``.0`` dropped), as
they have always read in logs, ``chorus validate`` and tests; ``format_number`` still groups
English (``"1,000"``) where a caller asks for it (``Figure(1.0, 1)`` keeps one decimal). Numbers that are not quantities stay as
written: a field wrapped in ``Verbatim`` (a year, a number the member typed); a field whose name
is ``id``, ``ids``, ends in ``_id``, or is ``year``, ``years``, ``code``, ``version``,
``line`` or ``column``; and a
field placed in Discord markup or an address (``<t:{at}:f>``, ``<@{id}>``, ``<#{channel}>``,
``</name:{id}>``, ``#{id}``, ``.../{id}``, ``?x={id}``), so a timestamp, a snowflake or a
custom id never gets a separator. A field with a format spec (``{x:02d}``) is formatted by
Python as written.

This module never imports discord: core, ui and cogs all use it.
"""

from __future__ import annotations

import gettext as _gettext
import io
import re
import string
from collections.abc import Sequence
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

from babel import dates, lists, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "chorus"
SOURCE_LANGUAGE = "en"
SHIPPED = ("en", "de", "es")
"""Languages with a complete interface catalogue (English is the source text)."""


def language_of(locale: str | None) -> str | None:
    """``"es-ES"`` or ``"es_ES"`` -> ``"es"`` when Chorus ships that language, else None."""
    if not locale:
        return None
    language = str(locale).replace("_", "-").split("-")[0].lower()
    return language if language in SHIPPED else None


def catalogue_path(language: str) -> Path:
    """The ``.po`` file of one language (it may not exist for unsupported ones)."""
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(locale: str | None) -> _gettext.NullTranslations:
    """The compiled catalogue for a locale; English (the msgids) when Chorus has none for it."""
    language = language_of(locale)
    if language is None or language == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    with catalogue_path(language).open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    # Fuzzy entries are guesses from `pybabel update`: never shown to members.
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def load_catalogues() -> None:
    """Compile every shipped catalogue and load Babel's number and date data for each language
    now (about 0.1 s in all): called once at start-up in a worker thread, so the first German
    or Spanish post, and the first figure or date shown in each language, don't wait for it."""
    for language in SHIPPED:
        translations(language)
        format_number(1.5, language)
        format_percent(0.5, language)
        format_day(datetime(2026, 1, 1), language)


def gettext(message: str, locale: str | None, /, **fields: Any) -> str:
    """``message`` in ``locale`` with its ``{named}`` placeholders filled from ``fields``.

    Without fields the text is returned as translated (braces untouched). Raises KeyError when
    a translation names a placeholder not given (the catalogue tests prevent that).
    """
    text = translations(locale).gettext(message)
    return _fill(text, message, fields, locale) if fields else text


def ngettext(singular: str, plural: str, count: int, locale: str | None, /, **fields: Any) -> str:
    """The plural form of a text for ``count`` under the language's plural rule.

    ``{count}`` is filled with ``count`` (written the language's way, like every number
    field) unless given otherwise in ``fields``.
    """
    text = translations(locale).ngettext(singular, plural, count)
    return _fill(text, singular, {"count": count, **fields}, locale)


_ = gettext


def source_text(message: str, /, **fields: Any) -> str:
    """``message`` as written in the code (English), its fields filled as for an English reader
    (numbers too): the wording of logs and of ``str()`` of a refusal."""
    return _fill(message, message, fields, SOURCE_LANGUAGE) if fields else message


def N_(message: str) -> str:
    """Marks a text for the catalogue where it is defined; translate it where it is shown."""
    return message


class Wording(str):
    """A catalogue text and its fields, worded once the reader's language is known.

    It is a ``str`` holding the English wording (what logs, ``chorus validate`` and comparisons
    see); ``text(locale)`` words it in a shipped language. ``template`` is the msgid (marked for
    the catalogue by the ``Wording`` keyword), its ``{named}`` placeholders filled from
    ``fields``: a field that is itself a Wording is worded in the same language, a list of them
    is joined with "; ", any other value (a field name, a number, what
    someone wrote) is shown as it is::

        Wording("unknown field '{name}'", name="titel").text("de")
        Wording.plural("{count} more error", "{count} more errors", 3)
    """

    template: str
    plural_template: str | None
    plural_count: int | None
    fields: dict[str, Any]

    def __new__(cls, template: str, /, **fields: Any) -> Wording:
        return cls._make(template, None, None, fields)

    @classmethod
    def plural(cls, singular: str, plural: str, count: int, /, **fields: Any) -> Wording:
        """The plural form for ``count`` under each language's rule; ``{count}`` is filled."""
        return cls._make(singular, plural, count, fields)

    @classmethod
    def _make(
        cls, template: str, plural: str | None, count: int | None, fields: dict[str, Any]
    ) -> Wording:
        english = _word(template, plural, count, fields, SOURCE_LANGUAGE)
        made = super().__new__(cls, english)
        made.template, made.plural_template, made.plural_count = template, plural, count
        made.fields = dict(fields)
        return made

    def text(self, locale: str | None) -> str:
        """The text in ``locale`` (a language code such as ``"de"``; None: English)."""
        return _word(self.template, self.plural_template, self.plural_count, self.fields, locale)


def worded(value: Any, locale: str | None) -> Any:
    """A field's value for a reader in ``locale``: a Wording worded, a list of them worded and
    joined with "; ", any other value as it is."""
    if isinstance(value, Wording):
        return value.text(locale)
    if isinstance(value, list | tuple) and any(isinstance(item, Wording) for item in value):
        return "; ".join(str(worded(item, locale)) for item in value)
    return value


def _word(
    template: str,
    plural: str | None,
    count: int | None,
    fields: dict[str, Any],
    locale: str | None,
) -> str:
    # Always formatted, fields or not, so a template writes a literal brace as {{ or }}.
    values = {name: worded(value, locale) for name, value in fields.items()}
    if plural is not None and count is not None:
        text = translations(locale).ngettext(template, plural, count)
        values.setdefault("count", count)
    else:
        text = translations(locale).gettext(template)
    return _fill(text, template, values, locale)


class Verbatim:
    """A field value shown exactly as Python writes it, never as a localised quantity: a year,
    a number someone typed, an id whose name doesn't say so::

        _("session dates ({years})", locale, years=Verbatim(2026))
    """

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return f"Verbatim({self.value!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Verbatim) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)


class Figure:
    """A quantity with a fixed number of decimals, written the reader's way when its text is
    worded: ``Figure(1.0, 1)`` -> ``"1.0"`` (en), ``"1,0"`` (de, es). Use it where the digits
    after the point matter (a file size "1.0 MB") and the reader isn't known yet."""

    __slots__ = ("decimals", "value")

    def __init__(self, value: float, decimals: int) -> None:
        self.value, self.decimals = value, decimals

    def __format__(self, spec: str) -> str:
        return _number_text(self.value, SOURCE_LANGUAGE, self.decimals)

    def __str__(self) -> str:
        return _number_text(self.value, SOURCE_LANGUAGE, self.decimals)

    def __repr__(self) -> str:
        return f"Figure({self.value!r}, {self.decimals})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Figure) and (other.value, other.decimals) == (
            self.value,
            self.decimals,
        )

    def __hash__(self) -> int:
        return hash((self.value, self.decimals))


_VERBATIM_NAMES = frozenset({"id", "ids", "year", "years", "code", "version", "line", "column"})
"""Field names whose numbers are ids or labels, not quantities (a line of a file is read against
an editor's numbering, which has no separators)."""

_MARKUP_BEFORE = re.compile(r"(?:<t:|<@[!&]?|<#|</[^<>\s]*:|#|/|=)$")
"""What precedes a field inside Discord markup or an address: a timestamp ``<t:``, a member,
role or channel mention, a command mention ``</name:``, a number ``#``, a path or a query."""


@lru_cache(maxsize=4096)
def _verbatim_fields(text: str) -> frozenset[str]:
    """The fields of a (translated) text whose numbers are written as they are (see the module
    docstring); cached per text, bounded as a caller could word a text made at run time."""
    verbatim = set()
    for literal, name, spec, conversion in string.Formatter().parse(text):
        if name is None:
            continue
        field = re.split(r"[.\[]", name, maxsplit=1)[0]
        if spec or conversion or _MARKUP_BEFORE.search(literal):
            verbatim.add(field)
    return frozenset(verbatim)


def _is_quantity(name: str, value: object) -> bool:
    if type(value) is Figure:
        return True
    # type() rather than isinstance(): a bool or an IntEnum is not a quantity. Integers of up
    # to three digits read the same in every shipped language, so they skip Babel (the board
    # fills many small counts on every edit).
    if type(value) is int:
        if -1000 < value < 1000:
            return False
    elif type(value) is not float:
        return False
    return name not in _VERBATIM_NAMES and not name.endswith("_id")


def _fill(text: str, source: str, fields: dict[str, Any], locale: str | None) -> str:
    """``text.format(**fields)``, each quantity written the way ``locale`` writes numbers;
    ``source`` is the English msgid, read too for where a field stands (a translation may
    write "Nr. {number}" where the code said "#{number}": still an id)."""
    # The common case first, without a call per field: small whole numbers and text only.
    for value in fields.values():
        kind = type(value)
        if kind is float or kind is Figure or (kind is int and not -1000 < value < 1000):
            break
    else:
        return text.format(**fields)
    quantities = [name for name, value in fields.items() if _is_quantity(name, value)]
    if not quantities:
        return text.format(**fields)
    verbatim = _verbatim_fields(source) | _verbatim_fields(text)
    shown = dict(fields)
    for name in quantities:
        if name not in verbatim:
            value = fields[name]
            shown[name] = (
                _number_text(value.value, _babel_locale(locale), value.decimals)
                if isinstance(value, Figure)
                else _number_text(value, _babel_locale(locale), None)
            )
    return text.format(**shown)


# ---------------------------------------------------------------------------------------------
# Who sees which language
# ---------------------------------------------------------------------------------------------


def public_language(server_language: str | None) -> str:
    """The language of a public post in a session (step cards, the board, summaries): the
    server's (``/setup language``) when Chorus ships it, else English."""
    return language_of(server_language) or SOURCE_LANGUAGE


def private_language(member_locale: str | None, server_language: str | None) -> str:
    """The language of a private reply: the member's Discord client language when Chorus ships
    it (``"es-ES"`` -> ``"es"``), else the server's, else English."""
    return language_of(member_locale) or public_language(server_language)


# ---------------------------------------------------------------------------------------------
# Numbers and dates in a language (Discord timestamps stay <t:...> and render in each client)
# ---------------------------------------------------------------------------------------------


def format_number(value: float, locale: str | None, decimals: int | None = None) -> str:
    """``1234.5`` -> ``"1,234.5"`` (en), ``"1.234,5"`` (de, es); ``decimals`` fixes the digits
    after the point (``3`` with 1 -> ``"3.0"``, ``"3,0"``)."""
    pattern = None if decimals is None else "#,##0." + "0" * decimals if decimals else "#,##0"
    language = _babel_locale(locale)
    return numbers.format_decimal(
        value, format=pattern, locale=language, group_separator=_grouped(value, language)
    )


@lru_cache(maxsize=4096)
def _number_text(value: float, language: str, decimals: int | None) -> str:
    # Babel takes some 25 µs a number; a board repeats the same few figures on every edit.
    if language == SOURCE_LANGUAGE:
        # English texts keep their figures as they have always read (and as logs, `chorus
        # validate` and tests see them): no grouping, "1000"; "90", not "90.0".
        pattern = None if decimals is None else "0." + "0" * decimals if decimals else "0"
        return numbers.format_decimal(value, format=pattern, locale=language, group_separator=False)
    return format_number(value, language, decimals)


def format_percent(fraction: float, locale: str | None) -> str:
    """``0.25`` -> ``"25%"`` (en), ``"25 %"`` (de, es)."""
    language = _babel_locale(locale)
    return numbers.format_percent(
        fraction, locale=language, group_separator=_grouped(fraction * 100, language)
    )


_GROUPED_FROM = {"es": 10_000}
"""The smallest number written with grouping separators, where it is not 1000: CLDR's
``minimumGroupingDigits`` is 2 for Spanish (common/main/es.xml: ``1000`` but ``10.000``), and
Babel 2.19 does not read it, so Chorus applies it here."""


def _grouped(value: float, language: str) -> bool:
    """Whether ``value`` takes grouping separators in ``language``."""
    return abs(value) >= _GROUPED_FROM.get(language, 1000)


def format_list(items: Sequence[str], locale: str | None) -> str:
    """Items joined the language's way: ``["A", "B", "C"]`` -> ``"A, B, and C"`` (en),
    ``"A, B und C"`` (de), ``"A, B y C"`` (es) (Babel's CLDR list patterns)."""
    return lists.format_list(list(items), locale=_babel_locale(locale))


def format_day(when: date | datetime, locale: str | None) -> str:
    """A calendar day in words for the language: ``"Mar 27, 2026"``, ``"27.03.2026"``, ``"27 mar 2026"``.

    ``when`` is a date, or an aware datetime already in the zone the reader should see.
    """
    return dates.format_date(when, format="medium", locale=_babel_locale(locale))


def short_day(when: date | datetime, locale: str | None) -> str:
    """A day with its weekday and no year, as the language writes it: ``"Fri, Mar 27"``,
    ``"Fr., 27. März"``, ``"vie, 27 mar"`` (Babel's CLDR skeleton ``MMMEd``)."""
    return dates.format_skeleton("MMMEd", when, locale=_babel_locale(locale))


def day_names(
    locale: str | None, width: Literal["abbreviated", "narrow", "short", "wide"] = "wide"
) -> list[str]:
    """The week's day names from Monday, as the language writes them inside a sentence:
    ``["Monday", ...]`` (en), ``["Montag", ...]`` (de), ``["lunes", ...]`` (es); ``width``
    "abbreviated" gives ``"Mon"``, ``"Mo."``, ``"lun"`` (Babel's CLDR data)."""
    names = dates.get_day_names(width, context="format", locale=_babel_locale(locale))
    return [names[day] for day in range(7)]


def _babel_locale(locale: str | None) -> str:
    return language_of(locale) or SOURCE_LANGUAGE

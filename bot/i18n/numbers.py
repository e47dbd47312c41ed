"""Numbers as the reader writes them (Babel's CLDR data), alone or in a text's fields.

A field that is an ``int`` or ``float`` is a quantity and is written the reader's way:
``1000`` -> ``"1.000"`` (de), ``"1000"`` (es: four digits take no separator), ``10000`` ->
``"10.000"`` (de, es); ``1.5`` -> ``"1,5"``. English texts keep their figures as the code
writes them, without grouping (``"1000"``, ``"1.5"``; a float's ``.0`` dropped), as they have
always read in logs, ``chorus validate`` and tests; ``format_number`` still groups English
(``"1,000"``) where a caller asks for it (``Figure(1.0, 1)`` keeps one decimal). Numbers that
are not quantities stay as written: a field wrapped in ``Verbatim`` (a year, a number the member
typed); a field whose name is ``id``, ``ids``, ends in ``_id``, or is ``year``, ``years``,
``code``, ``version``, ``line`` or ``column``; and a field placed in Discord markup or an
address (``<t:{at}:f>``, ``<@{id}>``, ``<#{channel}>``, ``</name:{id}>``, ``#{id}``,
``.../{id}``, ``?x={id}``), so a timestamp, a snowflake or a custom id never gets a separator.
A field with a format spec (``{x:02d}``) is formatted by Python as written.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from typing import Any

from babel import numbers

from bot.i18n.languages import SOURCE_LANGUAGE, babel_locale


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


def fill(text: str, source: str, fields: dict[str, Any], locale: str | None) -> str:
    """``text.format(**fields)``, each quantity written the way ``locale`` writes numbers;
    ``source`` is the English msgid, read too for where a field stands (a translation may
    write "Nr. {number}" where the code said "#{number}": still an id). Raises KeyError when
    ``text`` names a field not in ``fields``."""
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
                _number_text(value.value, babel_locale(locale), value.decimals)
                if isinstance(value, Figure)
                else _number_text(value, babel_locale(locale), None)
            )
    return text.format(**shown)


def format_number(value: float, locale: str | None, decimals: int | None = None) -> str:
    """``1234.5`` -> ``"1,234.5"`` (en), ``"1.234,5"`` (de, es); ``decimals`` fixes the digits
    after the point (``3`` with 1 -> ``"3.0"``, ``"3,0"``)."""
    pattern = None if decimals is None else "#,##0." + "0" * decimals if decimals else "#,##0"
    language = babel_locale(locale)
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
    language = babel_locale(locale)
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

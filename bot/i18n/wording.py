"""`Wording`: a catalogue text and its fields, kept until the reader's language is known (an
activity file's problems, a refusal raised in core and shown in ui)."""

from __future__ import annotations

from typing import Any

from bot.i18n.catalogue import translations
from bot.i18n.languages import SOURCE_LANGUAGE
from bot.i18n.numbers import fill


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
    return fill(text, template, values, locale)

"""Slash commands in the member's own language: discord.py's Translator over Chorus's catalogue.

Discord shows each member a command's description, option names and choices in their client's
language when the bot uploads localisations. Every text of the command tree is a msgid of the same
catalogue as the rest of Chorus (``bot/locales``); option names are looked up under the context
``option name`` so a short word like "word" can translate differently as a name and as a text.

Command and group names stay as written: facilitator guides, screenshots and members helping each
other all say ``/checkin``, whatever the client language. Option names and choices do translate.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Where

from bot.i18n import language_of, translations

OPTION_NAME = "option name"
"""The msgctxt of option names in the catalogue."""
UNTRANSLATED = frozenset({Where.command_name, Where.group_name})
"""Where names stay as written (see the module's docstring)."""


def translate_text(message: str, location: Where, language: str) -> str | None:
    """The catalogue's translation of one tree text, or None to keep Discord's default (English)."""
    if location in UNTRANSLATED or language_of(language) in (None, "en"):
        return None
    catalogue = translations(language)
    if location is Where.parameter_name:
        return catalogue.pgettext(OPTION_NAME, message)
    return catalogue.gettext(message)


class ChorusTranslator(app_commands.Translator):
    """Looks every command text up in the catalogue for the German and Spanish clients."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        """A command text in Discord's `locale` from the catalogue; None to keep the English."""
        language = language_of(locale.value)
        if language is None:
            return None
        found = translate_text(string.message, context.location, language)
        # The same text as English needs no localisation: Discord falls back to the default.
        return None if found == string.message else found


TreeItem = app_commands.Command[Any, ..., Any] | app_commands.Group | app_commands.ContextMenu


def tree_texts(items: list[TreeItem]) -> list[tuple[Where, str]]:
    """Every text of a command tree as (where it is used, the English text), tree order.

    ``items`` is ``tree.get_commands()``; groups are walked into.
    """
    found: list[tuple[Where, str]] = []
    for item in items:
        if isinstance(item, app_commands.ContextMenu):
            found.append((Where.command_name, item.name))
            continue
        if isinstance(item, app_commands.Group):
            found += [(Where.group_name, item.name), (Where.group_description, item.description)]
            found += tree_texts(list(item.commands))
            continue
        found += [(Where.command_name, item.name), (Where.command_description, item.description)]
        for param in item.parameters:
            found += [
                (Where.parameter_name, param.display_name),
                (Where.parameter_description, param.description),
            ]
            found += [(Where.choice_name, choice.name) for choice in param.choices]
    return found

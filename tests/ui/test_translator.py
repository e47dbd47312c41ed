"""Slash commands in German and Spanish: every text of the real command tree, within Discord's rules.

The bot starts through simcord, which receives the commands as Discord would (with their
localisations); the walk covers every command, group, option and choice the tree has.
"""

from __future__ import annotations

import re

import discord
import simcord
from babel.messages.pofile import read_po
from discord import app_commands
from discord.app_commands import TranslationContext
from discord.app_commands import TranslationContextLocation as Where

from bot.i18n import DOMAIN, catalogue_path
from bot.ui.translator import OPTION_NAME, UNTRANSLATED, ChorusTranslator, tree_texts
from tests.conftest import chorus_of

NAME_RULE = re.compile(r"^[-_\w\u0900-\u097F\u0E00-\u0E7F]{1,32}$")
"""Discord's rule for command and option names (letters and digits of any script, - and _);
https://discord.com/developers/docs/interactions/application-commands#application-command-object"""


def valid_name(name: str) -> bool:
    """Whether a localised option name is accepted by Discord: 1-32 chars, lowercase, no spaces."""
    return bool(NAME_RULE.fullmatch(name)) and name == name.lower()


CLIENTS = {
    "de": (discord.Locale.german,),
    "es": (discord.Locale.spain_spanish, discord.Locale.latin_american_spanish),
}
MAX_LENGTH = {Where.parameter_name: 32, Where.choice_name: 100}
"""Descriptions are at most 100 characters too (the default below)."""


def translated_keys(language: str) -> set[tuple[str | None, str]]:
    with catalogue_path(language).open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    return {(m.context, m.id) for m in catalog if isinstance(m.id, str) and m.string}


async def test_every_command_text_translates_into_german_and_spanish(env: simcord.Env) -> None:
    texts = tree_texts(chorus_of(env).tree.get_commands())
    assert len(texts) > 250, "the whole tree was walked"
    translator = ChorusTranslator()
    problems: list[str] = []
    for language, clients in CLIENTS.items():
        known = translated_keys(language)
        for where, text in texts:
            context = OPTION_NAME if where is Where.parameter_name else None
            if where not in UNTRANSLATED and (context, text) not in known:
                problems.append(f"{language}: no translation of {where.name} {text!r}")
            for client in clients:
                found = await translator.translate(
                    app_commands.locale_str(text),
                    client,
                    # discord.py's overloads pair each literal location with its data; the
                    # translator reads only the location.
                    TranslationContext(where, None),  # type: ignore[call-overload]
                )
                if where in UNTRANSLATED:
                    assert found is None, f"{text} stays as written"
                    continue
                shown = found or text
                if len(shown) > MAX_LENGTH.get(where, 100):
                    problems.append(f"{client.value}: too long: {shown!r}")
                if where is Where.parameter_name and not valid_name(shown):
                    problems.append(f"{client.value}: not a valid option name: {shown!r}")
    assert not problems, "\n".join(problems)


async def test_discord_receives_the_localisations_with_the_commands(env: simcord.Env) -> None:
    synced = {c["name"]: c for c in env.backend.commands[None].values()}
    checkin = synced["checkin"]
    now = next(o for o in checkin["options"] if o["name"] == "now")
    assert now["description_localizations"] == {
        "de": "Einchecken, wie es dir gerade geht (privat)",
        "es-ES": "Contar cómo estás ahora mismo (privado)",
        "es-419": "Contar cómo estás ahora mismo (privado)",
    }
    scale = next(o for o in now["options"] if o["name"] == "scale")
    assert scale["name_localizations"]["de"] == "skala"
    # Command names are the same in every language (guides and members share them).
    assert "name_localizations" not in checkin or not checkin["name_localizations"]
    rhyme = synced["rhyme"]
    assert rhyme["options"][0]["name_localizations"] == {
        "de": "wort",
        "es-ES": "palabra",
        "es-419": "palabra",
    }
    for payload in synced.values():
        assert payload["description_localizations"].keys() >= {"de", "es-ES"}, payload["name"]

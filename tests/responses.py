"""Typed views of what simcord captured: the message that answered an interaction, the labels of a
message's buttons and the fields of an embed.

simcord types an interaction's response as optional (an interaction may be answered by a modal or
not at all) and discord.py types a message's components and an embed field's text as optional; a
test that expects them calls these helpers, which fail with an AssertionError naming what was
missing instead of an AttributeError deep in an assertion.
"""

from __future__ import annotations

import discord
from simcord.results import InteractionResult, ResponseMessage


def reply_to(result: InteractionResult) -> ResponseMessage:
    """The message the bot answered `result`'s interaction with.

    Raises AssertionError when the interaction got no response message (a modal, a deferral
    without a message, or no answer at all).
    """
    message = result.response
    if message is None:
        raise AssertionError(f"the interaction got no response message: {result!r}")
    return message


def row_items(
    message: discord.Message,
) -> list[discord.Button | discord.SelectMenu | discord.TextInput]:
    """The items of the message's action rows, row by row.

    Raises AssertionError when a top-level component is not an action row (a components-v2
    layout), which these tests never expect.
    """
    items: list[discord.Button | discord.SelectMenu | discord.TextInput] = []
    for row in message.components:
        if not isinstance(row, discord.ActionRow):
            raise AssertionError(f"expected only action rows, got {row!r}")
        items.extend(row.children)
    return items


def buttons_of(message: discord.Message) -> list[discord.Button]:
    """The message's buttons, row by row; AssertionError when a row holds anything but buttons."""
    buttons: list[discord.Button] = []
    for item in row_items(message):
        if not isinstance(item, discord.Button):
            raise AssertionError(f"expected only buttons, got {item!r}")
        buttons.append(item)
    return buttons


def button_labels(message: discord.Message) -> list[str | None]:
    """The labels of the message's buttons, row by row (None for an emoji-only button)."""
    return [button.label for button in buttons_of(message)]


def select_menus_of(message: discord.Message) -> list[discord.SelectMenu]:
    """The message's select menus, row by row (its buttons are left out)."""
    return [item for item in row_items(message) if isinstance(item, discord.SelectMenu)]


def fields_of(embed: discord.Embed) -> dict[str, str]:
    """The embed's fields as name -> value; AssertionError for a field without a name or value
    (Discord requires both)."""
    fields: dict[str, str] = {}
    for field in embed.fields:
        if field.name is None or field.value is None:
            raise AssertionError(f"embed field without a name or value: {field!r}")
        fields[field.name] = field.value
    return fields

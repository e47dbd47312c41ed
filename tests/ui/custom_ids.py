"""Reading a view's custom ids, and parsing an id as discord.py does, for the id tests."""

from __future__ import annotations

from typing import Any

import discord

from bot.ui.components import FAMILIES, TypedComponent


def ids(view: discord.ui.View | None) -> list[str]:
    assert view is not None
    return [str(getattr(item, "custom_id", "")) for item in view.children]


def parsed(custom_id: str) -> TypedComponent:
    """The one family whose template matches, built from the id as discord.py would."""
    owners = [f for f in FAMILIES if f.__discord_ui_compiled_template__.fullmatch(custom_id)]
    assert len(owners) == 1, (custom_id, owners)
    match = owners[0].__discord_ui_compiled_template__.fullmatch(custom_id)
    assert match is not None
    values: dict[str, Any] = {name: convert(match[name]) for name, convert in owners[0].fields}
    return owners[0](discord.ui.Button(custom_id=custom_id), **values)

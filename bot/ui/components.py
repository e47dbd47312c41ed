"""Persistent buttons: stable custom ids `chorus:<area>:<args...>` that work after a restart."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.cogs.errors import is_expected, respond_to_error
from bot.ui import limits

if TYPE_CHECKING:
    from bot.app import ChorusBot

CUSTOM_ID = re.compile(r"chorus:(?P<area>[a-z_]+):(?P<args>[A-Za-z0-9_:.-]*)")


def custom_id(area: str, *args: object) -> str:
    value = ":".join(["chorus", area, *(str(a) for a in args)])
    if len(value) > 100 or not CUSTOM_ID.fullmatch(value):
        raise ValueError(f"bad custom id {value!r}")
    return value


class ChorusButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=CUSTOM_ID):
    """One persistent item class for all Chorus buttons; routing happens by area."""

    def __init__(self, item: discord.ui.Button[Any], area: str, args: list[str]) -> None:
        super().__init__(item)
        self.area = area
        self.args = args

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ChorusButton:
        args = [a for a in match["args"].split(":") if a != ""]
        return cls(cast(discord.ui.Button[Any], item), match["area"], args)

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = cast("ChorusBot", interaction.client)
        handler = bot.component_handlers.get(self.area)
        try:
            if handler is None:
                from bot.core.errors import UserFacingError

                raise UserFacingError("This button belongs to a feature that is no longer here.")
            await handler(interaction, self.args)
        except Exception as error:
            await respond_to_error(interaction, error)
            if not is_expected(error):
                raise


def button(
    label: str,
    area: str,
    *args: object,
    style: discord.ButtonStyle = discord.ButtonStyle.secondary,
    emoji: str | None = None,
    row: int | None = None,
    disabled: bool = False,
) -> ChorusButton:
    """A button whose clicks reach the handler registered for `area`, restart or not."""
    inner: discord.ui.Button[Any] = discord.ui.Button(
        label=limits.button_label(label),
        custom_id=custom_id(area, *args),
        style=style,
        emoji=emoji,
        row=row,
        disabled=disabled,
    )
    return ChorusButton(inner, area, [str(a) for a in args])


def link_button(label: str, url: str, *, row: int | None = None) -> discord.ui.Button[Any]:
    return discord.ui.Button(
        label=limits.button_label(label), url=url, style=discord.ButtonStyle.link, row=row
    )


def persistent_view(*items: discord.ui.Item[Any]) -> discord.ui.View:
    """A timeout-free view of dynamic items: nothing is kept in memory per message."""
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    return view

"""Slash commands a cog adds under another cog's group (e.g. /session schedule under /session):
attached when the cog loads, detached when it unloads, so each cog keeps its own commands."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from discord import app_commands
from discord.ext import commands

Subcommand = app_commands.Command[Any, Any, Any] | app_commands.Group
CogT = TypeVar("CogT")


class CogGroup(Generic[CogT], app_commands.Group):
    """A subcommand group whose commands hand their options to `cog`, the cog that attaches it
    (`Generic` first: discord.py's `Group.__init_subclass__` does not pass the call on).
    A subclass names itself as discord.py's class keywords do:
    `class TagGroup(CogGroup["CheckinTagsCog"], name="tag", description="...")`."""

    def __init__(self, cog: CogT) -> None:
        super().__init__()
        self.cog = cog


def attach(bot: commands.Bot, parent: str, *subcommands: Subcommand, loader: str) -> None:
    """Add `subcommands` under the top-level group named `parent` (e.g. "session").

    Raises RuntimeError when no such group is registered yet: `loader` (the calling cog's
    module, for the message) must load after the cog that owns the group (`COGS`)."""
    group = bot.tree.get_command(parent)
    if not isinstance(group, app_commands.Group):
        raise RuntimeError(f"{loader} must load after the /{parent} group")
    for subcommand in subcommands:
        group.add_command(subcommand)


def detach(bot: commands.Bot, parent: str, *names: str) -> None:
    """Remove the subcommands `names` from the group `parent`, if it is still registered."""
    group = bot.tree.get_command(parent)
    if isinstance(group, app_commands.Group):
        for name in names:
            group.remove_command(name)

"""Who may do what: facilitators are members with a configured role or Manage Server."""

from __future__ import annotations

from collections.abc import Iterable

import discord

from bot.core.errors import NotFacilitator, UserFacingError


def is_facilitator(user: discord.abc.User, role_names: Iterable[str]) -> bool:
    if not isinstance(user, discord.Member):
        return False
    if user.guild_permissions.manage_guild or user.guild_permissions.administrator:
        return True
    wanted = {name.casefold() for name in role_names}
    return any(role.name.casefold() in wanted for role in user.roles)


def require_facilitator(interaction: discord.Interaction, role_names: Iterable[str]) -> None:
    """Refuse, saying who may, when the person is not a facilitator."""
    names = list(role_names)
    if not is_facilitator(interaction.user, names):
        roles = " or ".join(f"**{n}**" for n in names) or "a facilitator"
        raise NotFacilitator(
            f"Only facilitators can do this: members with the {roles} role, "
            "or the Manage Server permission."
        )


def require_guild(interaction: discord.Interaction) -> tuple[int, int]:
    """The server and channel ids, or a refusal in direct messages."""
    if interaction.guild_id is None or interaction.channel_id is None:
        raise UserFacingError("This works inside a server, not in direct messages.")
    return interaction.guild_id, interaction.channel_id

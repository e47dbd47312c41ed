"""Who may do what: facilitators are members with a configured role or Manage Server."""

from __future__ import annotations

import discord

from bot.core.errors import NotFacilitator, UserFacingError
from bot.core.guild_settings import GuildConfig
from bot.core.session import leads as session_leads
from bot.i18n import N_, format_list
from bot.records.sessions import SessionRecord
from bot.ui.locale import member_language


def is_facilitator(user: discord.abc.User, config: GuildConfig) -> bool:
    """Manage Server (or Administrator), or one of the server's facilitator roles.

    The roles a server chose with /setup roles (by id, so renaming a role keeps it) replace the
    role names of the operator's config.
    """
    if not isinstance(user, discord.Member):
        return False
    if user.guild_permissions.manage_guild or user.guild_permissions.administrator:
        return True
    if config.facilitator_role_ids:
        chosen = set(config.facilitator_role_ids)
        return any(role.id in chosen for role in user.roles)
    wanted = {name.casefold() for name in config.facilitator_roles}
    return any(role.name.casefold() in wanted for role in user.roles)


def leads(user: discord.abc.User, session: SessionRecord, config: GuildConfig) -> bool:
    """Whether `user` leads `session` (`bot.core.session.leads`): who opened it, or one of the
    server's facilitators by `config` (`is_facilitator`)."""
    return session_leads(session, user.id, is_facilitator(user, config))


def facilitator_roles_text(config: GuildConfig, locale: str) -> str:
    """The facilitator roles as a member reads them: role mentions or names, joined by "or"."""
    if config.facilitator_role_ids:
        return format_list(
            [f"<@&{role_id}>" for role_id in config.facilitator_role_ids], locale, "or"
        )
    return format_list([f"**{n}**" for n in config.facilitator_roles], locale, "or")


def require_facilitator(interaction: discord.Interaction, config: GuildConfig) -> None:
    """Raises NotFacilitator, saying who may, when the person is not a facilitator."""
    if not is_facilitator(interaction.user, config):
        roles = facilitator_roles_text(config, member_language(interaction))
        if not roles:
            raise NotFacilitator(
                N_("Only facilitators can do this: members with the Manage Server permission.")
            )
        raise NotFacilitator(
            N_(
                "Only facilitators can do this: members with the {roles} role, "
                "or the Manage Server permission."
            ),
            roles=roles,
        )


def require_manage_server(interaction: discord.Interaction) -> None:
    """Raises NotFacilitator for anyone without Manage Server: server settings decide who the
    facilitators are."""
    user = interaction.user
    allowed = isinstance(user, discord.Member) and (
        user.guild_permissions.manage_guild or user.guild_permissions.administrator
    )
    if not allowed:
        raise NotFacilitator(
            N_(
                "Only members with the Manage Server permission can change Chorus's settings "
                "for this server. /setup show lists them."
            )
        )


def require_guild(interaction: discord.Interaction) -> tuple[int, int]:
    """The server and channel ids (guild_id, channel_id). Raises UserFacingError in direct
    messages."""
    if interaction.guild_id is None or interaction.channel_id is None:
        raise UserFacingError(N_("This works inside a server, not in direct messages."))
    return interaction.guild_id, interaction.channel_id

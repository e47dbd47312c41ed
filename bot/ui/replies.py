"""Private replies: the one error path (a UserFacingError becomes an ephemeral reply; anything
else gets a code) and `show_private`, the one way a handler answers with a private message."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import discord
from discord import app_commands

from bot.i18n import _
from bot.ui.errors import http_error, message_for
from bot.ui.file_names import full_text_name
from bot.ui.limits import fit_content
from bot.ui.locale import member_language

log = logging.getLogger("chorus.errors")


async def reply_ephemeral(interaction: discord.Interaction, content: str) -> None:
    """Answer privately whether or not the interaction was already acknowledged; a text over
    Discord's 2,000 characters is cut at a word and attached whole."""
    shown, whole = fit_content(content, full_text_name(member_language(interaction)))
    extra: dict[str, Any] = {"file": whole} if whole is not None else {}
    try:
        if interaction.response.is_done():
            await interaction.followup.send(
                shown, ephemeral=True, allowed_mentions=discord.AllowedMentions.none(), **extra
            )
        else:
            await interaction.response.send_message(
                shown, ephemeral=True, allowed_mentions=discord.AllowedMentions.none(), **extra
            )
    except discord.HTTPException as error:
        log.warning(
            "could not deliver a private reply to %s (%s); lost: %r",
            interaction.user.id,
            http_error(error),
            content[:200],
        )


async def reply_outcome(
    interaction: discord.Interaction, happened: bool, happened_text: str, otherwise: str
) -> None:
    """A private reply (`reply_ephemeral`) in the member's language saying how a change went:
    the catalogue text `happened_text` when `happened`, else `otherwise` (msgids marked N_)."""
    text = happened_text if happened else otherwise
    await reply_ephemeral(interaction, _(text, member_language(interaction)))


async def show_private(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    embeds: Sequence[discord.Embed] = (),
    view: discord.ui.View | None = None,
    file: discord.File | None = None,
) -> None:
    """Answer `interaction` with a message only the member sees, mentioning no one (it may hold
    member text); what is None or empty is left out. The caller fits it to Discord's limits.
    Raises discord.InteractionResponded when the interaction was answered already and
    discord.HTTPException when Discord refuses the message."""
    given: dict[str, Any] = {"embed": embed, "embeds": list(embeds), "view": view, "file": file}
    await interaction.response.send_message(
        content,
        ephemeral=True,
        allowed_mentions=discord.AllowedMentions.none(),
        **{name: value for name, value in given.items() if value is not None and value != []},
    )


async def respond_to_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Tell the member privately what went wrong, in their language (bot/ui/locale.py)."""
    await reply_ephemeral(interaction, message_for(error, member_language(interaction)))


class ChorusTree(app_commands.CommandTree[discord.Client]):
    """Routes every command error through `respond_to_error`."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Every command's error, answered through the one error path (`respond_to_error`: a private
        reply for a UserFacingError, a logged apology otherwise)."""
        await respond_to_error(interaction, error)

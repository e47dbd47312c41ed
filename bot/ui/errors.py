"""The wording of errors: what a member is told, whether an error is a bug, Discord's answer in a
log line. The cogs' one error path (`bot/ui/replies.py`) and the forms (`bot/ui/forms.py`) use it."""

from __future__ import annotations

import logging
import secrets

import discord
from discord import app_commands

from bot.core.errors import StorageBusy, UserFacingError
from bot.records.errors import StorageUnavailable

log = logging.getLogger("chorus.errors")


def unwrap(error: BaseException) -> BaseException:
    """The exception that really happened, under discord.py's invoke wrappers."""
    while isinstance(
        error, app_commands.CommandInvokeError | discord.ext.commands.CommandInvokeError
    ):
        error = error.original
    return error


def is_expected(error: BaseException) -> bool:
    """Refusals and storage trouble are part of normal life; they are not bugs."""
    error = unwrap(error)
    return isinstance(
        error,
        UserFacingError
        | StorageUnavailable
        | app_commands.CheckFailure
        | app_commands.TransformerError,
    )


def message_for(error: BaseException) -> str:
    """What the person sees; unexpected errors are logged under a short code they can quote."""
    error = unwrap(error)
    if isinstance(error, UserFacingError):
        return error.message
    if isinstance(error, StorageUnavailable):
        log.warning("storage unavailable: %s", error)
        return StorageBusy().message
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} seconds."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command works inside a server, not in direct messages."
    if isinstance(error, app_commands.TransformerError):
        return f"I couldn't understand {error.value!r}. Please pick one of the suggestions."
    if isinstance(error, app_commands.CheckFailure):
        return str(error) or "You can't use this command here."
    code = secrets.token_hex(2)
    log.error("unexpected error (code %s)", code, exc_info=error, extra={"error_code": code})
    return (
        f"Something went wrong (code {code}). Nothing you did caused this; please try again, "
        "and if it keeps happening give this code to whoever runs the bot."
    )


def http_error(error: discord.HTTPException) -> str:
    """Discord's answer in a log line: the HTTP status, Discord's error code and its message."""
    return f"HTTP {error.status}, Discord error {error.code}: {error.text or 'no message'}"

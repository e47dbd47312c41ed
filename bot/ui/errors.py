"""The wording of errors: what a member is told, whether an error is a bug, Discord's answer in a
log line. The cogs' one error path (`bot/ui/replies.py`) and the forms (`bot/ui/forms.py`) use it."""

from __future__ import annotations

import logging
import secrets

import discord
from discord import app_commands

from bot.core.errors import StorageBusy, UserFacingError
from bot.i18n import N_, _, ngettext
from bot.records.errors import StorageUnavailable

log = logging.getLogger("chorus.errors")

# Discord's refusals (403) explained per known error code
# (https://discord.com/developers/docs/topics/opcodes-and-status-codes#json); Discord's own
# English text goes to the log only.
MISSING_ACCESS = N_(
    "Discord refused: I can't see that channel. Please ask a server manager to give me the "
    "**View Channel** permission there."
)
MISSING_PERMISSIONS = N_(
    "Discord refused: I'm missing a permission in this channel. Please ask a server manager to "
    "give me the **View Channel**, **Send Messages**, **Embed Links** and **Attach Files** "
    "permissions here."
)
DMS_CLOSED = N_(
    "Discord wouldn't let me send that direct message: the person's direct messages from this "
    "server are closed."
)
FORBIDDEN_BY_CODE = {50001: MISSING_ACCESS, 50013: MISSING_PERMISSIONS, 50007: DMS_CLOSED}


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
        | app_commands.TransformerError
        | discord.Forbidden,
    )


def message_for(error: BaseException, locale: str | None) -> str:
    """What the person sees, in ``locale`` (a language code; None: English); unexpected errors
    are logged under a short code they can quote."""
    error = unwrap(error)
    if isinstance(error, UserFacingError):
        return error.text(locale)
    if isinstance(error, StorageUnavailable):
        log.warning("storage unavailable: %s", error)
        return StorageBusy().text(locale)
    if isinstance(error, app_commands.CommandOnCooldown):
        return ngettext(
            "Slow down a little: try again in {count} second.",
            "Slow down a little: try again in {count} seconds.",
            max(1, round(error.retry_after)),
            locale,
        )
    if isinstance(error, app_commands.NoPrivateMessage):
        return _("This command works inside a server, not in direct messages.", locale)
    if isinstance(error, app_commands.TransformerError):
        return _(
            "I couldn't understand “{value}”. Please pick one of the suggestions.",
            locale,
            value=str(error.value)[:100],
        )
    if isinstance(error, discord.Forbidden):
        log.warning("Discord refused an action: %s", http_error(error))
        return _(FORBIDDEN_BY_CODE.get(error.code, MISSING_PERMISSIONS), locale)
    if isinstance(error, app_commands.CheckFailure):
        # discord.py's own check texts are English; ours are UserFacingErrors (above).
        return _("You can't use this command here.", locale)
    code = secrets.token_hex(2)
    log.error("unexpected error (code %s)", code, exc_info=error, extra={"error_code": code})
    return _(
        "Something went wrong (code {code}). Nothing you did caused this; please try again, "
        "and if it keeps happening give this code to whoever runs the bot.",
        locale,
        code=code,
    )


def http_error(error: discord.HTTPException) -> str:
    """Discord's answer in a log line: the HTTP status, Discord's error code and its message."""
    return f"HTTP {error.status}, Discord error {error.code}: {error.text or 'no message'}"


def log_refused(
    log: logging.Logger, error: discord.HTTPException, what: str, *args: object
) -> None:
    """A warning in `log` that Chorus could not do something on Discord: `what` (a %-format
    over `args`, e.g. "could not post the Start button for occurrence %s"), then Discord's
    answer in brackets (`http_error`)."""
    log.warning(what + " (%s)", *args, http_error(error))

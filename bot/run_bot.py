"""Start the real bot: logging, Discord endpoints, login, and a clean exit on failure."""

from __future__ import annotations

import asyncio
import logging

import discord
import yarl
from discord import gateway, http

from bot.app import create_bot
from bot.gc_tuning import stop_settling, tune_garbage_collector
from bot.health import HealthFile
from bot.logging_setup import setup_logging
from bot.rest_proxy import retry_through_proxy
from bot.settings import Settings

log = logging.getLogger("chorus")


def _apply_endpoints(settings: Settings) -> None:
    """Point discord.py at a proxy when configured, through its public class attributes."""
    if settings.discord.api_base:
        http.Route.BASE = settings.discord.api_base.rstrip("/")
    if settings.discord.gateway_url:
        gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord.gateway_url)


def run_bot(settings: Settings) -> int:
    """Start the real bot with `settings` (logging, Discord endpoints, the health file) and run it
    until it stops. Returns the exit status: 1 when Discord rejects the token or the members intent,
    Discord can't be reached, or the bot fails; 0 otherwise."""
    setup_logging(settings.log_level, settings.log_format)
    _apply_endpoints(settings)
    bot = create_bot(settings)
    HealthFile(settings.health_file).watch(bot)  # for `chorus health`
    tune_garbage_collector()
    token = settings.token.get_secret_value() if settings.token else ""

    async def main() -> None:
        if settings.discord.api_base:
            # A shared proxy's own 429s and timeouts are retried, not taken for a ban.
            retry_through_proxy(bot.http)
        async with bot:
            await bot.start(token)

    try:
        asyncio.run(main())
    except discord.LoginFailure:
        log.error("Discord rejected the token (login failed). Check DISCORD_TOKEN and try again.")
        return 1
    except discord.PrivilegedIntentsRequired:
        log.error(
            "Discord refused the Server Members intent. Enable it for your bot under "
            "Bot > Privileged Gateway Intents in the developer portal."
        )
        return 1
    except (OSError, TimeoutError) as error:
        # aiohttp's connection errors are OSErrors: no network, DNS, a proxy that isn't there.
        log.error(
            "Can't reach Discord (%s). Check the internet connection (and discord.api_base or "
            "discord.gateway_url if you set them), then start Chorus again.",
            error.__class__.__name__,
        )
        return 1
    except KeyboardInterrupt:
        log.info("stopped")
    except Exception:
        # E.g. discord.py 2.7.1 fails with AttributeError when the very first gateway
        # connection can't be made: log it (as JSON when asked), exit 1 for the supervisor.
        log.exception("Chorus stopped on an unexpected error; it will need a restart")
        return 1
    finally:
        stop_settling()  # its event loop is gone: a pending settle would never run
    return 0

"""Working behind a shared REST rate-limit proxy (e.g. nirn-proxy at `discord.api_base`).

discord.py 2.7 reads a 429 without a `Via` header as a Cloudflare ban and raises at once. Behind
a proxy, a 429 without `Via` is the proxy's own answer (its queue for the bucket is full); the
request never reached Discord, so it is safe to send again, whatever its method. A timeout or
a dropped connection to the proxy is retried too, but only where sending twice can't show
twice: reads, idempotent writes (PUT, PATCH, DELETE) and interaction callbacks (Discord takes
one answer per interaction and refuses a second). A message POST that timed out may already
be posted, so it is not sent again.

An interaction callback whose answer was lost after it reached Discord is refused on the retry
with 400 "Interaction has already been acknowledged" (JSON code 40060): the first send did the
work, so for that retried callback the refusal is success. Any other 4xx is raised, and so is
40060 when no earlier send of the same callback may have arrived (a real second answer).

`retry_through_proxy(http)` wraps the client's public `HTTPClient.request` (every REST call and
interaction callback goes through it) and nothing else of discord.py.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import discord
from discord.http import HTTPClient, Route
from discord.webhook.async_ import AsyncWebhookAdapter, async_context

log = logging.getLogger(__name__)

ATTEMPTS = 5
"""Sends of one request at most (the first and four retries)."""
FIRST_DELAY = 0.2
"""Seconds before the first retry; doubled each time, with jitter, up to MAX_DELAY."""
MAX_DELAY = 2.0
ALREADY_ACKNOWLEDGED = 40060
"""Discord's JSON error code for a second callback to one interaction."""
_IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "PATCH", "DELETE"})
_TIMEOUTS: tuple[type[BaseException], ...] = (
    asyncio.TimeoutError,
    aiohttp.ServerDisconnectedError,
    aiohttp.ClientConnectionError,
)

Request = Callable[..., Awaitable[Any]]


def proxy_refused(error: BaseException) -> float | None:
    """Seconds to wait if `error` is the proxy's own 429 (no `Via`), else None."""
    if not isinstance(error, discord.HTTPException) or error.status != 429:
        return None
    headers = error.response.headers
    if headers.get("Via"):
        return None  # Discord's own 429 (discord.py waits and retries those itself)
    for value in (headers.get("Retry-After"), headers.get("X-RateLimit-Reset-After")):
        try:
            return max(0.0, float(value)) if value is not None else None
        except ValueError:
            continue
    return 0.0


def is_callback(route: Route) -> bool:
    """Whether `route` answers an interaction (`POST /interactions/{id}/{token}/callback`)."""
    return route.path.endswith("/callback")


def resendable_after_timeout(route: Route) -> bool:
    """Whether a request that may have arrived can be sent again without showing twice."""
    return route.method in _IDEMPOTENT or is_callback(route)


def acknowledged_earlier(route: Route, error: discord.HTTPException) -> dict[str, Any] | None:
    """For a callback resent after a timeout: Discord's 400 "already acknowledged" means the
    earlier send arrived. What discord.py reads from a callback's answer (`with_response`: the
    interaction's id, no resource), or None for any other error."""
    if not is_callback(route) or error.status != 400 or error.code != ALREADY_ACKNOWLEDGED:
        return None
    return {"interaction": {"id": str(route.webhook_id), "type": 0}}


class ProxyRetry:
    """`HTTPClient.request` with the proxy's own refusals and timeouts retried with backoff."""

    def __init__(
        self,
        request: Request,
        *,
        attempts: int = ATTEMPTS,
        first_delay: float = FIRST_DELAY,
        max_delay: float = MAX_DELAY,
    ) -> None:
        self._request = request
        self._attempts = attempts
        self._first_delay = first_delay
        self._max_delay = max_delay
        self.retries = 0
        """Retries made so far (for logs and tests)."""
        self.acknowledged_earlier = 0
        """Resent callbacks Discord refused because the timed-out send had arrived."""

    def _backoff(self, attempt: int) -> float:
        delay = min(self._max_delay, self._first_delay * float(2**attempt))
        jitter: float = random.uniform(0.5, 1.0)  # spreads retries of many requests apart
        return delay * jitter

    async def __call__(self, route: Route, *args: Any, **kwargs: Any) -> Any:
        may_have_arrived = False
        for attempt in range(self._attempts):
            last = attempt == self._attempts - 1
            try:
                return await self._request(route, *args, **kwargs)
            except discord.HTTPException as error:
                answered = acknowledged_earlier(route, error) if may_have_arrived else None
                if answered is not None:
                    self.acknowledged_earlier += 1
                    log.info(
                        "%s %s: the send that timed out had reached Discord (%s); answered",
                        route.method,
                        route.path,
                        ALREADY_ACKNOWLEDGED,
                    )
                    return answered
                wait = proxy_refused(error)
                if wait is None or last:
                    raise
                delay = max(wait, self._backoff(attempt))
                log.warning(
                    "the REST proxy refused %s %s (429 without Via); retrying in %.2f s",
                    route.method,
                    route.path,
                    delay,
                )
            except _TIMEOUTS as error:
                if last or not resendable_after_timeout(route):
                    raise
                may_have_arrived = True
                delay = self._backoff(attempt)
                log.warning(
                    "%s %s through the REST proxy failed (%s); retrying in %.2f s",
                    route.method,
                    route.path,
                    type(error).__name__,
                    delay,
                )
            for file in kwargs.get("files") or ():
                file.reset(seek=True)
            self.retries += 1
            await asyncio.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")


class ProxyRetryAdapter(AsyncWebhookAdapter):
    """Interaction callbacks, follow-ups and webhooks (discord.py sends them through its
    webhook adapter, not `HTTPClient.request`) with the same retries."""

    def __init__(self, **options: Any) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.retry = ProxyRetry(super().request, **options)

    async def request(self, route: Route, *args: Any, **kwargs: Any) -> Any:
        """discord.py's request, retried on the proxy's own 429s and timeouts (`retry`)."""
        return await self.retry(route, *args, **kwargs)


def retry_through_proxy(http: HTTPClient, **options: Any) -> tuple[ProxyRetry, ProxyRetry]:
    """Make `http` and the interaction-callback path retry the proxy's own 429s and timeouts
    (call inside the task that starts the bot: tasks started from it inherit the adapter).
    The two wrappers, for their `retries` counts."""
    current = http.request
    wrapper = current if isinstance(current, ProxyRetry) else ProxyRetry(current, **options)
    # The seams: every REST call of discord.py goes through this public method, and every
    # interaction response through the adapter its public context variable names.
    setattr(http, "request", wrapper)  # noqa: B010 - mypy refuses assigning to a method
    adapter = async_context.get()
    if not isinstance(adapter, ProxyRetryAdapter):
        adapter = ProxyRetryAdapter(**options)
        async_context.set(adapter)
    return wrapper, adapter.retry

"""A small shared REST rate-limit proxy (like nirn-proxy) in front of a fake Discord REST API.

It answers on 127.0.0.1 under `/api/v10`. What a real proxy does that matters to the bot:

- `refuse(n)`: the next n requests get the proxy's own 429, without a `Via` header (which
  discord.py 2.7 takes for a Cloudflare ban) and with a JSON body and `Retry-After`;
- `stall(n, seconds)`: the next n requests are held `seconds` and then the connection is
  dropped without an answer (a proxy timing out on its way to Discord);
- `lose_answers(n)`: the next n requests reach Discord, then the connection is dropped before
  the answer (a proxy timing out after Discord did the work);
- `callback_delay`: every interaction callback is answered after this many seconds (the proxy
  sits on the 3-second path).

Behind it, a minimal Discord: `GET /users/@me`, `GET /channels/{id}`, message `POST`s (kept,
numbered), and interaction callbacks (kept; a second callback of one interaction gets
Discord's 400 "already acknowledged"). Every request that reached "Discord" is in `reached`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 900000000000000001


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON with Discord's exact content type (discord.py parses only `application/json`)."""
    return web.Response(
        body=json.dumps(body).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


@dataclass
class FakeRestProxy:
    callback_delay: float = 0.0
    reached: list[tuple[str, str]] = field(default_factory=list)
    refused: int = 0
    stalled: int = 0
    messages: list[dict[str, Any]] = field(default_factory=list)
    callbacks: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _refuse: int = 0
    _stall: int = 0
    _stall_seconds: float = 0.0
    _lose: int = 0
    _runner: web.AppRunner | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    port: int = 0

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    def refuse(self, count: int) -> None:
        self._refuse += count

    def lose_answers(self, count: int) -> None:
        self._lose += count

    def stall(self, count: int, seconds: float) -> None:
        self._stall += count
        self._stall_seconds = seconds

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/v10/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.Server), server
        self.port = server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["path"]
        if self._refuse > 0:
            self._refuse -= 1
            self.refused += 1
            body = {"message": "proxy queue full", "retry_after": 0.05, "global": False}
            return _json(body, 429, {"Retry-After": "0.05"})
        if self._stall > 0:
            self._stall -= 1
            self.stalled += 1
            await asyncio.sleep(self._stall_seconds)
            transport = request.transport
            if transport is not None:
                transport.close()  # no answer: the client sees the connection drop
            raise asyncio.CancelledError
        answer = await self._discord(request, path)
        if self._lose > 0:
            self._lose -= 1
            transport = request.transport
            if transport is not None:
                transport.close()  # Discord did it; the answer never comes back
            raise asyncio.CancelledError
        return answer

    async def _discord(self, request: web.Request, path: str) -> web.StreamResponse:
        self.reached.append((request.method, path))
        headers = {"Via": "1.1 google"}  # what Discord's own answers carry
        if path.endswith("/callback"):
            await asyncio.sleep(self.callback_delay)
            interaction = path.split("/")[2]
            seen = self.callbacks.setdefault(interaction, [])
            seen.append(json.loads(await request.text() or "{}"))
            if len(seen) > 1:
                body = {"message": "Interaction has already been acknowledged.", "code": 40060}
                return _json(body, 400, headers)
            return web.Response(status=204, headers=headers)
        if path == "/users/@me":
            user = {"id": str(BOT_ID), "username": "chorus", "discriminator": "0", "bot": True}
            return _json({**user, "avatar": None}, headers=headers)
        if path.startswith("/channels/") and path.endswith("/messages"):
            payload = json.loads(await request.text() or "{}")
            message = {"id": str(next(self._ids)), "channel_id": path.split("/")[2], **payload}
            self.messages.append(message)
            return _json(message, headers=headers)
        if path.startswith("/channels/"):
            channel = {"id": path.split("/")[2], "type": 0, "name": "circle", "guild_id": "1"}
            return _json(channel, headers=headers)
        return _json({"message": "404: Not Found", "code": 0}, 404, headers=headers)

"""A small Discord for several bot processes at once: a gateway that accepts shard connections
and the REST calls a Chorus process makes, on 127.0.0.1 (plain HTTP and WebSocket).

- Gateway (`ws://127.0.0.1:<port>/gateway`): HELLO, then IDENTIFY with `shard: [i, n]` is
  answered with READY (the shard's guilds, unavailable) and one GUILD_CREATE per guild on that
  shard (Discord's rule: guild `g` is on shard `(g >> 22) % n`); heartbeats are acknowledged.
  `identified` keeps (shard, time) of every IDENTIFY; `click(...)` sends an
  INTERACTION_CREATE of a button click to whichever connection runs the guild's shard. As on
  Discord, an interaction goes only to the session running its guild's shard: while no process
  runs that shard, the click fails for the member (`click` returns None, `failed` counts it)
  and no process ever hears of it.
- REST (`http://127.0.0.1:<port>/api/v10`): the bot user and application, command sync,
  message posts and edits (kept in `posts` and `edits` with their channel; as on Discord, a
  post with `enforce_nonce` and a nonce already used gets the first message back and posts
  nothing, counted in `same_nonce`), interaction
  callbacks (kept in `callbacks`, one per interaction; a second gets Discord's 400).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_ID = 910000000000000001
APP_ID = 910000000000000002
OWNER_ID = 910000000000000003


def _user(user_id: int, name: str, bot: bool) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": None,
        "avatar": None,
        "bot": bot,
    }


def _json(data: Any, status: int = 200) -> web.Response:
    # Exactly this content type: discord.py parses JSON only then, as Discord sends it.
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def channel_of(guild_id: int) -> int:
    """The one text channel of a fake guild."""
    return guild_id + 1


@dataclass
class Shard:
    ws: web.WebSocketResponse
    shard_id: int
    seq: int = 0

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        self.seq += 1
        await self.ws.send_str(json.dumps({"op": 0, "t": event, "s": self.seq, "d": data}))


@dataclass
class FakeGateway:
    guilds: list[int]
    shard_count: int
    port: int = 0
    identified: list[tuple[int, float]] = field(default_factory=list)
    posts: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    edits: list[tuple[int, int, dict[str, Any]]] = field(default_factory=list)
    callbacks: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    shards: dict[int, Shard] = field(default_factory=dict)
    failed: list[tuple[int, str, int]] = field(default_factory=list)
    same_nonce: int = 0
    _nonces: dict[str, Any] = field(default_factory=dict)
    """(guild, custom_id, user) of clicks no process could be sent ("interaction failed")."""
    _runner: web.AppRunner | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(920000000000000000))

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def shard_of(self, guild_id: int) -> int:
        return (guild_id >> 22) % self.shard_count

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.Server), server
        self.port = server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        for shard in list(self.shards.values()):
            if not shard.ws.closed:
                await shard.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # ------------------------------------------------------------------ REST

    def _message(self, channel_id: int, message_id: int, payload: dict[str, Any]) -> Any:
        return {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "type": 0,
            "content": payload.get("content") or "",
            "author": _user(BOT_ID, "Chorus", True),
            "attachments": [],
            "embeds": payload.get("embeds") or [],
            "components": payload.get("components") or [],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "flags": 0,
            "timestamp": "2026-11-30T12:00:00+00:00",
            "edited_timestamp": None,
        }

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        parts = path.strip("/").split("/")
        body: Any = {}
        if request.can_read_body:
            raw = await request.read()
            if raw and request.content_type == "application/json":
                body = json.loads(raw)
            elif raw and request.content_type.startswith("multipart/"):
                body = {"multipart": True}
        if path == "/users/@me":
            return _json(_user(BOT_ID, "Chorus", True))
        if path == "/oauth2/applications/@me":
            return _json(
                {
                    "id": str(APP_ID),
                    "name": "Chorus",
                    "icon": None,
                    "description": "",
                    "rpc_origins": [],
                    "bot_public": False,
                    "bot_require_code_grant": False,
                    "owner": _user(OWNER_ID, "owner", False),
                    "summary": "",
                    "verify_key": "0" * 64,
                    "flags": 0,
                }
            )
        if parts[0] == "applications" and request.method == "PUT":
            return _json([])
        if parts[0] == "interactions" and parts[-1] == "callback":
            seen = self.callbacks.setdefault(int(parts[1]), [])
            seen.append(body)
            if len(seen) > 1:
                return _json(
                    {"message": "Interaction has already been acknowledged.", "code": 40060}, 400
                )
            # `with_response=1`, as discord.py asks: the callback and what it created.
            kind = int(body.get("type", 0)) if isinstance(body, dict) else 0
            answer: dict[str, Any] = {"interaction": {"id": parts[1], "type": 3}}
            if kind:
                answer["resource"] = {"type": kind}
            return _json(answer)
        if parts[0] == "channels" and len(parts) == 3 and parts[2] == "messages":
            channel_id = int(parts[1])
            if request.method == "POST":
                nonce = body.get("nonce") if isinstance(body, dict) else None
                if nonce is not None and body.get("enforce_nonce") and nonce in self._nonces:
                    self.same_nonce += 1
                    return _json(self._nonces[nonce])
                self.posts.append((channel_id, body))
                message = self._message(channel_id, next(self._ids), body)
                if nonce is not None:
                    self._nonces[nonce] = message
                return _json(message)
            return _json([])
        if parts[0] == "channels" and len(parts) == 4 and parts[2] == "messages":
            channel_id, message_id = int(parts[1]), int(parts[3])
            if request.method == "PATCH":
                self.edits.append((channel_id, message_id, body))
                return _json(self._message(channel_id, message_id, body))
            if request.method == "DELETE":
                return web.Response(status=204)
            return _json(self._message(channel_id, message_id, {}))
        if parts[0] == "webhooks":
            return _json(self._message(0, next(self._ids), body if isinstance(body, dict) else {}))
        return _json({"message": "404: Not Found", "code": 0}, 404)

    # --------------------------------------------------------------- gateway

    def _guild(self, guild_id: int) -> dict[str, Any]:
        everyone = {
            "id": str(guild_id),
            "name": "@everyone",
            "permissions": str((1 << 41) - 1 - (1 << 3)),
            "position": 0,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
        }
        return {
            "id": str(guild_id),
            "name": f"Guild {guild_id}",
            "icon": None,
            "owner_id": str(OWNER_ID),
            "roles": [everyone],
            "emojis": [],
            "stickers": [],
            "features": [],
            "member_count": 1,
            "large": False,
            "unavailable": False,
            "channels": [
                {
                    "id": str(channel_of(guild_id)),
                    "type": 0,
                    "name": "circle",
                    "guild_id": str(guild_id),
                    "position": 0,
                    "permission_overwrites": [],
                    "nsfw": False,
                    "parent_id": None,
                }
            ],
            "members": [
                {
                    "user": _user(BOT_ID, "Chorus", True),
                    "roles": [],
                    "joined_at": "2026-01-01T00:00:00+00:00",
                    "flags": 0,
                    "deaf": False,
                    "mute": False,
                }
            ],
            "voice_states": [],
            "threads": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "system_channel_flags": 0,
        }

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        shard: Shard | None = None
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            payload = json.loads(message.data)
            op, data = payload.get("op"), payload.get("d") or {}
            if op == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif op == 2:
                shard_id, count = data.get("shard") or [0, 1]
                assert count == self.shard_count, f"IDENTIFY with {count} shards"
                self.identified.append((shard_id, time.time()))
                shard = Shard(ws, shard_id)
                self.shards[shard_id] = shard
                mine = [g for g in self.guilds if self.shard_of(g) == shard_id]
                await shard.dispatch(
                    "READY",
                    {
                        "v": 10,
                        "user": _user(BOT_ID, "Chorus", True),
                        "guilds": [{"id": str(g), "unavailable": True} for g in mine],
                        "session_id": f"session-{shard_id}-{len(self.identified)}",
                        "resume_gateway_url": self.gateway_url,
                        "application": {"id": str(APP_ID), "flags": 0},
                        "shard": [shard_id, count],
                    },
                )
                for guild in mine:
                    await shard.dispatch("GUILD_CREATE", self._guild(guild))
        if shard is not None and self.shards.get(shard.shard_id) is shard:
            del self.shards[shard.shard_id]
        return ws

    async def click(self, guild_id: int, custom_id: str, user_id: int) -> int | None:
        """A member presses a button in the guild's channel: INTERACTION_CREATE on the
        connection running the guild's shard. The interaction's id (callbacks are kept by it),
        or None when no process runs the shard (Discord shows "This interaction failed")."""
        shard = self.shards.get(self.shard_of(guild_id))
        if shard is None or shard.ws.closed:
            self.failed.append((guild_id, custom_id, user_id))
            return None
        interaction_id = next(self._ids)
        channel_id = channel_of(guild_id)
        member = {
            "user": _user(user_id, f"member{user_id % 1000}", False),
            "roles": [],
            "joined_at": "2026-01-01T00:00:00+00:00",
            "permissions": str((1 << 41) - 1 - (1 << 3)),
            "flags": 0,
            "deaf": False,
            "mute": False,
        }
        # discord.py finds the pressed button in the message's components.
        button = {"type": 2, "style": 1, "label": "Press", "custom_id": custom_id}
        message = self._message(
            channel_id, next(self._ids), {"components": [{"type": 1, "components": [button]}]}
        )
        payload = {
            "id": str(interaction_id),
            "application_id": str(APP_ID),
            "type": 3,
            "token": f"token-{interaction_id}",
            "version": 1,
            "guild_id": str(guild_id),
            "channel_id": str(channel_id),
            "channel": {"id": str(channel_id), "type": 0, "guild_id": str(guild_id)},
            "member": member,
            "message": message,
            "data": {"custom_id": custom_id, "component_type": 2},
            "locale": "en-US",
            "guild_locale": "en-US",
            "app_permissions": str((1 << 41) - 1),
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(guild_id)},
            "context": 0,
            "attachment_size_limit": 10_485_760,
        }
        try:
            await shard.dispatch("INTERACTION_CREATE", payload)
        except ConnectionError:
            # The process died while this was being sent: the member's click fails.
            self.failed.append((guild_id, custom_id, user_id))
            return None
        return interaction_id

    async def wait_for_shards(self, shards: set[int], within: float = 90.0) -> None:
        """Until every one of `shards` has a live connection (at most `within` seconds)."""
        deadline = time.monotonic() + within
        while not shards <= set(self.shards):
            if time.monotonic() > deadline:
                raise AssertionError(f"shards connected: {sorted(self.shards)}, wanted {shards}")
            await asyncio.sleep(0.1)

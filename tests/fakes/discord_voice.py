"""A small Discord on 127.0.0.1 that a real discord.py client can join voice on.

It speaks just enough of three protocols for `VoiceChannel.connect()` and `VoiceClient.play()`
to run unmodified:

- REST (`GET /users/@me`, `GET /oauth2/applications/@me`) so `Client.login` works;
- the main gateway (HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, and op 4 voice state
  updates answered with VOICE_STATE_UPDATE and VOICE_SERVER_UPDATE dispatches, which is how
  discord.py learns the voice endpoint);
- the voice gateway (`wss://<endpoint>/?v=8`: HELLO, IDENTIFY -> READY with ssrc/ip/port/modes,
  SELECT_PROTOCOL -> SESSION_DESCRIPTION with a secret key and `dave_protocol_version` 0,
  SPEAKING, heartbeats) and its UDP socket (IP discovery, then RTP).

Everything the bot sends over UDP is kept with its arrival time, and `frames()` decrypts it with
the session key in the mode discord.py chose, so a test can check what a listener would hear.
DAVE (end-to-end encryption, MLS) is not spoken: the session description says version 0.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import ssl
import struct
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import nacl.secret
from aiohttp import WSMsgType, web

BOT_ID = 900000000000000001
LISTENER_ID = 900000000000000002
APP_ID = 900000000000000003
GUILD_ID = 900000000000000010
TEXT_ID = 900000000000000011
VOICE_ID = 900000000000000012
OTHER_VOICE_ID = 900000000000000013
SSRC = 4321
OPUS_SILENCE = b"\xf8\xff\xfe"
# What Discord offers today; discord.py takes the first it supports (xchacha20).
MODES = ["aead_aes256_gcm_rtpsize", "aead_xchacha20_poly1305_rtpsize"]


def self_signed_context(folder: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server, client) TLS contexts for 127.0.0.1: the voice gateway is always `wss://`."""
    cert, key = folder / "peer.crt", folder / "peer.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    client = ssl.create_default_context(cafile=str(cert))
    return server, client


@dataclass
class Packet:
    at: float  # time.time() on arrival
    data: bytes


@dataclass
class Frame:
    at: float
    sequence: int
    timestamp: int
    opus: bytes


@dataclass
class VoiceLog:
    """What the voice gateway heard from the bot."""

    identify: dict[str, Any] = field(default_factory=dict)
    select: dict[str, Any] = field(default_factory=dict)
    speaking: list[tuple[float, int]] = field(default_factory=list)
    # time.time() as each session description (the last step of a join) was sent
    described: list[float] = field(default_factory=list)
    heartbeats: int = 0
    discovery: int = 0


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, peer: FakeDiscord) -> None:
        self.peer = peer
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        if len(data) == 74 and data[:2] == b"\x00\x01":
            # IP discovery: answer with the address the packet came from.
            self.peer.voice.discovery += 1
            reply = bytearray(74)
            struct.pack_into(">HHI", reply, 0, 2, 70, struct.unpack_from(">I", data, 4)[0])
            ip = str(addr[0]).encode("ascii")
            reply[8 : 8 + len(ip)] = ip
            struct.pack_into(">H", reply, 72, addr[1])
            assert self.transport is not None
            self.transport.sendto(bytes(reply), addr)
            return
        if data and data[0] == 0x80:
            self.peer.packets.append(Packet(time.time(), data))


class FakeDiscord:
    """REST + main gateway + voice gateway on one TLS port, and a UDP port for RTP."""

    def __init__(self, server_ssl: ssl.SSLContext) -> None:
        self._ssl = server_ssl
        self.port = 0
        self.udp_port = 0
        self.secret_key = secrets.token_bytes(32)
        self.packets: list[Packet] = []
        self.voice = VoiceLog()
        self.bot_channel: int | None = None
        self.voice_state_requests: list[int | None] = []
        self.confirm_leaving = True  # False: a leave is never confirmed (a slow Discord)
        self._runner: web.AppRunner | None = None
        self._udp: asyncio.DatagramTransport | None = None
        self._main: web.WebSocketResponse | None = None
        self._voice_ws: web.WebSocketResponse | None = None
        self._seq = 0

    # ------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/api/v10/users/@me", self._me)
        app.router.add_get("/api/v10/oauth2/applications/@me", self._application)
        app.router.add_get("/gateway", self._main_gateway)
        app.router.add_get("/", self._voice_gateway)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=self._ssl)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.Server), server
        self.port = server.sockets[0].getsockname()[1]
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(
            lambda: _Udp(self), local_addr=("127.0.0.1", 0)
        )
        self._udp = transport
        self.udp_port = transport.get_extra_info("sockname")[1]

    async def close(self) -> None:
        for ws in (self._voice_ws, self._main):
            if ws is not None and not ws.closed:
                await ws.close()
        if self._udp is not None:
            self._udp.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"https://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"wss://127.0.0.1:{self.port}/gateway"

    # ------------------------------------------------------------------ REST

    @staticmethod
    def _user(user_id: int, name: str, bot: bool) -> dict[str, Any]:
        return {
            "id": str(user_id),
            "username": name,
            "discriminator": "0",
            "global_name": None,
            "avatar": None,
            "bot": bot,
        }

    @staticmethod
    def _json(data: dict[str, Any]) -> web.Response:
        # Exactly this content type: discord.py parses JSON only then, as Discord sends it.
        return web.Response(
            body=json.dumps(data).encode(), headers={"Content-Type": "application/json"}
        )

    async def _me(self, request: web.Request) -> web.Response:
        return self._json(self._user(BOT_ID, "Chorus", True))

    async def _application(self, request: web.Request) -> web.Response:
        return self._json(
            {
                "id": str(APP_ID),
                "name": "Chorus",
                "icon": None,
                "description": "",
                "rpc_origins": [],
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": self._user(LISTENER_ID, "owner", False),
                "summary": "",
                "verify_key": "0" * 64,
                "flags": 0,
            }
        )

    # ---------------------------------------------------------- main gateway

    def _guild(self) -> dict[str, Any]:
        def member(user_id: int, name: str, bot: bool) -> dict[str, Any]:
            return {
                "user": self._user(user_id, name, bot),
                "roles": [],
                "joined_at": "2026-01-01T00:00:00+00:00",
                "flags": 0,
                "deaf": False,
                "mute": False,
            }

        def channel(channel_id: int, name: str, kind: int, position: int) -> dict[str, Any]:
            return {
                "id": str(channel_id),
                "type": kind,
                "name": name,
                "guild_id": str(GUILD_ID),
                "position": position,
                "permission_overwrites": [],
                "bitrate": 64000,
                "user_limit": 0,
                "rtc_region": None,
                "nsfw": False,
                "parent_id": None,
            }

        everyone = {
            "id": str(GUILD_ID),
            "name": "@everyone",
            "permissions": str((1 << 41) - 1 - (1 << 3)),  # everything but Administrator
            "position": 0,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
        }
        return {
            "id": str(GUILD_ID),
            "name": "Voice peer",
            "icon": None,
            "owner_id": str(LISTENER_ID),
            "roles": [everyone],
            "emojis": [],
            "stickers": [],
            "features": [],
            "member_count": 2,
            "large": False,
            "unavailable": False,
            "channels": [
                channel(TEXT_ID, "circle", 0, 0),
                channel(VOICE_ID, "Listening room", 2, 1),
                channel(OTHER_VOICE_ID, "Other room", 2, 2),
            ],
            "members": [member(BOT_ID, "Chorus", True), member(LISTENER_ID, "ana", False)],
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

    async def _dispatch(self, event: str, data: dict[str, Any]) -> None:
        assert self._main is not None
        self._seq += 1
        await self._main.send_str(json.dumps({"op": 0, "t": event, "s": self._seq, "d": data}))

    async def _main_gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._main = ws
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            payload = json.loads(message.data)
            op, data = payload.get("op"), payload.get("d")
            if op == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif op == 2:
                await self._dispatch(
                    "READY",
                    {
                        "v": 10,
                        "user": self._user(BOT_ID, "Chorus", True),
                        "guilds": [{"id": str(GUILD_ID), "unavailable": True}],
                        "session_id": "main-session",
                        "resume_gateway_url": self.gateway_url,
                        "application": {"id": str(APP_ID), "flags": 0},
                    },
                )
                await self._dispatch("GUILD_CREATE", self._guild())
            elif op == 4:
                channel = data.get("channel_id")
                if channel is None and not self.confirm_leaving:
                    self.voice_state_requests.append(None)
                    continue
                await self.set_bot_channel(int(channel) if channel else None)
        return ws

    def _voice_state(self, channel_id: int | None) -> dict[str, Any]:
        return {
            "guild_id": str(GUILD_ID),
            "channel_id": str(channel_id) if channel_id else None,
            "user_id": str(BOT_ID),
            "session_id": "voice-session",
            "deaf": False,
            "mute": False,
            "self_deaf": True,
            "self_mute": False,
            "self_video": False,
            "suppress": False,
            "request_to_speak_timestamp": None,
        }

    async def set_bot_channel(self, channel_id: int | None) -> None:
        """The bot asked (op 4), or a moderator moved or disconnected it: tell discord.py the
        way Discord does, with VOICE_STATE_UPDATE (then VOICE_SERVER_UPDATE when joining)."""
        self.voice_state_requests.append(channel_id)
        moved = self.bot_channel is not None and channel_id not in (None, self.bot_channel)
        self.bot_channel = channel_id
        await self._dispatch("VOICE_STATE_UPDATE", self._voice_state(channel_id))
        if moved and self._voice_ws is not None and not self._voice_ws.closed:
            await self._voice_ws.close(code=4014)  # the voice server drops the old session
        if channel_id is not None:
            await self._dispatch(
                "VOICE_SERVER_UPDATE",
                {
                    "token": "voice-token",
                    "guild_id": str(GUILD_ID),
                    "endpoint": f"127.0.0.1:{self.port}",
                },
            )

    async def disconnect_bot(self) -> None:
        """A moderator disconnects the bot: channel None, and the voice server closes (4014)."""
        await self.set_bot_channel(None)
        if self._voice_ws is not None and not self._voice_ws.closed:
            await self._voice_ws.close(code=4014)

    # --------------------------------------------------------- voice gateway

    async def _voice_gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._voice_ws = ws
        await ws.send_str(json.dumps({"op": 8, "d": {"heartbeat_interval": 13750}}))
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue  # binary frames are DAVE/MLS: not spoken with version 0
            payload = json.loads(message.data)
            op, data = payload.get("op"), payload.get("d") or {}
            if op == 0:
                self.voice.identify = data
                ready = {
                    "ssrc": SSRC,
                    "ip": "127.0.0.1",
                    "port": self.udp_port,
                    "modes": MODES,
                    "heartbeat_interval": 1,
                }
                await ws.send_str(json.dumps({"op": 2, "d": ready}))
            elif op == 1:
                self.voice.select = data
                description = {
                    "mode": data["data"]["mode"],
                    "secret_key": list(self.secret_key),
                    "dave_protocol_version": 0,
                }
                self.voice.described.append(time.time())
                await ws.send_str(json.dumps({"op": 4, "d": description}))
            elif op == 3:
                self.voice.heartbeats += 1
                await ws.send_str(json.dumps({"op": 6, "d": data}))
            elif op == 5:
                self.voice.speaking.append((time.time(), int(data.get("speaking", 0))))
        return ws

    # ------------------------------------------------------------- listening

    @property
    def mode(self) -> str:
        return str(self.voice.select.get("data", {}).get("mode", ""))

    def decrypt(self, packet: bytes) -> bytes:
        """The Opus payload of one RTP packet, with the session key and the chosen mode."""
        header = packet[:12]
        if self.mode == "aead_xchacha20_poly1305_rtpsize":
            nonce = packet[-4:] + bytes(20)
            box = nacl.secret.Aead(self.secret_key)
            return bytes(box.decrypt(packet[12:-4], header, nonce))
        raise AssertionError(f"the fake can't decrypt mode {self.mode!r}")

    def frames(self, since: float = 0.0) -> list[Frame]:
        found = []
        for packet in self.packets:
            if packet.at < since:
                continue
            sequence, stamp = struct.unpack_from(">HI", packet.data, 2)
            found.append(Frame(packet.at, sequence, stamp, self.decrypt(packet.data)))
        return found

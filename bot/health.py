"""Is the running bot healthy? A heartbeat file the bot keeps fresh while its gateway
connection is up, read by `chorus health` (the Docker HEALTHCHECK) together with a database read.

The file holds one JSON object: `{"at": <UTC seconds>, "latency": <seconds>}`, written at most
every `WRITE_EVERY` seconds, only while discord.py reports the gateway connected (between
`on_connect`/`on_resumed` and `on_disconnect`) with a measured heartbeat round trip. A bot
whose gateway is down, or whose event loop is stuck, stops writing, so the file ages.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path

import discord
from discord.ext import commands

log = logging.getLogger(__name__)

WRITE_EVERY = 20.0
"""Seconds between writes; discord.py heartbeats about every 41 s."""
MAX_AGE = 120.0
"""Seconds after which `chorus health` calls a heartbeat stale (a few missed writes)."""


class HealthFile:
    """Keeps `path` fresh while `client`'s gateway connection is up (see the module doc)."""

    def __init__(self, path: Path, *, every: float = WRITE_EVERY) -> None:
        self.path = path
        self.every = every
        self.connected = False
        self._task: asyncio.Task[None] | None = None

    def watch(self, client: commands.Bot) -> None:
        """Follow `client`'s connection through its public events and write while it's up."""

        async def up() -> None:
            self.connected = True
            if self._task is None or self._task.done():
                self._task = asyncio.create_task(self._beat(client), name="chorus-health-file")

        async def down() -> None:
            self.connected = False

        client.add_listener(up, "on_connect")
        client.add_listener(up, "on_resumed")
        client.add_listener(down, "on_disconnect")

    async def _beat(self, client: discord.Client) -> None:
        while not client.is_closed():
            if self.connected and math.isfinite(client.latency):
                try:
                    self.write(client.latency)
                except OSError:
                    # A full disk or a removed folder must not end the heartbeat for good: the
                    # file ages, `chorus health` says so, and the next beat tries again.
                    log.warning("could not write the heartbeat file %s", self.path, exc_info=True)
            await asyncio.sleep(self.every)

    def write(self, latency: float, now: float | None = None) -> None:
        """Replace the file atomically (a reader never sees half of it). The partial file is
        this process's own, so processes sharing a folder (shards started side by side) never
        replace each other's half-written file. Raises OSError when the folder can't be written."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.partial")
        at = time.time() if now is None else now
        partial.write_text(json.dumps({"at": at, "latency": latency}), encoding="utf-8")
        os.replace(partial, self.path)


@dataclass(frozen=True)
class Heartbeat:
    """What the file said: when the bot last saw its gateway up (UTC seconds), the round trip."""

    at: float
    latency: float


class Unhealthy(Exception):
    """Why the bot is not healthy, in one line that says what to check."""


def read_heartbeat(path: Path, *, max_age: float = MAX_AGE, now: float | None = None) -> Heartbeat:
    """The heartbeat at `path` if it is at most `max_age` seconds old; raises Unhealthy."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        beat = Heartbeat(float(data["at"]), float(data["latency"]))
    except FileNotFoundError:
        raise Unhealthy(
            f"no heartbeat file at {path}: the bot hasn't connected to Discord yet (or runs "
            "with another health_file)"
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise Unhealthy(f"the heartbeat file {path} can't be read ({exc})") from None
    age = (time.time() if now is None else now) - beat.at
    if age > max_age:
        raise Unhealthy(
            f"the gateway heartbeat is {age:.0f} s old (more than {max_age:.0f} s): the bot "
            "is not connected to Discord, or has stopped; see its log"
        )
    return beat

"""The live preview (`chorus demo`): simulated members act on their own while you click along.

It opens simcord's local preview of #circle on 127.0.0.1: the channel as Discord would show it,
with a composer for slash commands, clickable buttons and "Viewing as" to switch people. The
screenshots (`screenshots.py`) photograph the same preview.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from simcord.actors import MemberActor
from simcord.backend.errors import SetupError
from simcord.preview import Preview

from bot.demo.crowd import Crowd
from bot.demo.facilitator import open_session
from bot.demo.script import session_title
from bot.demo.world import (
    DEFAULT_DB,
    FACILITATOR,
    MEMBERS,
    DemoWorld,
    demo_settings,
    forget_database,
    start_world,
)
from bot.settings import Settings

log = logging.getLogger("chorus.demo")

Echo = Callable[[str], None]


def preview_of(world: DemoWorld, viewers: list[MemberActor], port: int | None = None) -> Preview:
    """simcord's channel preview of #circle; the first viewer is who a new page shows."""
    return world.env.preview(
        world.channel, viewers=viewers, layout="channel", port=port, locale=world.client_locale
    )


def banner(url: str, world: DemoWorld, db: Path) -> str:
    """The text printed when the demo runs: the `url` to open, who takes part, how to try it, and
    the database file `db` that keeps its history."""
    names = ", ".join(display for _, display in MEMBERS[:-1]) + f" and {MEMBERS[-1][1]}"
    return "\n".join(
        [
            "",
            "Chorus demo is running. Open this address in a browser on this computer:",
            "",
            f"    {url}",
            "",
            f"You are {FACILITATOR[1]}, the facilitator of "
            f"'{session_title(world.language, live=True)}' in "
            f"#{world.channel.name}. {names} take part on their own.",
            "Try it: type /activity start in the message box and choose 'Sixty-minute session'",
            "(or /activity list). Press Next on the board to move on; 'Viewing as' shows the",
            "channel as one of the members sees it (their private answers included).",
            f"History is kept in {db} (--fresh starts over). Press Ctrl+C to stop.",
            "",
        ]
    )


async def serve(
    db: Path = DEFAULT_DB,
    *,
    seed: int = 7,
    fresh: bool = False,
    port: int | None = None,
    echo: Echo = print,
    pace: tuple[float, float] = (1.5, 6.0),
    base: Settings | None = None,
    language: str = "en",
) -> int:
    """Run the live demo until the preview is closed (End preview session) or Ctrl+C;
    ``language`` is the server's and every simulated member's ("en", "de", "es")."""
    if fresh:
        forget_database(db)
    world = await start_world(demo_settings(db, base=base), language=language)
    try:
        await open_session(world, session_title(language, live=True))
        turns = asyncio.Lock()
        crowd = Crowd(
            world.channel,
            world.members,
            seed=seed,
            pace=pace,
            clock=lambda: world.env.now().timestamp(),
            turns=turns,
            language=world.language,
        )
        async with preview_of(world, world.people, port) as preview:
            page_actions_take_turns(preview, turns)
            redraw_relative_times(preview)
            echo(banner(preview.url, world, db))
            await live(world, crowd, preview, turns)
    finally:
        await world.close()
    return 0


def page_actions_take_turns(preview: Preview, turns: asyncio.Lock) -> None:
    """A click in the page waits its turn behind a member's action or a clock tick.

    simcord runs one operation at a time and refuses an overlapping one; the page reports a
    refused action as "Action outcome uncertain", greys out every button and saves nothing.
    So every operation the demo starts (each member's action, each clock tick) and every page
    action hold `turns` (an asyncio.Lock, served first come, first served) while they run.
    """
    original = preview._action

    async def in_turn(context_id: str | None, body: Mapping[str, Any]) -> dict[str, Any]:
        async with turns:
            return await original(context_id, body)

    setattr(preview, "_action", in_turn)  # noqa: B010 (an instance override of a method)


RELATIVE_TIME = re.compile(r"<t:-?\d+:R>")


def redraw_relative_times(preview: Preview) -> None:
    """Work around simcord 3.2.1's page, which redraws a message only when its content changes:
    a message with a relative time ("in 5 minutes") gets the presentation time as an extra key
    of its projection, so each clock tick redraws it against the new time."""
    original = preview._publish

    def publish(page: Any, **kwargs: Any) -> None:
        original(page, **kwargs)
        snapshot = getattr(page, "snapshot", None)
        messages = snapshot.get("messages") if isinstance(snapshot, dict) else None
        if not isinstance(messages, dict):
            return
        now = preview.capture_time.isoformat()
        for message in messages.values():
            if isinstance(message, dict) and RELATIVE_TIME.search(json.dumps(message)):
                message["chorusDemoPresentationTime"] = now

    setattr(preview, "_publish", publish)  # noqa: B010 (an instance override of a method)


async def tick(world: DemoWorld, preview: Preview, seconds: float) -> None:
    """Move simcord's clock by `seconds` and show every page at the new time.

    `advance_time` fires the bot's timers (deadlines, music, turns); `refresh` moves the
    preview's presentation time with it (simcord 3.2.1 moves it only on Refresh), so
    countdowns count down in the page as they do in Discord.
    """
    if seconds > 0:
        await world.env.advance_time(seconds)
    await preview.refresh()


async def live(
    world: DemoWorld,
    crowd: Crowd,
    preview: Preview,
    turns: asyncio.Lock | None = None,
    period: float = 0.25,
) -> None:
    """The demo's own loop (never bot-owned work): members act, and simcord's clock keeps pace
    with the real one so countdowns, music and turn timers run out as they would on Discord."""
    turns = turns or asyncio.Lock()
    closed = asyncio.ensure_future(preview.wait_closed())
    # simcord's clock follows the real one from here: behind by what it still has to catch up.
    started_real, started_virtual = time.monotonic(), world.env.now().timestamp()
    try:
        while not closed.done():
            await crowd.step()
            target = started_virtual + time.monotonic() - started_real
            behind = target - world.env.now().timestamp()
            shown = (world.env.now() - preview.capture_time).total_seconds()
            if behind >= 1.0 or shown >= 1.0:
                async with turns:
                    try:
                        await tick(world, preview, behind)
                    except (SetupError, TimeoutError) as error:
                        # The bot was still busy: the clock catches up at the next tick.
                        log.info("clock tick deferred: %s", str(error).splitlines()[0])
            await asyncio.sleep(period)
    finally:
        closed.cancel()

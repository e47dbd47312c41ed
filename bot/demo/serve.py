"""The live preview (`chorus demo`) and the screenshots (`chorus demo --screenshots DIR`).

Both open simcord's local preview of #circle on 127.0.0.1: the channel as Discord would show it,
with a composer for slash commands, clickable buttons and "Viewing as" to switch people.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from simcord.actors import MemberActor
from simcord.backend.errors import SetupError
from simcord.preview import Preview

from bot.demo.crowd import Crowd
from bot.demo.script import ScriptReport, open_session, run_script, session_title
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

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--virtual-time-budget=5000",
    "--hide-scrollbars",
    # The same pixels on every run: no GPU or LCD subpixel text, fixed scale and colour profile.
    "--force-device-scale-factor=1",
    "--force-color-profile=srgb",
    "--disable-lcd-text",
    "--font-render-hinting=none",
    "--disable-features=PaintHolding",
)
WINDOW = (1100, 900)
CHROMIUM_TIMEOUT = 240.0
"""Seconds for one shot; generous, as a busy machine makes Chromium slow to start."""
Echo = Callable[[str], None]


def preview_of(world: DemoWorld, viewers: list[MemberActor], port: int | None = None) -> Preview:
    """simcord's channel preview of #circle; the first viewer is who a new page shows."""
    return world.env.preview(
        world.channel, viewers=viewers, layout="channel", port=port, locale=world.client_locale
    )


def banner(url: str, world: DemoWorld, db: Path) -> str:
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


# ------------------------------------------------------------------------------- screenshots


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


# Shots that need a taller page to show their whole message.
TALL = {"05-song-sheet": 1560, "08-facilitator-report": 1460}


def channel_pane(height: int) -> tuple[int, int, int, int]:
    """The channel pane of the page: no side list, no empty band above the channel header."""
    return (257, 128, WINDOW[0], height - 70)


class Camera:
    """Screenshots of the preview page with headless Chromium, one PNG per stage.

    Each shot opens a fresh preview, whose new page opens on the newest message as its first
    viewer sees it. The first shot keeps the whole page (the "Viewing as" switch, the composer);
    the others are cropped to the channel so a reader sees the messages.
    """

    def __init__(
        self,
        world: DemoWorld,
        out_dir: Path,
        chromium: str,
        viewer: MemberActor,
        echo: Echo = print,
    ) -> None:
        self.world = world
        self.out_dir = out_dir
        self.chromium = chromium
        self.viewer = viewer
        self.echo = echo
        self.taken: list[Path] = []

    async def shoot(self, name: str, viewer: MemberActor | None = None) -> None:
        """Photograph the channel as `viewer` (default: the camera's viewer) sees it now."""
        first = viewer or self.viewer
        others = [p for p in self.world.people if p is not first]
        self.out_dir.mkdir(parents=True, exist_ok=True)
        path = self.out_dir / f"{name}.png"
        height = TALL.get(name, WINDOW[1])
        async with preview_of(self.world, [first, *others]) as preview:
            try:
                await capture(self.chromium, preview.url, path, (WINDOW[0], height))
            except TimeoutError:
                # A busy machine can stall one Chromium start: one more try, then give up.
                self.echo(f"  {path}: Chromium took over {CHROMIUM_TIMEOUT:g} s; trying again")
                await capture(self.chromium, preview.url, path, (WINDOW[0], height))
        crop(path, channel_pane(height) if self.taken else (0, 0, WINDOW[0], height))
        self.taken.append(path)
        self.echo(f"  {path}")


def crop(path: Path, box: tuple[int, int, int, int]) -> None:
    from PIL import Image

    with Image.open(path) as image:
        cropped = image.convert("RGB").crop(box)
    # Re-encoded without Chromium's metadata, so equal pixels are equal bytes.
    cropped.save(path, format="PNG", optimize=True)


async def capture(
    chromium: str,
    url: str,
    path: Path,
    window: tuple[int, int] = WINDOW,
) -> None:
    """One PNG of `url` by headless Chromium with a fresh profile, without blocking the loop."""
    # A killed Chromium's helpers may still be writing into the profile as it is removed.
    with tempfile.TemporaryDirectory(
        prefix="chorus-chromium-", ignore_cleanup_errors=True
    ) as profile:
        process = await asyncio.create_subprocess_exec(
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={window[0]},{window[1]}",
            f"--screenshot={path}",
            url,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            await asyncio.wait_for(process.wait(), CHROMIUM_TIMEOUT)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise
    if not _written(path):
        raise RuntimeError(f"chromium did not write {path}")


def _written(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 0


async def screenshots(
    out_dir: Path,
    *,
    seed: int = 7,
    db: Path | None = None,
    echo: Echo = print,
    base: Settings | None = None,
    language: str = "en",
) -> ScriptReport:
    """Run the scripted session on a fresh database and photograph each stage into `out_dir`,
    in ``language`` (the server's and the members' clients': a German set with "de")."""
    chromium = find_chromium()
    if chromium is None:
        raise RuntimeError("chromium is not installed (apt-get install -y chromium)")
    with contextlib.ExitStack() as stack:
        if db is None:
            db = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "screenshots.db"
        forget_database(db)
        # simcord's own fixed clock (not today's date): the same times and ids in every shot.
        world = await start_world(
            demo_settings(db, base=base, board_edit_interval=0),
            real_time=False,
            language=language,
        )
        try:
            camera = Camera(world, out_dir, chromium, world.members[0], echo)
            echo(f"Screenshots of a scripted session into {out_dir}/:")
            report = await run_script(world, seed=seed, shoot=camera.shoot)
        finally:
            await world.close()
    for activity, why in report.skipped.items():
        echo(f"  skipped {activity}: {why}")
    return report

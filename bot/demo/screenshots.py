"""The screenshots (`chorus demo --screenshots DIR`, `make screenshots`): the scripted session
photographed stage by stage from simcord's local preview with headless Chromium."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from simcord.actors import MemberActor

from bot.demo.script import ScriptReport, run_script
from bot.demo.serve import Echo, preview_of
from bot.demo.world import DemoWorld, demo_settings, forget_database, start_world
from bot.settings import Settings

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


def find_chromium() -> str | None:
    """The path of a Chromium or Chrome on PATH, or None."""
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


@dataclass
class Camera:
    """Screenshots of the preview page with headless Chromium, one PNG per stage.

    Each shot opens a fresh preview, whose new page opens on the newest message as its first
    viewer sees it. The first shot keeps the whole page (the "Viewing as" switch, the composer);
    the others are cropped to the channel so a reader sees the messages.
    """

    world: DemoWorld
    out_dir: Path
    chromium: str
    viewer: MemberActor
    echo: Echo = print
    taken: list[Path] = field(default_factory=list)

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
    """The PNG at `path` cropped to `box` (left, top, right, bottom in pixels) and saved again
    without Chromium's metadata."""
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
    """One PNG of `url` by headless Chromium with a fresh profile, without blocking the loop.
    Raises RuntimeError when Chromium wrote no picture; TimeoutError (Chromium killed) after
    CHROMIUM_TIMEOUT seconds."""
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
    in ``language`` (the server's and the members' clients': a German set with "de"). Raises
    RuntimeError when Chromium isn't installed or wrote no picture."""
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

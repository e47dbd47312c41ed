"""`chorus demo --screenshots DIR`: a German screenshot set through the command.

The screenshots are taken by headless Chromium in real use; here `capture` is replaced by a
stand-in that writes a blank PNG, so the whole `--screenshots DIR --language de` path runs (the
scripted session, a preview page per shot, cropping).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.cli import build_parser
from bot.demo.world import (
    CHANNEL_NAME,
    CHANNEL_TOPIC,
    GUILD_NAME,
    OWNER_ROLE_NAME,
    VOICE_NAME,
    DemoWorld,
    world_names,
)
from tests.demo.test_script import base_settings


async def test_german_screenshots_through_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image

    from bot.demo import screenshots
    from bot.demo.world import start_world as real_start_world  # what screenshots imports

    pages: list[str] = []
    worlds: list[DemoWorld] = []
    places: dict[str, set[str]] = {}

    async def start_world(*args: Any, **kwargs: Any) -> DemoWorld:
        worlds.append(await real_start_world(*args, **kwargs))
        return worlds[-1]

    async def fake_capture(
        chromium: str, url: str, path: Path, window: tuple[int, int] = screenshots.WINDOW
    ) -> None:
        pages.append(url)
        # The places the preview page shows around the messages, as the bot knows them now.
        guild = worlds[0].bot.get_guild(worlds[0].guild.id)
        assert guild is not None
        places[path.stem] = {
            guild.name,
            *(channel.name for channel in guild.channels),
            *(role.name for role in guild.roles),
            *(c.topic or "" for c in guild.text_channels),
        }
        Image.new("RGB", window, "white").save(path, format="PNG")

    monkeypatch.setattr(screenshots, "find_chromium", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(screenshots, "capture", fake_capture)
    monkeypatch.setattr(screenshots, "start_world", start_world)
    out = tmp_path / "de"
    args = build_parser().parse_args(["demo", "--screenshots", str(out), "--language", "de"])
    assert args.language == "de"
    report = await screenshots.screenshots(
        out, seed=args.seed, base=base_settings(tmp_path), language=args.language, echo=print
    )
    assert report.session_title == "Donnerstagskreis" and report.missing == []
    taken = sorted(p.name for p in out.glob("*.png"))
    assert "01-session-board.png" in taken and "07-session-summary.png" in taken
    assert len(pages) == len(taken)
    # No picture shows the English world: the server, its channels and roles are named in German.
    names = world_names("de")
    # (The facilitator role keeps the settings' English name, ROLE_NAME, like a real server's.)
    english = {GUILD_NAME, CHANNEL_NAME, VOICE_NAME, OWNER_ROLE_NAME, CHANNEL_TOPIC}
    assert set(places) == {p.removesuffix(".png") for p in taken}
    for shot, shown in places.items():
        assert not shown & english, f"{shot}: {sorted(shown & english)}"
        assert {names.guild, names.channel, names.voice, names.role, names.topic} <= shown

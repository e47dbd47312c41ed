"""The demo's world for the tests of its parts: the real bot in the demo's simulated server, on
simcord's virtual clock, with the live demo's session open."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.demo.world import DemoWorld
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[DemoWorld]:
    from bot.demo.facilitator import open_session
    from bot.demo.script import LIVE_TITLE
    from bot.demo.world import demo_settings, start_world

    base = Settings(activities_dirs=(ROOT / "activities",), media_dir=tmp_path / "media")
    started = await start_world(demo_settings(tmp_path / "demo.db", base=base), real_time=False)
    try:
        await open_session(started, LIVE_TITLE)
        yield started
    finally:
        await started.close()

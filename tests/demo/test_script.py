"""`chorus demo`: the scripted session runs headless, and the live preview page answers."""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.cli import build_parser
from bot.settings import Settings
from tests.responses import fields_of

if TYPE_CHECKING:
    from bot.demo.script import ScriptReport

ROOT = Path(__file__).resolve().parent.parent.parent
PREVIEW_RUNTIME = ("aiohttp", "markdown_it", "linkify_it", "regex", "PIL")


def base_settings(tmp_path: Path) -> Settings:
    """Real settings as the config file gives them, on the shipped library, in tmp_path."""
    return Settings(activities_dirs=(ROOT / "activities",), media_dir=tmp_path / "media")


Transcript = list[tuple[str | None, str | None, list[tuple[str | None, str | None]]]]
"""Each embed the session posted: (title, description, [(field name, field value)])."""


async def scripted(
    tmp_path: Path, seed: int = 7, activities: tuple[str, ...] | None = None
) -> tuple[ScriptReport, Transcript, list[BaseException]]:
    from bot.demo.script import run_script
    from bot.demo.world import demo_settings, start_world

    settings = demo_settings(
        tmp_path / "demo.db", base=base_settings(tmp_path), board_edit_interval=0
    )
    world = await start_world(settings)
    try:
        report = await (
            run_script(world, seed=seed)
            if activities is None
            else run_script(world, seed=seed, activities=activities)
        )
        transcript = [
            (e.title, e.description, [(f.name, f.value) for f in e.fields])
            for m in world.channel.history()
            for e in m.embeds
        ]
        errors = list(world.env.errors)
    finally:
        await world.close()
    return report, transcript, errors


async def test_scripted_session_completes_with_a_message_per_step(tmp_path: Path) -> None:
    from bot.core.activities import Catalog
    from bot.demo.script import SCRIPT

    report, transcript, errors = await scripted(tmp_path)
    assert not errors, errors
    assert report.skipped == {}, "every scripted activity runs in this build"
    assert report.activities == list(SCRIPT)
    catalog = Catalog.load([ROOT / "activities"], tmp_path / "media")
    expected = [(a, i) for a in SCRIPT for i in range(len(catalog.activities[a].steps))]
    assert [(s.activity, s.index) for s in report.steps] == expected
    assert report.missing == [], f"steps without their message: {report.missing}"
    # The members took part: four joined, answered, reacted, reflected and wrote the song.
    titles = [t for t, _, _ in transcript]
    assert "What we shared" in titles and "🎶 Song #1" in titles
    assert any(t and t.startswith("How the group heard") for t in titles)
    assert report.summary is not None
    fields = fields_of(report.summary.embeds[0])
    assert fields["Attendance"] == "5 people"
    assert "8 lyric lines" in fields["Contributions"]
    assert any(name.startswith("Mood shift") for name in fields)
    assert report.report is not None and "Thursday circle" in report.report


async def test_same_seed_same_session(tmp_path: Path) -> None:
    _, first, _ = await scripted(tmp_path / "a", seed=11, activities=("lyric-circle",))
    _, second, _ = await scripted(tmp_path / "b", seed=11, activities=("lyric-circle",))

    def words(transcript: Transcript) -> list[tuple[str | None, str | None]]:
        # Times and ids differ between runs; what people chose and wrote must not.
        return [(t, d) for t, d, _ in transcript if t and ("shared" in t or "Song" in t)]

    assert words(first) == words(second) and words(first)


async def test_preview_page_answers_with_the_session(tmp_path: Path) -> None:
    missing = [m for m in PREVIEW_RUNTIME if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"the demo extra (simcord[preview]) is not installed: no {', '.join(missing)}")
    import aiohttp

    from bot.demo.script import LIVE_TITLE
    from bot.demo.serve import serve

    said: list[str] = []
    task = asyncio.ensure_future(
        serve(tmp_path / "demo.db", fresh=True, echo=said.append, base=base_settings(tmp_path))
    )
    try:
        for _ in range(200):
            if said or task.done():
                break
            await asyncio.sleep(0.05)
        assert said, "the demo printed no address"
        url = next(w for w in said[0].split() if w.startswith("http://127.0.0.1:"))
        origin, capability = url.split("/#")
        async with aiohttp.ClientSession() as http:
            async with http.get(origin + "/") as page:
                assert page.status == 200
                assert "<html" in (await page.text()).lower()
            headers = {"X-Simcord-Capability": capability, "Origin": origin}
            async with http.post(origin + "/api/pages", json={}, headers=headers) as opened:
                assert opened.status == 200
                state = await opened.text()
        assert LIVE_TITLE in state and "Listening room" in state
        assert (tmp_path / "demo.db").exists()
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


def test_demo_command_line() -> None:
    args = build_parser().parse_args(
        ["demo", "--seed", "3", "--fresh", "--db", "x.db", "--port", "8123"]
    )
    assert (args.seed, args.fresh, args.db, args.port, args.screenshots) == (
        3,
        True,
        "x.db",
        8123,
        None,
    )
    assert build_parser().parse_args(["demo"]).db == "data/demo.db"

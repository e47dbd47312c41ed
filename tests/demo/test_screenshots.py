"""`chorus demo --screenshots DIR`: a German screenshot set through the command.

The screenshots are taken by headless Chromium in real use; here `capture` is replaced by a
stand-in that writes a blank PNG, so the whole `--screenshots DIR --language de` path runs (the
scripted session, a preview page per shot, cropping).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import build_parser
from tests.demo.test_script import base_settings


async def test_german_screenshots_through_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image

    from bot.demo import screenshots

    pages: list[str] = []

    async def fake_capture(
        chromium: str, url: str, path: Path, window: tuple[int, int] = screenshots.WINDOW
    ) -> None:
        pages.append(url)
        Image.new("RGB", window, "white").save(path, format="PNG")

    monkeypatch.setattr(screenshots, "find_chromium", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(screenshots, "capture", fake_capture)
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

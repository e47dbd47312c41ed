"""The demo's simulated members take part in a go-around: each answers on their turn."""

from __future__ import annotations

from pathlib import Path

from tests.demo.test_script import scripted
from tests.responses import fields_of


async def test_simulated_members_go_around(tmp_path: Path) -> None:
    report, transcript, errors = await scripted(tmp_path, activities=("go-around",))
    assert not errors, errors
    assert report.activities == ["go-around"]
    assert [(s.activity, s.index) for s in report.steps] == [("go-around", 0), ("go-around", 1)]
    card = next(d or "" for t, d, _ in transcript if t == "Check-in round")
    # The round's closed card: everyone present had their turn (spoke or passed).
    assert card.startswith("**How are you arriving, and what is one thing you bring today?**")
    assert "We went around:" in card
    # The demo session has a voice channel: members speak there and press Done (or Pass).
    assert report.summary is not None
    fields = fields_of(report.summary.embeds[0])
    assert "turns taken in a go-around" in fields["Contributions"]
    assert "breathing" not in fields["Contributions"]
